"""Recurring orders: a past order's items placed again every N days, weeks or months.

Housekeeping places the due ones through the normal checkout service (same approvals,
stock and credit rules). A unit price that rose by more than the buyer accepts (10 % by
default) since the recurring order was set up or last resumed stops the run. A run that
fails pauses the recurring order with the reason and tells the buyer and their sales
rep, so nothing is skipped without anyone knowing.
"""

import calendar
import logging
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.catalog.models import Variant
from tandem.core.context import CustomerContext
from tandem.core.errors import DomainError, NotFound, PermissionDenied
from tandem.customers.auth import membership_of
from tandem.customers.errors import ACCOUNTANTS_CANNOT_ORDER
from tandem.customers.models import Address, AddressKind, User
from tandem.customers.selectors import customer_context_for, may_place_orders
from tandem.orders.models import Order, RecurringOrder
from tandem.pricing import engine
from tandem.pricing.selectors import variant_pricing

State, Unit = RecurringOrder.State, RecurringOrder.Unit
DEFAULT_MAX_PRICE_INCREASE = Decimal("10")
logger = logging.getLogger("tandem.orders")


def next_date(day: date, every: int, unit: str) -> date:
    """``day`` moved on by ``every`` units (month ends stay in their month)."""
    if unit == Unit.DAY:
        return day + timedelta(days=every)
    if unit == Unit.WEEK:
        return day + timedelta(weeks=every)
    month = day.month - 1 + every
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def recurring_from_order(
    *,
    owner: User,
    order: Order,
    every: int,
    unit: str,
    start: date | None = None,
    end: date | None = None,
    max_price_increase: Decimal | None = None,
) -> RecurringOrder:
    """Repeat ``order`` (one the owner may see) every ``every`` ``unit`` from ``start`` (by
    default one interval from today: the order just placed was the first).
    Today's unit prices are kept with the items: a later run whose price rose by more
    than ``max_price_increase`` per cent stops and asks the buyer."""
    if not may_place_orders(owner):
        raise PermissionDenied(ACCOUNTANTS_CANNOT_ORDER, code="role_cannot_order")
    if unit not in Unit.values or not 1 <= every <= 365:
        raise DomainError(
            _("Choose how often: every 1 to 365 days, weeks or months."),
            code="interval_invalid",
            field="every",
        )
    if start is None:
        start = next_date(timezone.localdate(), every, unit)
    if start < timezone.localdate() or (end is not None and end < start):
        raise DomainError(
            _("The first date must be today or later, and the end after it."),
            code="dates_invalid",
            field="start",
        )
    if max_price_increase is None:
        max_price_increase = DEFAULT_MAX_PRICE_INCREASE
    if not Decimal(0) <= max_price_increase <= Decimal(1000):
        raise DomainError(
            _("The accepted price rise must be between 0 and 1000 %."),
            code="price_increase_invalid",
            field="max_price_increase",
        )
    items = [
        {"variant_id": line.variant_id, "sku": line.sku, "quantity": line.quantity}
        for line in order.lines.all()
        if line.variant_id
    ]
    if not items:
        raise DomainError(_("None of this order's items is sold any more."), code="nothing_to_repeat")
    context = customer_context_for(owner, language=owner.language)
    items = _with_prices(context, items)
    membership = membership_of(owner)
    address_id = None
    if order.company_id:
        address = (
            Address.objects.filter(
                company_id=order.company_id,
                kind=AddressKind.DELIVERY,
                street=order.shipping_address.get("street", ""),
            ).first()
            or Address.objects.filter(company_id=order.company_id, kind=AddressKind.DELIVERY).first()
        )
        address_id = address.pk if address else None
    return RecurringOrder.objects.create(
        owner=owner,
        company_id=membership.company_id if membership else None,
        name=_("Repeat of %(number)s") % {"number": order.number},
        items=items,
        every=every,
        unit=unit,
        currency=context.currency,
        max_price_increase=max_price_increase.quantize(Decimal("0.01")),
        next_run=start,
        end_date=end,
        delivery_method=order.delivery_code,
        payment_method=order.payment_method,
        address_id=address_id,
        shipping_address={} if order.company_id else order.shipping_address,
        po_number=order.po_number,
    )


def unit_prices_today(context: CustomerContext, items: list[dict]) -> dict[int, Decimal]:
    """Today's unit price (as the customer sees it) of each item at its quantity."""
    tax_classes = dict(
        Variant.objects.filter(pk__in=[item["variant_id"] for item in items]).values_list(
            "pk", "tax_class_id"
        )
    )
    inputs = variant_pricing(context, tax_classes.items())
    prices = {}
    for item in items:
        pricing = inputs.get(item["variant_id"])
        price = engine.resolve_one(context, pricing, item["quantity"]) if pricing is not None else None
        if price is not None:
            prices[item["variant_id"]] = price.unit_display
    return prices


def _with_prices(context: CustomerContext, items: list[dict]) -> list[dict]:
    prices = unit_prices_today(context, items)
    return [
        {**item, "unit_price": str(prices[item["variant_id"]]) if item["variant_id"] in prices else None}
        for item in items
    ]


def recurring_orders_of(user: User):
    """The user's own recurring orders, next due first."""
    return RecurringOrder.objects.filter(owner=user).select_related("last_order")


def recurring_for(user: User, recurring_id: int) -> RecurringOrder:
    found = recurring_orders_of(user).filter(pk=recurring_id).first()
    if found is None:
        raise NotFound()
    return found


def recurring_set_state(*, user: User, recurring_id: int, state: str) -> RecurringOrder:
    """Pause, resume or end one's own recurring order (an ended one stays ended)."""
    with transaction.atomic():
        # Locked: a housekeeping run holding the row finishes first, so its new next date is
        # not overwritten with the old one (which would order the same period twice).
        recurring = recurring_orders_of(user).select_for_update(of=("self",)).filter(pk=recurring_id).first()
        if recurring is None:
            raise NotFound()
        if state not in State.values or recurring.state == State.ENDED:
            raise DomainError(_("This recurring order cannot change that way."), code="state_invalid")
        recurring.state = state
        if state == State.ACTIVE:
            recurring.last_error = ""
            today = timezone.localdate()
            while recurring.next_run < today:
                recurring.next_run = next_date(recurring.next_run, recurring.every, recurring.unit)
            # Resuming accepts today's prices (a run stopped by a price rise says so first).
            context = customer_context_for(user, language=user.language)
            recurring.items, recurring.currency = _with_prices(context, recurring.items), context.currency
        recurring.save(update_fields=["state", "last_error", "next_run", "items", "currency"])
    return recurring
