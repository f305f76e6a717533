"""Merchant reports: sales over a period grouped by channel, customer, product, category or
sales rep, and the daily revenue per channel, for the staff pages, the downloads and the API.

Revenue is the net value of the order lines (goods after line discounts, before order-level
coupons and without delivery), so every grouping adds up to the same total; an order with
lines in two products counts once in each. Amounts in different currencies are never added:
every result is split per currency. Only counted orders are read (``SALES_STATUSES``), and
only the orders the staff user works with (``orders_managed_by``). The database aggregates:
a report costs the same few queries whatever the period or the number of orders.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Max, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, Lower, NullIf, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.context import Channel
from tandem.core.dates import date_range_errors
from tandem.core.errors import DomainError
from tandem.core.money import round_money
from tandem.customers.models import User
from tandem.orders.models import SALES_STATUSES, OrderLine
from tandem.orders.selectors import orders_managed_by

TOP_GROUPS = 50
DEFAULT_DAYS = 30
MAX_DAYS = 1100  # about three years: the daily chart stays readable and the page light
OTHERS = "others"

GROUPINGS: dict[str, str] = {
    "channel": gettext_lazy("Channel"),
    "customer": gettext_lazy("Customer"),
    "product": gettext_lazy("Product"),
    "category": gettext_lazy("Category"),
    "rep": gettext_lazy("Sales rep"),
}
# groupings in which every order is in exactly one group (an order's lines can be in many products)
ORDER_DISJOINT = frozenset({"channel", "customer", "rep"})
PRESETS: dict[str, str] = {
    "last_30_days": gettext_lazy("Last 30 days"),
    "this_month": gettext_lazy("This month"),
    "last_month": gettext_lazy("Last month"),
    "this_year": gettext_lazy("This year"),
}


class ReportPeriodError(DomainError):
    """The report's period or grouping cannot be used (not a date, from after to…)."""

    code = "invalid_report_period"
    status = 400

    def __init__(self, errors: dict[str, str]):
        field_name = next(iter(errors)) if len(errors) == 1 else None
        super().__init__(" ".join(errors.values()), field=field_name)
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Period:
    """Whole days from ``first`` to ``last``, both included, in the shop's time zone."""

    first: date
    last: date

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def bounds(self) -> tuple[datetime, datetime]:
        start = timezone.make_aware(datetime.combine(self.first, time.min))
        end = timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))
        return start, end


def period_preset(name: str, *, today: date) -> Period:
    """The period a preset names (``PRESETS``); the last 30 days for any other name."""
    if name == "this_month":
        return Period(today.replace(day=1), today)
    if name == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last)
    if name == "this_year":
        return Period(today.replace(month=1, day=1), today)
    return Period(today - timedelta(days=DEFAULT_DAYS - 1), today)


def period_of(date_from: date | None, date_to: date | None, *, today: date | None = None) -> Period:
    """The period from..to (a missing end: today, a missing start: 30 days before the end).
    Raises ReportPeriodError for a start after the end or a period over ``MAX_DAYS``."""
    today = today or timezone.localdate()
    errors = date_range_errors(date_from, date_to)
    if errors:
        raise ReportPeriodError(errors)
    last = date_to or max(today, date_from or today)
    first = date_from or last - timedelta(days=DEFAULT_DAYS - 1)
    if (last - first).days + 1 > MAX_DAYS:
        raise ReportPeriodError(
            {"date_from": _("Choose a period of at most %(days)s days.") % {"days": MAX_DAYS}}
        )
    return Period(first, last)


def report_params_parse(params: Mapping[str, str], *, today: date | None = None) -> tuple[str, Period]:
    """The grouping and period of a query string (``group_by``, ``from``, ``to``, ``preset``):
    a preset wins over dates. Raises ReportPeriodError naming every value that cannot be used."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    group_by = (params.get("group_by") or "channel").strip()[:20]
    if group_by not in GROUPINGS:
        errors["group_by"] = _("Group by one of: %(groupings)s.") % {"groupings": ", ".join(GROUPINGS)}
    preset = (params.get("preset") or "").strip()
    if preset in PRESETS:
        if errors:
            raise ReportPeriodError(errors)
        return group_by, period_preset(preset, today=today)
    days: dict[str, date | None] = {}
    for param, name in (("from", "date_from"), ("to", "date_to")):
        text = (params.get(param) or "").strip()
        days[name] = None
        if text:
            try:
                days[name] = date.fromisoformat(text[:10])
            except ValueError:
                errors[name] = _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text[:20]}
    if errors:
        raise ReportPeriodError(errors)
    return group_by, period_of(days["date_from"], days["date_to"], today=today)


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One group of a report: ``key`` is stable (for links and the API), ``label`` for people.
    ``orders`` is None for "others" where orders can be in several groups (products)."""

    key: str
    label: str
    orders: int | None
    units: int
    revenue: Decimal
    share: Decimal  # percent of the currency's total, one decimal


