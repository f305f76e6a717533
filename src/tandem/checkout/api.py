"""Checkout and orders over the API. ``POST /checkout`` takes an ``Idempotency-Key``
header: a retry with the same key returns the same order instead of a second one."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from pydantic import Field

from tandem.cart.views import request_cart
from tandem.checkout import selectors
from tandem.checkout.errors import CheckoutError
from tandem.checkout.services import (
    CheckoutDetails,
    ShippingAddress,
    order_payment_url,
    order_place,
    payment_methods_for,
)
from tandem.core.errors import NotFound
from tandem.customers.api_auth import guest_auth, user_auth
from tandem.customers.models import Company
from tandem.orders.approvals import order_decide, orders_waiting_for
from tandem.orders.models import CustomStatus, Order
from tandem.orders.selectors import (
    OrderFilterError,
    OrderFilters,
    order_for,
    order_for_management,
    order_history,
    orders_managed_by,
)
from tandem.orders.services import order_custom_status_set, order_reorder, order_status_change
from tandem.orders.shipments import ShipmentRequest, shipment_create

router = Router(tags=["checkout and orders"])


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
    context = request.customer_context
    company = Company.objects.filter(pk=context.company_id).first() if context.company_id else None
    return CheckoutOptionsOut(
        delivery_methods=[DeliveryOptionOut(code=o.code, name=o.name, kind=o.kind, price_net=o.price_net,
                                            tax_rate=o.tax_rate, free_from=o.free_from)
                          for o in selectors.delivery_options(context)],
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
    expected_total: Decimal | None = Field(None, description="The total gross the buyer was shown; "
                                           "a different total refuses the order (total_changed).")


class OrderLineOut(Schema):
    sku: str
    name: str
    quantity: int
    unit_net: Decimal
    unit_gross: Decimal
    tax_rate: Decimal
    discount: Decimal
    line_net: Decimal
    price_source: str
    price_explanation: list[str]
    backordered: int


class OrderOut(Schema):
    number: str
    channel: str
    status: str
    currency: str
    email: str
    po_number: str
    payment_method: str
    payment_status: str
    payment_terms: str
    payment_url: str | None = None
    delivery_method: str
    delivery_net: Decimal
    discount_total: Decimal
    total_net: Decimal
    total_tax: Decimal
    total_gross: Decimal
    reverse_charge: bool
    tax_summary: list[dict]
    lines: list[OrderLineOut]

    @staticmethod
    def of(order: Order, payment_url: str | None = None) -> "OrderOut":
        return OrderOut(
            number=order.number, channel=order.channel, status=order.status, currency=order.currency,
            email=order.email, po_number=order.po_number, payment_method=order.payment_method,
            payment_status=order.payment_status, payment_terms=order.payment_terms, payment_url=payment_url,
            delivery_method=order.delivery_method, delivery_net=order.delivery_net,
            discount_total=order.discount_total, total_net=order.total_net, total_tax=order.total_tax,
            total_gross=order.total_gross, reverse_charge=order.reverse_charge, tax_summary=order.tax_summary,
            lines=[OrderLineOut(
                sku=line.sku, name=line.name, quantity=line.quantity, unit_net=line.unit_net,
                unit_gross=line.unit_gross, tax_rate=line.tax_rate, discount=line.discount,
                line_net=line.line_net, price_source=line.price_source,
                price_explanation=line.price_explanation, backordered=line.backordered,
            ) for line in order.lines.all()],
        )


@router.post("/checkout", response={201: OrderOut}, auth=guest_auth)
def checkout(request: HttpRequest, payload: CheckoutIn,
             idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=60)):
    """Place the cart as an order (one transaction: prices, quantity rules, stock, credit).
    Errors carry a ``code`` (``prices_changed``, ``cart_has_problems``, ``out_of_stock``,
    ``credit_limit_exceeded``, ``overdue_blocked``, ``coupon_*``…) and, per line, ``lines``."""
    user = request.user
    cart = request_cart(request)
    if cart is None:
        raise CheckoutError(_("Your cart is empty."), code="cart_empty")
    details = CheckoutDetails(
        email=user.email if user.is_authenticated else payload.email,
        delivery_method=payload.delivery_method, payment_method=payload.payment_method,
        address_id=payload.address_id,
        address=ShippingAddress(**payload.address.dict()) if payload.address else None,
        po_number=payload.po_number, comment=payload.comment,
        requested_delivery_date=payload.requested_delivery_date,
        expected_total=payload.expected_total,
    )
    order = order_place(cart=cart, context=request.customer_context, details=details, acting_user=user,
                        idempotency_key=f"api:{idempotency_key}" if idempotency_key else None)
    done = reverse("checkout:order_done", args=[order.token])
    return Status(201, OrderOut.of(order, order_payment_url(order, return_url=done)))


class OrderSearch(Schema):
    q: str = Field("", max_length=100, description="order number, PO number, SKU or product name")
    status: str = Field("", max_length=20, description="a core status, e.g. placed, shipped")
    date_from: date | None = Field(None, description="placed on or after this day")
    date_to: date | None = Field(None, description="placed on or before this day")
    sku: str = Field("", max_length=64, description="orders with a line of this SKU (exact, any case)")
    product: str = Field("", max_length=100, description="orders with a line whose name contains this")
    po_number: str = Field("", max_length=60, description="the buyer's PO number (exact, any case)")
    amount_min: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2,
                                       description="total gross at least")
    amount_max: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2,
                                       description="total gross at most")
    buyer: str = Field("", max_length=100, description="the customer's e-mail or name contains this; "
                       "for staff also the company name or VAT ID")
    company_id: int | None = Field(None, ge=1, le=2_147_483_647, description="one company (staff only)")
    sort: Literal["newest", "oldest", "total", "-total", "number", "-number"] = "newest"
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("/orders", response=list[OrderOut], auth=user_auth)
def orders(request: HttpRequest, response: HttpResponse, params: Query[OrderSearch]):
    """Search orders: a customer's own (their company's for a company user); for staff the
    orders they manage (all of them with *view all orders*, a sales rep their customers').
    Sorted by ``sort``, paged by ``limit``/``offset``; the ``X-Total-Count`` header holds the
    number of orders found. A filter that cannot be used (``amount_min`` above
    ``amount_max``, an unknown status…) is a 400 ``invalid_filter`` naming the ``field``."""
    user = request.user
    if params.company_id is not None and not user.is_staff:
        raise OrderFilterError({"company_id": _("Only staff can filter by company.")})
    filters = OrderFilters(
        query=params.q.strip(), status=params.status.strip(), date_from=params.date_from,
        date_to=params.date_to, sku=params.sku, product=params.product, po_number=params.po_number,
        amount_min=params.amount_min, amount_max=params.amount_max, buyer=params.buyer,
        company_id=params.company_id, sort=params.sort)
    found = orders_managed_by(user, filters) if user.is_staff else order_history(user, filters)
    response["X-Total-Count"] = str(found.count())
    page = found.prefetch_related("lines")[params.offset:params.offset + params.limit]
    return [OrderOut.of(order) for order in page]


class StatusIn(Schema):
    status: str = Field(..., max_length=20)
    note: str = Field("", max_length=2000)


@router.post("/orders/{number}/status", response=OrderOut, auth=user_auth)
def order_status(request: HttpRequest, number: str, payload: StatusIn):
    """Move an order to another core status (staff); a customer may only cancel an order not
    yet confirmed. A move the order cannot make is a 409 and changes nothing."""
    order = order_for_management(request.user, number)
    order = order_status_change(order=order, status=payload.status, actor=request.user, note=payload.note)
    return OrderOut.of(order)


class ReorderOut(Schema):
    added: list[str]
    refused: list[dict]
    price_changes: list[dict]


@router.post("/orders/{number}/reorder", response=ReorderOut, auth=user_auth)
def order_reorder_api(request: HttpRequest, number: str):
    """Put the order's lines into the caller's cart at today's prices; says what could not
    be added and which prices changed."""
    report = order_reorder(order=order_for(request.user, number), cart=request_cart(request, create=True),
                           context=request.customer_context)
    return ReorderOut(
        added=[result.sku for result in report.added.added],
        refused=[{"sku": r.sku, "code": r.code, "reason": r.reason} for r in report.added.refused],
        price_changes=[{"sku": c.sku, "was": str(c.was), "now": str(c.now)} for c in report.price_changes],
    )


@router.get("/orders/{number}", response=OrderOut, auth=user_auth)
def order(request: HttpRequest, number: str):
    """One order by number: a customer's own (their company's), or for staff one they manage;
    anything else is a 404."""
    return OrderOut.of(order_for_management(request.user, number))


class DecisionIn(Schema):
    comment: str = Field("", max_length=2000)


@router.get("/approvals", response=list[OrderOut], auth=user_auth)
def approvals_waiting(request: HttpRequest):
    """The company's orders waiting for a decision the caller may take (approvers, admin)."""
    return [OrderOut.of(order) for order in orders_waiting_for(request.user).prefetch_related("lines")[:200]]


