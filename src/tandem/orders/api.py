"""Orders over the API — search, one order, status moves, approvals, shipments, merchant
statuses, reorder — and the company's approval rules and recurring orders, with the same
permissions as the pages (the services decide; another company's rows are a 404)."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tandem.cart.sessions import request_cart
from tandem.core.errors import NotFound
from tandem.core.sync import ChangesQuery
from tandem.customers.api_auth import user_auth
from tandem.orders import approvals, recurring
from tandem.orders.approvals import order_decide, orders_waiting_for
from tandem.orders.models import ApprovalRule, CustomStatus, RecurringOrder, Shipment
from tandem.orders.schemas import OrderOut, ShipmentOut, orders_for_output
from tandem.orders.selectors import (
    OrderFilterError,
    OrderFilters,
    order_changes_page,
    order_for,
    order_for_management,
    order_history,
    orders_managed_by,
    orders_visible_to,
)
from tandem.orders.services import (
    order_custom_status_set,
    order_reorder,
    order_status_change,
    orders_acknowledge,
)
from tandem.orders.shipments import ShipmentRequest, shipment_create

router = Router(tags=["approval rules and recurring orders"], auth=user_auth)


class ApprovalRuleOut(Schema):
    id: int
    min_total: Decimal
    role: str
    category_id: int | None
    category: str | None

    @staticmethod
    def of(rule: ApprovalRule) -> "ApprovalRuleOut":
        return ApprovalRuleOut(
            id=rule.pk,
            min_total=rule.min_total,
            role=rule.role,
            category_id=rule.category_id,
            category=rule.category.tr("name") if rule.category_id else None,
        )


class ApprovalRuleIn(Schema):
    min_total: Decimal = Field(..., ge=0, lt=10**12, decimal_places=2)
    role: Literal["approver", "admin"]
    category_id: int | None = None


@router.get("/approval-rules", response=list[ApprovalRuleOut])
def approval_rules(request: HttpRequest):
    """The rules of the caller's company (any of its users may read them)."""
    return [ApprovalRuleOut.of(rule) for rule in approvals.approval_rules_of(request.user)]


@router.post("/approval-rules", response={201: ApprovalRuleOut})
def approval_rule_add(request: HttpRequest, payload: ApprovalRuleIn):
    """Add a rule (company admin only): orders, or their lines in ``category_id`` and its
    subcategories, from ``min_total`` gross wait for a decision by ``role``."""
    rule = approvals.approval_rule_add(
        admin=request.user, min_total=payload.min_total, role=payload.role, category_id=payload.category_id
    )
    return Status(201, ApprovalRuleOut.of(rule))


@router.delete("/approval-rules/{rule_id}", response={204: None})
def approval_rule_delete(request: HttpRequest, rule_id: int):
    """Remove an approval rule of the company (company admin only)."""
    approvals.approval_rule_delete(admin=request.user, rule_id=rule_id)
    return Status(204, None)


class RecurringItemOut(Schema):
    sku: str
    quantity: int
    unit_price: Decimal | None


class RecurringOut(Schema):
    id: int
    name: str
    state: str
    every: int
    unit: str
    next_run: date
    end_date: date | None
    currency: str
    max_price_increase: Decimal
    items: list[RecurringItemOut]
    last_order: str | None
    last_error: str

    @staticmethod
    def of(item: RecurringOrder) -> "RecurringOut":
        return RecurringOut(
            id=item.pk,
            name=item.name,
            state=item.state,
            every=item.every,
            unit=item.unit,
            next_run=item.next_run,
            end_date=item.end_date,
            currency=item.currency,
            max_price_increase=item.max_price_increase,
            items=[
                RecurringItemOut(
                    sku=line["sku"], quantity=line["quantity"], unit_price=line.get("unit_price")
                )
                for line in item.items
            ],
            last_order=item.last_order.number if item.last_order_id else None,
            last_error=item.last_error,
        )


class RecurringIn(Schema):
    order_number: str = Field(..., max_length=32, description="the past order to repeat")
    every: int = Field(..., ge=1, le=365)
    unit: Literal["day", "week", "month"]
    start: date
    end: date | None = None
    max_price_increase: Decimal | None = Field(
        None, ge=0, le=1000, decimal_places=2, description="per cent; 10 when not given"
    )


class RecurringStateIn(Schema):
    state: Literal["active", "paused", "ended"]


@router.get("/recurring-orders", response=list[RecurringOut])
def recurring_orders(request: HttpRequest):
    """The caller's recurring orders."""
    return [RecurringOut.of(item) for item in recurring.recurring_orders_of(request.user)]


