"""Company approval rules and recurring orders over the API, with the same permissions as
the client panel (the services decide; another company's rows are a 404)."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from tandem.customers.api_auth import user_auth
from tandem.orders import approvals, recurring
from tandem.orders.models import ApprovalRule, RecurringOrder
from tandem.orders.selectors import order_for

router = Router(tags=["approval rules and recurring orders"], auth=user_auth)


class ApprovalRuleOut(Schema):
    id: int
    min_total: Decimal
    role: str
    category_id: int | None
    category: str | None

    @staticmethod
    def of(rule: ApprovalRule) -> "ApprovalRuleOut":
        return ApprovalRuleOut(id=rule.pk, min_total=rule.min_total, role=rule.role,
                               category_id=rule.category_id,
                               category=rule.category.tr("name") if rule.category_id else None)


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
    rule = approvals.approval_rule_add(admin=request.user, min_total=payload.min_total, role=payload.role,
                                       category_id=payload.category_id)
    return Status(201, ApprovalRuleOut.of(rule))


@router.delete("/approval-rules/{rule_id}", response={204: None})
def approval_rule_delete(request: HttpRequest, rule_id: int):
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
            id=item.pk, name=item.name, state=item.state, every=item.every, unit=item.unit,
            next_run=item.next_run, end_date=item.end_date, currency=item.currency,
            max_price_increase=item.max_price_increase,
            items=[RecurringItemOut(sku=line["sku"], quantity=line["quantity"],
                                    unit_price=line.get("unit_price")) for line in item.items],
            last_order=item.last_order.number if item.last_order_id else None, last_error=item.last_error)


class RecurringIn(Schema):
    order_number: str = Field(..., max_length=32, description="the past order to repeat")
    every: int = Field(..., ge=1, le=365)
    unit: Literal["day", "week", "month"]
    start: date
    end: date | None = None
    max_price_increase: Decimal | None = Field(None, ge=0, le=1000, decimal_places=2,
                                               description="per cent; 10 when not given")


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
        owner=request.user, order=order_for(request.user, payload.order_number), every=payload.every,
        unit=payload.unit, start=payload.start, end=payload.end,
        max_price_increase=payload.max_price_increase)
    return Status(201, RecurringOut.of(item))


@router.get("/recurring-orders/{recurring_id}", response=RecurringOut)
def recurring_order(request: HttpRequest, recurring_id: int):
    return RecurringOut.of(recurring.recurring_for(request.user, recurring_id))


@router.post("/recurring-orders/{recurring_id}/state", response=RecurringOut)
def recurring_state(request: HttpRequest, recurring_id: int, payload: RecurringStateIn):
    """Pause, resume (accepting today's prices) or end a recurring order."""
    return RecurringOut.of(recurring.recurring_set_state(user=request.user, recurring_id=recurring_id,
                                                         state=payload.state))