@router.post("/orders/{number}/approve", response=OrderOut, auth=user_auth)
def order_approve(request: HttpRequest, number: str, payload: DecisionIn):
    """Approve the order's next waiting level; the last approval places the order. Someone
    who decided first makes this a 409 (``approval_decided``)."""
    order = order_decide(order=order_for(request.user, number), user=request.user, approve=True,
                         comment=payload.comment)
    return OrderOut.of(order)


@router.post("/orders/{number}/reject", response=OrderOut, auth=user_auth)
def order_reject(request: HttpRequest, number: str, payload: DecisionIn):
    """Reject the order: it is cancelled and its stock released; the buyer is told."""
    order = order_decide(order=order_for(request.user, number), user=request.user, approve=False,
                         comment=payload.comment)
    return OrderOut.of(order)


class ShipmentLineIn(Schema):
    sku: str = Field(..., max_length=64)
    quantity: int = Field(..., ge=1, le=1_000_000)


class ShipmentIn(Schema):
    lines: list[ShipmentLineIn] = Field(default_factory=list, max_length=5000,
                                        description="empty: everything still to ship")
    carrier: str = Field("", max_length=80)
    tracking_number: str = Field("", max_length=80)


class ShipmentOut(Schema):
    number: str
    carrier: str
    tracking_number: str
    order_status: str
    lines: list[dict]


