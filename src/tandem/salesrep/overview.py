"""The staff dashboard's figures: today's sales, orders waiting for someone, overdue money,
low stock and unread messages, each narrowed to the customers the staff user works with
(stock is the catalog's and the same for every staff user). A fixed handful of queries."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Sum
from django.utils import timezone

from tandem.billing.receivables.selectors import companies_with_credit
from tandem.customers.models import User
from tandem.customers.staff_scope import companies_managed_by
from tandem.inventory.models import StockItem
from tandem.messaging.selectors import unread_threads_count
from tandem.orders.models import OrderStatus
from tandem.orders.selectors import orders_managed_by
from tandem.salesrep.reports import DailySeries, Period, SalesReport, daily_revenue, sales_report

CHART_DAYS = 14
TO_SHIP = (OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS)


@dataclass(frozen=True, slots=True)
class Overdue:
    currency: str
    companies: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class StaffOverview:
    today: SalesReport  # grouped by channel
    awaiting_approval: int
    to_ship: dict[str, int]  # status → orders, for each of TO_SHIP
    overdue: list[Overdue]  # per currency
    low_stock: int
    low_stock_threshold: int
    unread_threads: int
    recent: list[DailySeries]

    @property
    def to_ship_total(self) -> int:
        return sum(self.to_ship.values())


def low_stock_count() -> int:
    """Variants of active products whose free units over the active warehouses are at or below
    ``STOCK_LOW_THRESHOLD`` (the same rule as the ``stock.low`` event)."""
    return (
        StockItem.objects.filter(warehouse__is_active=True, variant__is_active=True)
        .values("variant_id")
        .annotate(free=Sum(F("on_hand") - F("reserved")))
        .filter(free__lte=settings.STOCK_LOW_THRESHOLD)
        .count()
    )


def overdue_receivables(user: User, *, today: date) -> list[Overdue]:
    """Overdue money of the user's customers per currency (``companies_with_credit``'s rule)."""
    totals: dict[str, Overdue] = {}
    rows = (
        companies_with_credit(companies_managed_by(user), today=today)
        .filter(credit_overdue__gt=0)
        .values_list("currency", "credit_overdue")
    )
    for currency, amount in rows:
        known = totals.get(currency, Overdue(currency, 0, Decimal(0)))
        totals[currency] = Overdue(currency, known.companies + 1, known.amount + amount)
    return [totals[currency] for currency in sorted(totals)]


def staff_overview(user: User, *, today: date | None = None) -> StaffOverview:
    """Everything the staff dashboard shows for this user."""
    today = today or timezone.localdate()
    waiting = dict(
        orders_managed_by(user)
        .order_by()
        .filter(status__in=[OrderStatus.PENDING_APPROVAL, *TO_SHIP])
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return StaffOverview(
        today=sales_report(user, group_by="channel", period=Period(today, today)),
        awaiting_approval=waiting.get(OrderStatus.PENDING_APPROVAL, 0),
        to_ship={status: waiting.get(status, 0) for status in TO_SHIP},
        overdue=overdue_receivables(user, today=today),
        low_stock=low_stock_count(),
        low_stock_threshold=settings.STOCK_LOW_THRESHOLD,
        unread_threads=unread_threads_count(user),
        recent=daily_revenue(user, Period(today - timedelta(days=CHART_DAYS - 1), today)),
    )