@router.post("/recurring-orders", response={201: RecurringOut})
def recurring_create(request: HttpRequest, payload: RecurringIn):
    """Repeat one of the caller's orders (an order they may see) at an interval; today's
    prices are kept, and a run whose price rose by more than ``max_price_increase`` %
    pauses and asks them."""
    item = recurring.recurring_from_order(
        owner=request.user,
        order=order_for(request.user, payload.order_number),
        every=payload.every,
        unit=payload.unit,
        start=payload.start,
        end=payload.end,
        max_price_increase=payload.max_price_increase,
    )
    return Status(201, RecurringOut.of(item))


@router.get("/recurring-orders/{recurring_id}", response=RecurringOut)
def recurring_order(request: HttpRequest, recurring_id: int):
    """One recurring order of the caller with its lines, schedule and next run."""
    return RecurringOut.of(recurring.recurring_for(request.user, recurring_id))


@router.post("/recurring-orders/{recurring_id}/state", response=RecurringOut)
def recurring_state(request: HttpRequest, recurring_id: int, payload: RecurringStateIn):
    """Pause, resume (accepting today's prices) or end a recurring order."""
    return RecurringOut.of(
        recurring.recurring_set_state(user=request.user, recurring_id=recurring_id, state=payload.state)
    )


# --- orders -----------------------------------------------------------------------------

order_router = Router(tags=["orders"], auth=user_auth)


class OrderSearch(Schema):
    q: str = Field("", max_length=100, description="order number, PO number, SKU or product name")
    status: str = Field("", max_length=20, description="a core status, e.g. placed, shipped")
    date_from: date | None = Field(None, description="placed on or after this day")
    date_to: date | None = Field(None, description="placed on or before this day")
    sku: str = Field("", max_length=64, description="orders with a line of this SKU (exact, any case)")
    product: str = Field("", max_length=100, description="orders with a line whose name contains this")
    po_number: str = Field("", max_length=60, description="the buyer's PO number (exact, any case)")
    amount_min: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2, description="total gross at least"
    )
    amount_max: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2, description="total gross at most"
    )
    buyer: str = Field(
        "",
        max_length=100,
        description="the customer's e-mail or name contains this; for staff also the company name or VAT ID",
    )
    company_id: int | None = Field(None, ge=1, le=2_147_483_647, description="one company (staff only)")
    sort: Literal["newest", "oldest", "total", "-total", "number", "-number"] = "newest"
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class OrderChangesOut(Schema):
    items: list[OrderOut]
    next_cursor: str | None = Field(description="pass it back for the next page; null at the end for now")


class OrderChangesQuery(ChangesQuery):
    exported: bool | None = Field(None, description="false: only orders no integration has acknowledged yet")


@order_router.get("/orders/changes", response=OrderChangesOut)
def order_changes(request: HttpRequest, params: Query[OrderChangesQuery]):
    """Incremental sync: the caller's orders (as ``GET /orders`` sees them) changed after
    ``updated_since``, oldest change first, ``limit`` at a time. Keep the last
    ``next_cursor`` and ask again later: no order is skipped and none repeated unless it
    changed again (then it comes again, changed). A change is served once it is
    ``SYNC_SETTLE_SECONDS`` old, so a transaction still running cannot be passed over."""
    user = request.user
    visible = orders_managed_by(user) if user.is_staff else orders_visible_to(user)
    if params.exported is not None:
        visible = visible.filter(exported_at__isnull=not params.exported)
    page, next_cursor = order_changes_page(
        visible, updated_since=params.updated_since, cursor=params.cursor, limit=params.limit
    )
    return OrderChangesOut(items=[OrderOut.of(order) for order in page], next_cursor=next_cursor)


class AcknowledgementIn(Schema):
    numbers: list[str] = Field(
        min_length=1, max_length=500, description="order numbers the integration has taken"
    )


class AcknowledgementOut(Schema):
    acknowledged: list[str] = Field(description="marked taken now (already taken ones are not listed)")
    unknown: list[str] = Field(description="not orders the caller manages")


@order_router.post("/orders/acknowledgements", response=AcknowledgementOut)
def orders_acknowledge_api(request: HttpRequest, payload: AcknowledgementIn):
    """The ERP says it has taken these orders: each gets ``exported_at`` once, and
    ``GET /orders/changes?exported=false`` leaves it out from then on. Sending the same
    numbers again changes nothing. Staff who may change orders."""
    result = orders_acknowledge(user=request.user, numbers=[number[:32] for number in payload.numbers])
    return AcknowledgementOut(acknowledged=result.numbers, unknown=result.unknown)


@order_router.get("/orders", response=list[OrderOut])
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
        query=params.q.strip(),
        status=params.status.strip(),
        date_from=params.date_from,
        date_to=params.date_to,
        sku=params.sku,
        product=params.product,
        po_number=params.po_number,
        amount_min=params.amount_min,
        amount_max=params.amount_max,
        buyer=params.buyer,
        company_id=params.company_id,
        sort=params.sort,
    )
    found = orders_managed_by(user, filters) if user.is_staff else order_history(user, filters)
    response["X-Total-Count"] = str(found.count())
    page = orders_for_output(found)[params.offset : params.offset + params.limit]
    return [OrderOut.of(order) for order in page]