@dataclass(frozen=True, slots=True)
class CurrencyReport:
    """The rows of one currency, by revenue (the top ``TOP_GROUPS`` and "others"), and totals."""

    currency: str
    rows: list[ReportRow]
    orders: int
    units: int
    revenue: Decimal


@dataclass(frozen=True, slots=True)
class SalesReport:
    group_by: str
    period: Period
    currencies: list[CurrencyReport] = field(default_factory=list)


def counted_lines(user: User, period: Period) -> QuerySet[OrderLine]:
    """The order lines of the counted orders the user works with, placed within the period."""
    start, end = period.bounds()
    orders = (
        orders_managed_by(user)
        .order_by()
        .filter(status__in=SALES_STATUSES, created_at__gte=start, created_at__lt=end)
    )
    return OrderLine.objects.filter(order__in=orders.values("pk")).order_by()


def _text(expression) -> Cast:
    return Cast(expression, output_field=CharField())


def _grouped(lines: QuerySet[OrderLine], group_by: str) -> QuerySet:
    """``lines`` grouped by currency and ``group_key``, each with ``group_label``."""
    if group_by == "channel":
        keyed = lines.annotate(group_key=F("order__channel"))
        label = Max("order__channel")
    elif group_by == "customer":
        keyed = lines.annotate(
            group_key=Case(
                When(
                    order__company_id__isnull=False,
                    then=Concat(Value("company:"), _text("order__company_id")),
                ),
                When(order__user_id__isnull=False, then=Concat(Value("user:"), _text("order__user_id"))),
                default=Concat(Value("guest:"), Lower("order__email")),
                output_field=CharField(),
            )
        )
        label = Max(
            Coalesce(
                "order__company__name",
                NullIf("order__user__full_name", Value("")),
                "order__user__email",
                "order__email",
                output_field=CharField(),
            )
        )
    elif group_by == "product":
        keyed = lines.annotate(
            group_key=Case(
                When(variant__isnull=False, then=Concat(Value("product:"), _text("variant__product_id"))),
                default=Concat(Value("sku:"), "sku"),
                output_field=CharField(),
            )
        )
        label = Max(Coalesce("variant__product__name", "name", output_field=CharField()))
    elif group_by == "category":
        keyed = lines.annotate(
            group_key=Coalesce(_text("variant__product__category_id"), Value(""), output_field=CharField())
        )
        label = Max(Coalesce("variant__product__category__name", Value(""), output_field=CharField()))
    else:  # rep: the customer's sales rep (a retail order has none)
        keyed = lines.annotate(
            group_key=Coalesce(_text("order__company__sales_rep_id"), Value(""), output_field=CharField())
        )
        label = Max(
            Coalesce(
                NullIf("order__company__sales_rep__full_name", Value("")),
                "order__company__sales_rep__email",
                Value(""),
                output_field=CharField(),
            )
        )
    return keyed.values("order__currency", "group_key").annotate(
        group_label=label,
        orders=Count("order", distinct=True),
        units=Sum("quantity"),
        revenue=Sum("line_net"),
    )


def _label(group_by: str, key: str, label: str) -> str:
    if group_by == "channel":
        return str(Channel(key).label) if key in Channel.values else key
    if group_by == "category" and not key:
        return _("No category (product removed)")
    if group_by == "rep" and not key:
        return _("No sales rep (retail and unassigned)")
    return label


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(Decimal("0.1")) if whole else Decimal(0)