@router.post("/orders/{number}/shipments", response={201: ShipmentOut}, auth=user_auth)
def order_ship(request: HttpRequest, number: str, payload: ShipmentIn):
    """Ship all or part of an order (staff with the right to change orders): units leave
    the warehouse, a dispatch note number is issued, the order becomes in progress (part
    shipped) or shipped. Too many units for a line refuse the whole call, per line."""
    quantities: dict[str, int] = {}
    for line in payload.lines:
        quantities[line.sku] = quantities.get(line.sku, 0) + line.quantity
    shipment = shipment_create(
        order=order_for_management(request.user, number), actor=request.user,
        request=ShipmentRequest(quantities=quantities, carrier=payload.carrier,
                                tracking_number=payload.tracking_number))
    return Status(201, ShipmentOut(
        number=shipment.number, carrier=shipment.carrier, tracking_number=shipment.tracking_number,
        order_status=shipment.order.status,
        lines=[{"sku": line.order_line.sku, "quantity": line.quantity}
               for line in shipment.lines.select_related("order_line")]))


class CustomStatusIn(Schema):
    code: str = Field(..., max_length=40)
    note: str = Field("", max_length=2000)


@router.post("/orders/{number}/custom-status", response=OrderOut, auth=user_auth)
def order_custom_status(request: HttpRequest, number: str, payload: CustomStatusIn):
    """Give an order one of the merchant's statuses (staff); its core stage follows under
    the core rules, and the customer is e-mailed when the status says so."""
    custom_status = CustomStatus.objects.filter(code=payload.code).first()
    if custom_status is None:
        raise NotFound()
    return OrderOut.of(order_custom_status_set(order=order_for_management(request.user, number),
                                               custom_status=custom_status,
                                               actor=request.user, note=payload.note))