class StatusIn(Schema):
    status: str = Field(..., max_length=20)
    note: str = Field("", max_length=2000)


@order_router.post("/orders/{number}/status", response=OrderOut)
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


@order_router.post("/orders/{number}/reorder", response=ReorderOut)
def order_reorder_api(request: HttpRequest, number: str):
    """Put the order's lines into the caller's cart at today's prices; says what could not
    be added and which prices changed."""
    report = order_reorder(
        order=order_for(request.user, number),
        cart=request_cart(request, create=True),
        context=request.customer_context,
    )
    return ReorderOut(
        added=[result.sku for result in report.added.added],
        refused=[{"sku": r.sku, "code": r.code, "reason": r.reason} for r in report.added.refused],
        price_changes=[{"sku": c.sku, "was": str(c.was), "now": str(c.now)} for c in report.price_changes],
    )


@order_router.get("/orders/{number}", response=OrderOut)
def order(request: HttpRequest, number: str):
    """One order by number: a customer's own (their company's), or for staff one they manage;
    anything else is a 404."""
    return OrderOut.of(order_for_management(request.user, number))


class DecisionIn(Schema):
    comment: str = Field("", max_length=2000)


@order_router.get("/approvals", response=list[OrderOut])
def approvals_waiting(request: HttpRequest):
    """The company's orders waiting for a decision the caller may take (approvers, admin)."""
    return [OrderOut.of(order) for order in orders_for_output(orders_waiting_for(request.user))[:200]]


@order_router.post("/orders/{number}/approve", response=OrderOut)
def order_approve(request: HttpRequest, number: str, payload: DecisionIn):
    """Approve the order's next waiting level; the last approval places the order. Someone
    who decided first makes this a 409 (``approval_decided``)."""
    order = order_decide(
        order=order_for(request.user, number), user=request.user, approve=True, comment=payload.comment
    )
    return OrderOut.of(order)


@order_router.post("/orders/{number}/reject", response=OrderOut)
def order_reject(request: HttpRequest, number: str, payload: DecisionIn):
    """Reject the order: it is cancelled and its stock released; the buyer is told."""
    order = order_decide(
        order=order_for(request.user, number), user=request.user, approve=False, comment=payload.comment
    )
    return OrderOut.of(order)


class ShipmentLineIn(Schema):
    sku: str = Field(..., max_length=64)
    quantity: int = Field(..., ge=1, le=1_000_000)


class ShipmentIn(Schema):
    lines: list[ShipmentLineIn] = Field(
        default_factory=list, max_length=5000, description="empty: everything still to ship"
    )
    carrier: str = Field("", max_length=80)
    tracking_number: str = Field("", max_length=80)


class ShipmentCreatedOut(ShipmentOut):
    """The new shipment, as orders carry it, and where the order stands now."""

    order_status: str


@order_router.post("/orders/{number}/shipments", response={201: ShipmentCreatedOut})
def order_ship(request: HttpRequest, number: str, payload: ShipmentIn):
    """Ship all or part of an order (staff with the right to change orders): units leave
    the warehouse, a dispatch note number is issued, the order becomes in progress (part
    shipped) or shipped. Too many units for a line refuse the whole call, per line."""
    quantities: dict[str, int] = {}
    for line in payload.lines:
        quantities[line.sku] = quantities.get(line.sku, 0) + line.quantity
    shipment = shipment_create(
        order=order_for_management(request.user, number),
        actor=request.user,
        request=ShipmentRequest(
            quantities=quantities, carrier=payload.carrier, tracking_number=payload.tracking_number
        ),
    )
    status = shipment.order.status
    shipment = Shipment.objects.prefetch_related("lines__order_line").get(pk=shipment.pk)  # no query per line
    return Status(201, ShipmentCreatedOut(**ShipmentOut.of(shipment).dict(), order_status=status))


class CustomStatusIn(Schema):
    code: str = Field(..., max_length=40)
    note: str = Field("", max_length=2000)


@order_router.post("/orders/{number}/custom-status", response=OrderOut)
def order_custom_status(request: HttpRequest, number: str, payload: CustomStatusIn):
    """Give an order one of the merchant's statuses (staff); its core stage follows under
    the core rules, and the customer is e-mailed when the status says so."""
    custom_status = CustomStatus.objects.filter(code=payload.code).first()
    if custom_status is None:
        raise NotFound()
    return OrderOut.of(
        order_custom_status_set(
            order=order_for_management(request.user, number),
            custom_status=custom_status,
            actor=request.user,
            note=payload.note,
        )
    )