def sales_report(user: User, *, group_by: str, period: Period) -> SalesReport:
    """Sales of the period grouped by ``group_by`` (a ``GROUPINGS`` key), one table per
    currency (the currency with most orders first), rows by revenue: the top ``TOP_GROUPS``
    and the rest as one "others" row. Two queries."""
    if group_by not in GROUPINGS:
        raise ReportPeriodError(
            {"group_by": _("Group by one of: %(groupings)s.") % {"groupings": ", ".join(GROUPINGS)}}
        )
    lines = counted_lines(user, period)
    totals = {
        row["order__currency"]: row
        for row in lines.values("order__currency").annotate(
            orders=Count("order", distinct=True), units=Sum("quantity"), revenue=Sum("line_net")
        )
    }
    for currency, total in totals.items():
        total["revenue"] = round_money(total["revenue"], currency)  # a database sum may drop the cents
    groups: dict[str, list[dict]] = {currency: [] for currency in totals}
    for row in _grouped(lines, group_by):
        row["revenue"] = round_money(row["revenue"], row["order__currency"])
        groups.setdefault(row["order__currency"], []).append(row)
    reports = []
    for currency, rows in groups.items():
        total = totals[currency]
        rows.sort(key=lambda row: (-row["revenue"], _label(group_by, row["group_key"], row["group_label"])))
        shown = [
            ReportRow(
                key=row["group_key"],
                label=_label(group_by, row["group_key"], row["group_label"]),
                orders=row["orders"],
                units=row["units"],
                revenue=row["revenue"],
                share=_share(row["revenue"], total["revenue"]),
            )
            for row in rows[:TOP_GROUPS]
        ]
        rest = rows[TOP_GROUPS:]
        if rest:
            revenue = round_money(sum((row["revenue"] for row in rest), Decimal(0)), currency)
            shown.append(
                ReportRow(
                    key=OTHERS,
                    label=_("Others (%(count)s)") % {"count": len(rest)},
                    orders=sum(row["orders"] for row in rest) if group_by in ORDER_DISJOINT else None,
                    units=sum(row["units"] for row in rest),
                    revenue=revenue,
                    share=_share(revenue, total["revenue"]),
                )
            )
        reports.append(
            CurrencyReport(
                currency=currency,
                rows=shown,
                orders=total["orders"],
                units=total["units"],
                revenue=total["revenue"],
            )
        )
    reports.sort(key=lambda report: (-report.orders, report.currency))
    return SalesReport(group_by=group_by, period=period, currencies=reports)


@dataclass(frozen=True, slots=True)
class DailySeries:
    """Net revenue per day and channel of one currency; every day of the period is there."""

    currency: str
    days: list[date]
    by_channel: dict[str, list[Decimal]]  # channel → revenue per day, in ``days`` order

    @property
    def total(self) -> Decimal:
        return sum((sum(values, Decimal(0)) for values in self.by_channel.values()), Decimal(0))


def daily_revenue(user: User, period: Period) -> list[DailySeries]:
    """Net revenue per day of the period split by channel, one series per currency (the
    biggest first). One query."""
    days = period.days
    index = {day: n for n, day in enumerate(days)}
    series: dict[str, dict[str, list[Decimal]]] = {}
    rows = (
        counted_lines(user, period)
        .annotate(day=TruncDate("order__created_at"))
        .values("order__currency", "day", "order__channel")
        .annotate(revenue=Sum("line_net"))
    )
    for row in rows:
        position = index.get(row["day"])
        if position is None:
            continue
        per_channel = series.setdefault(
            row["order__currency"], {channel: [Decimal(0)] * len(days) for channel in Channel.values}
        )
        revenue = round_money(row["revenue"], row["order__currency"])
        per_channel.setdefault(row["order__channel"], [Decimal(0)] * len(days))[position] += revenue
    result = [DailySeries(currency, days, per_channel) for currency, per_channel in series.items()]
    return sorted(result, key=lambda one: (-one.total, one.currency))


def report_table(report: SalesReport) -> tuple[list[str], list[list]]:
    """The download's header and rows: each currency's groups then its total, numbers as
    numbers (share in percent)."""
    header = [
        _("Currency"),
        str(GROUPINGS[report.group_by]),
        _("Orders"),
        _("Units"),
        _("Net revenue"),
        _("Share %"),
    ]
    rows: list[list] = []
    for currency in report.currencies:
        rows.extend(
            [currency.currency, row.label, row.orders, row.units, row.revenue, row.share]
            for row in currency.rows
        )
        rows.append(
            [currency.currency, _("Total"), currency.orders, currency.units, currency.revenue, Decimal(100)]
        )
    return header, rows
