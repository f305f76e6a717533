"""Acting for a customer: a sales rep opens a company's context and buys as its users would.

Who may act for whom is decided here, and checked again on every request (``acting_company``):
a company that is no longer the rep's, or no longer active, stops the acting at once. Starting
and stopping are in the audit log; what the rep does meanwhile records both identities (an
order's ``placed_by`` is the rep and its OrderEvent ``on_behalf_of`` the company).
"""

import dataclasses
import uuid

from django.db import IntegrityError
from django.db.models import QuerySet
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tandem.cart.errors import CartError
from tandem.cart.models import Cart
from tandem.cart.services import cart_add
from tandem.checkout.errors import CheckoutError
from tandem.checkout.services import CheckoutDetails, order_place
from tandem.core.audit import audit_record
from tandem.core.context import CustomerContext
from tandem.core.errors import NotFound
from tandem.customers.models import Company, User
from tandem.customers.selectors import company_context_for
from tandem.customers.staff_scope import is_active_staff, own_customers
from tandem.orders.models import Order
from tandem.salesrep.errors import RequestInProgress

ACT_FOR_ALL = "customers.act_for_all_customers"


def may_act_for_all(user: User) -> bool:
    """Staff who may act for every customer, not only for the companies assigned to them."""
    return user.is_authenticated and user.is_active and user.is_staff and user.has_perm(ACT_FOR_ALL)


def companies_actable_by(rep: User) -> QuerySet[Company]:
    """The active companies this user may act for: a rep's own customers, every one with
    ``act_for_all_customers``; none for anyone who is not active staff."""
    if not is_active_staff(rep):
        return Company.objects.none()
    companies = Company.objects.all() if rep.has_perm(ACT_FOR_ALL) else own_customers(rep)
    return companies.filter(is_active=True)


def acting_company(rep: User, company_id: int | None) -> Company | None:
    """The company ``rep`` may act for with this id (terms, group and rep loaded), else None;
    whether it does not exist or is someone else's customer is never told apart."""
    if company_id is None:
        return None
    return (companies_actable_by(rep).select_related("customer_group", "payment_terms", "sales_rep")
            .filter(pk=company_id).first())


def acting_start(*, rep: User, company_id: int, ip_address: str | None = None,
                 current: Company | None = None) -> Company:
    """Start acting for a company (stopping the acting for ``current``, another one); NotFound
    when the rep may not act for it. Both are audited."""
    company = acting_company(rep, company_id)
    if company is None:
        raise NotFound()
    if current is not None and current.pk != company.pk:
        acting_stop(rep=rep, company=current, ip_address=ip_address)
    audit_record(action="acting.started", actor_id=rep.pk, target=company, on_behalf_of_id=company.pk,
                 ip_address=ip_address)
    return company


def acting_stop(*, rep: User, company: Company, ip_address: str | None = None) -> None:
    """Record that the rep stopped acting for the company."""
    audit_record(action="acting.stopped", actor_id=rep.pk, target=company, on_behalf_of_id=company.pk,
                 ip_address=ip_address)


def acting_context(company: Company, *, rep: User, language: str) -> CustomerContext:
    """The company's own B2B context (its prices, assortment, currency and VAT treatment),
    with the rep as the acting user and the company as ``on_behalf_of``."""
    return company_context_for(company, user_id=rep.pk, language=language, on_behalf=True)


# --- an order for a customer in one call (the API) -----------------------------------------


def _transient_cart_token(rep: User, company: Company, idempotency_key: str | None) -> uuid.UUID:
    """A fresh cart token, or for a request with an idempotency key one derived from it (and a
    server secret), so a retry reaches the order its first attempt placed."""
    if not idempotency_key:
        return uuid.uuid4()
    digest = salted_hmac("tandem.salesrep.rep_order", f"{rep.pk}:{company.pk}:{idempotency_key}")
    return uuid.UUID(digest.hexdigest()[:32])


def rep_order_create(
    *, rep: User, company_id: int, lines: list[tuple[str, int]], details: CheckoutDetails,
    language: str, idempotency_key: str | None = None,
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
                _("Some lines cannot be ordered: %(skus)s.") % {
                    "skus": ", ".join(problem["sku"] for problem in problems[:10])},
                code="order_lines_invalid", field="lines", lines=problems)
        return _place(cart, context, details, rep, key)
    finally:
        Cart.objects.filter(pk=cart.pk).delete()


def _place(cart: Cart, context: CustomerContext, details: CheckoutDetails, rep: User,
           key: str | None) -> Order:
    try:
        return order_place(cart=cart, context=context, details=details, acting_user=rep, idempotency_key=key)
    except NotFound as error:  # a saved address that is not one of the company's
        raise CheckoutError(_("Choose one of the company's delivery addresses."),
                            code="address_not_found", field="address_id") from error
