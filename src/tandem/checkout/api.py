"""Checkout over the API. ``POST /checkout`` takes an ``Idempotency-Key`` header: a retry with
the same key returns the same order instead of a second one. The orders themselves are in
``orders.api``."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Header, Router, Schema, Status
from pydantic import Field

from tandem.cart.sessions import cart_goes_elsewhere, request_cart
from tandem.checkout import selectors
from tandem.checkout.errors import CartGoesElsewhere, CheckoutError
from tandem.checkout.services import (
    CheckoutDetails,
    ShippingAddress,
    order_payment_url,
    order_place,
    payment_methods_for,
)
from tandem.customers.api_auth import guest_auth
from tandem.customers.models import Company
from tandem.orders.schemas import OrderOut

router = Router(tags=["checkout"])


class DeliveryOptionOut(Schema):
    code: str
    name: str
    kind: str
    price_net: Decimal
    tax_rate: Decimal
    free_from: Decimal | None


class CheckoutOptionsOut(Schema):
    delivery_methods: list[DeliveryOptionOut]
    payment_methods: list[str]


@router.get("/checkout/options", response=CheckoutOptionsOut, auth=guest_auth)
def checkout_options(request: HttpRequest):
    """The delivery methods with their prices for the caller's cart and the payment methods the caller
    may use."""
    context = request.customer_context
    company = Company.objects.filter(pk=context.company_id).first() if context.company_id else None
    return CheckoutOptionsOut(
        delivery_methods=[
            DeliveryOptionOut(
                code=o.code,
                name=o.name,
                kind=o.kind,
                price_net=o.price_net,
                tax_rate=o.tax_rate,
                free_from=o.free_from,
            )
            for o in selectors.delivery_options(context)
        ],
        payment_methods=[str(method) for method in payment_methods_for(context, company)],
    )


class AddressIn(Schema):
    recipient: str = Field(..., max_length=150)
    street: str = Field(..., max_length=200)
    postal_code: str = Field(..., max_length=20)
    city: str = Field(..., max_length=100)
    country: str = Field(..., min_length=2, max_length=2)
    phone: str = Field("", max_length=40)


class CheckoutIn(Schema):
    email: str = Field("", max_length=254, description="Required for guests; a user's own e-mail otherwise.")
    delivery_method: str = Field(..., max_length=40)
    payment_method: str = Field(..., max_length=16)
    address_id: int | None = None
    address: AddressIn | None = None
    po_number: str = Field("", max_length=60)
    comment: str = Field("", max_length=2000)
    requested_delivery_date: date | None = None
    expected_total: Decimal | None = Field(
        None,
        description="The total gross the buyer was shown; "
        "a different total refuses the order (total_changed).",
    )


@router.post("/checkout", response={201: OrderOut}, auth=guest_auth)
def checkout(
    request: HttpRequest,
    payload: CheckoutIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=60),
):
    """Place the cart as an order (one transaction: prices, quantity rules, stock, credit).
    Errors carry a ``code`` (``prices_changed``, ``cart_has_problems``, ``out_of_stock``,
    ``credit_limit_exceeded``, ``overdue_blocked``, ``coupon_*``…) and, per line, ``lines``."""
    user = request.user
    if cart_goes_elsewhere(request):  # a punchout session: the cart is transferred instead
        raise CartGoesElsewhere()
    cart = request_cart(request)
    if cart is None:
        raise CheckoutError(_("Your cart is empty."), code="cart_empty")
    details = CheckoutDetails(
        email=user.email if user.is_authenticated else payload.email,
        delivery_method=payload.delivery_method,
        payment_method=payload.payment_method,
        address_id=payload.address_id,
        address=ShippingAddress(**payload.address.dict()) if payload.address else None,
        po_number=payload.po_number,
        comment=payload.comment,
        requested_delivery_date=payload.requested_delivery_date,
        expected_total=payload.expected_total,
    )
    order = order_place(
        cart=cart,
        context=request.customer_context,
        details=details,
        acting_user=user,
        idempotency_key=f"api:{idempotency_key}" if idempotency_key else None,
    )
    done = reverse("checkout:order_done", args=[order.token])
    return Status(201, OrderOut.of(order, order_payment_url(order, return_url=done)))
