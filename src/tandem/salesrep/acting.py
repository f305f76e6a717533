"""A sales rep's order for a customer in one call (the API): placed exactly as the company's
users would at checkout. Who may act for whom, and starting and stopping, are in
``customers.acting``."""

import dataclasses
import uuid

from django.db import IntegrityError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tandem.cart.errors import CartError
from tandem.cart.models import Cart
from tandem.cart.services import cart_add
from tandem.checkout.errors import CheckoutError
from tandem.checkout.services import CheckoutDetails, order_place
from tandem.core.context import CustomerContext
from tandem.core.errors import NotFound
from tandem.customers.acting import acting_company, acting_context
from tandem.customers.models import Company, User
from tandem.orders.models import Order
from tandem.salesrep.errors import RequestInProgress

# --- an order for a customer in one call (the API) -----------------------------------------


def _transient_cart_token(rep: User, company: Company, idempotency_key: str | None) -> uuid.UUID:
    """A fresh cart token, or for a request with an idempotency key one derived from it (and a
    server secret), so a retry reaches the order its first attempt placed."""
    if not idempotency_key:
        return uuid.uuid4()
    digest = salted_hmac("tandem.salesrep.rep_order", f"{rep.pk}:{company.pk}:{idempotency_key}")
    return uuid.UUID(digest.hexdigest()[:32])


def rep_order_create(
    *,
    rep: User,
    company_id: int,
    lines: list[tuple[str, int]],
    details: CheckoutDetails,
    language: str,
    idempotency_key: str | None = None,
) -> Order:
    """Place an order for a company the rep may act for, from SKUs and quantities, exactly as
    its users would at checkout (its prices, delivery addresses, credit check), with the rep
    as ``placed_by`` and the company as ``on_behalf_of``.

    The confirmation goes to the company (``order_place`` decides, as for every order a rep
    places for a customer).
    Raises NotFound for a company the rep may not act for; CheckoutError
    ``order_lines_invalid`` naming every line that cannot be ordered (nothing is placed then);
    and whatever ``order_place`` raises. The transient cart is removed in every case."""
    company = acting_company(rep, company_id)
    if company is None:
        raise NotFound()
    if not lines:
        raise CheckoutError(_("Add at least one line."), code="cart_empty", field="lines")
    context = acting_context(company, rep=rep, language=language)
    if not details.email:
        details = dataclasses.replace(details, email=rep.email)  # replaced by the company's in order_place
    key = f"rep-api:{idempotency_key}" if idempotency_key else None
    try:
        cart = Cart.objects.create(token=_transient_cart_token(rep, company, idempotency_key))
    except IntegrityError as error:
        raise RequestInProgress() from error
    try:
        if key:
            # A retry of a request that placed its order gets that order back: order_place
            # looks the key up before anything else (else it refuses the still empty cart).
            try:
                return _place(cart, context, details, rep, key)
            except CheckoutError as error:
                if error.code != "cart_empty":
                    raise
        problems = []
        for sku, quantity in lines:
            try:
                cart_add(cart=cart, context=context, sku=sku, quantity=quantity)
            except CartError as error:
                problems.append({"sku": sku[:64], "code": error.code, "message": str(error.message)})
        if problems:
            raise CheckoutError(
                _("Some lines cannot be ordered: %(skus)s.")
                % {"skus": ", ".join(problem["sku"] for problem in problems[:10])},
                code="order_lines_invalid",
                field="lines",
                lines=problems,
            )
        return _place(cart, context, details, rep, key)
    finally:
        Cart.objects.filter(pk=cart.pk).delete()


def _place(
    cart: Cart, context: CustomerContext, details: CheckoutDetails, rep: User, key: str | None
) -> Order:
    try:
        return order_place(cart=cart, context=context, details=details, acting_user=rep, idempotency_key=key)
    except NotFound as error:  # a saved address that is not one of the company's
        raise CheckoutError(
            _("Choose one of the company's delivery addresses."), code="address_not_found", field="address_id"
        ) from error
