"""Order reads with tenancy: a customer sees their own orders, a company user their
company's, a sales rep their customers', staff who may see all orders every order;
anything else is NotFound.

Order search (``OrderFilters``) is shared by the buyer's history, the staff pages and the
API. Input is parsed once at the edge (``order_filters_parse`` for query strings, the API
schema for JSON callers); an ``OrderFilters`` that exists is valid, so a bad value is a
clear error and never a silently ignored filter."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.dates import date_range_errors
from tandem.core.errors import DomainError, NotFound
from tandem.core.money import parse_decimal
from tandem.core.sync import changes_page
from tandem.customers.auth import membership_of
from tandem.customers.models import Company, User
from tandem.customers.staff_scope import companies_managed_by, manages_any_customer, sees_all_customers
from tandem.orders.models import CustomStatus, Order, OrderLine, OrderStatus
from tandem.orders.schemas import orders_for_output

# sort key → ORDER BY; the last column makes the order total (stable paging)
ORDER_SORTS: dict[str, tuple[str, ...]] = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "total": ("total_gross", "pk"),
    "-total": ("-total_gross", "-pk"),
    "number": ("number",),
    "-number": ("-number",),
}
ORDER_SORT_LABELS = {
    "newest": gettext_lazy("Newest first"),
    "oldest": gettext_lazy("Oldest first"),
    "total": gettext_lazy("Total, lowest first"),
    "-total": gettext_lazy("Total, highest first"),
    "number": gettext_lazy("Number, A–Z"),
    "-number": gettext_lazy("Number, Z–A"),
}
MAX_AMOUNT = Decimal("1000000000000")


class OrderFilterError(DomainError):
    """A search filter has a value that cannot be used (not a number, min above max…)."""

    code = "invalid_filter"
    status = 400

    def __init__(self, errors: dict[str, str]):
        field = next(iter(errors)) if len(errors) == 1 else None
        super().__init__(" ".join(errors.values()), field=field)
        self.errors = errors


@dataclass(frozen=True, slots=True)
class OrderFilters:
    """What orders are searched by (all optional; text matches ignore case)."""

    query: str = ""  # order number, PO number (contains), SKU or product name (contains)
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sku: str = ""  # exact
    product: str = ""  # product name contains
    po_number: str = ""  # exact
    amount_min: Decimal | None = None  # total gross
    amount_max: Decimal | None = None
    buyer: str = ""  # the customer's e-mail or name contains; for staff also company name / VAT ID
    company_id: int | None = None  # staff only
    sort: str = "newest"

    def __post_init__(self):
        errors = {}
        if self.status and self.status not in OrderStatus.values:
            errors["status"] = _("“%(status)s” is not an order status.") % {"status": self.status[:30]}
        if self.sort not in ORDER_SORTS:
            errors["sort"] = _("Sort by one of: %(sorts)s.") % {"sorts": ", ".join(ORDER_SORTS)}
        for name in ("amount_min", "amount_max"):
            amount = getattr(self, name)
            if amount is not None and (not amount.is_finite() or not 0 <= amount < MAX_AMOUNT):
                errors[name] = _("An amount must be a number from 0 up.")
        if (
            self.amount_min is not None
            and self.amount_max is not None
            and "amount_min" not in errors
            and "amount_max" not in errors
            and self.amount_min > self.amount_max
        ):
            errors["amount_max"] = _("The highest amount is below the lowest.")
        errors.update(date_range_errors(self.date_from, self.date_to))
        if errors:
            raise OrderFilterError(errors)


# query-string name → OrderFilters field (the pages' form; the API has its own schema)
FILTER_PARAMS = {
    "q": "query",
    "status": "status",
    "from": "date_from",
    "to": "date_to",
    "sku": "sku",
    "product": "product",
    "po": "po_number",
    "amount_min": "amount_min",
    "amount_max": "amount_max",
    "buyer": "buyer",
    "company": "company_id",
    "sort": "sort",
}
TEXT_LIMITS = {"query": 100, "sku": 64, "product": 100, "po_number": 60, "buyer": 100}


def _amount(text: str) -> Decimal:
    amount = parse_decimal(text)
    if amount is None:
        raise InvalidOperation
    return amount


def order_filters_parse(params: Mapping[str, str], *, staff: bool = False) -> OrderFilters:
    """OrderFilters from a query string (``FILTER_PARAMS`` names). Raises OrderFilterError
    naming every value that cannot be used; the company filter is for staff only."""
    values: dict = {}
    errors: dict[str, str] = {}
    for param, name in FILTER_PARAMS.items():
        text = (params.get(param) or "").strip()
        if not text or (name == "company_id" and not staff):
            continue
        if name in TEXT_LIMITS:
            values[name] = text[: TEXT_LIMITS[name]]
        elif name in ("status", "sort"):
            values[name] = text[:30]
        elif name in ("date_from", "date_to"):
            try:
                values[name] = date.fromisoformat(text[:10])
            except ValueError:
                errors[name] = _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text[:20]}
        elif name in ("amount_min", "amount_max"):
            try:
                values[name] = _amount(text[:30])
            except (InvalidOperation, ValueError):
                errors[name] = _("“%(value)s” is not an amount.") % {"value": text[:20]}
        elif name == "company_id":
            if text.isdigit() and len(text) < 10:
                values[name] = int(text)
            else:
                errors[name] = _("Choose a company from the list.")
    try:
        filters = OrderFilters(**values)
    except OrderFilterError as error:
        errors.update(error.errors)
        filters = None
    if errors:
        raise OrderFilterError(errors)
    return filters


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def order_search(orders: QuerySet[Order], filters: OrderFilters, *, staff: bool = False) -> QuerySet[Order]:
    """Narrow ``orders`` (already limited to what the caller may see) by the filters and
    sort them. Each filter is written so an index can answer it: SKU and PO number through
    ``UPPER(…)`` expression indexes, dates as ranges on ``created_at``, amounts on
    ``total_gross``; lines are matched in a subquery, so an order is listed once."""
    text = filters.query.strip()
    # Lines are only looked for in the orders the caller may see (not the whole order book).
    own_lines = OrderLine.objects.filter(order__in=orders.values("pk"))
    if text:
        matching_lines = own_lines.alias(sku_upper=Upper("sku")).filter(
            Q(sku_upper=text.upper()) | Q(name__icontains=text)
        )
        orders = orders.filter(
            Q(number__iexact=text)
            | Q(po_number__icontains=text)
            | Q(pk__in=matching_lines.values("order_id"))
        )
    if sku := filters.sku.strip():
        orders = orders.filter(
            pk__in=OrderLine.objects.alias(sku_upper=Upper("sku"))
            .filter(sku_upper=sku.upper())
            .values("order_id")
        )
    if product := filters.product.strip():
        orders = orders.filter(pk__in=own_lines.filter(name__icontains=product).values("order_id"))
    if po_number := filters.po_number.strip():
        orders = orders.alias(po_upper=Upper("po_number")).filter(po_upper=po_number.upper())
    if filters.amount_min is not None:
        orders = orders.filter(total_gross__gte=filters.amount_min)
    if filters.amount_max is not None:
        orders = orders.filter(total_gross__lte=filters.amount_max)
    if buyer := filters.buyer.strip():
        users = User.objects.filter(Q(email__icontains=buyer) | Q(full_name__icontains=buyer)).values("pk")
        match = Q(user_id__in=users) | Q(email__icontains=buyer)
        if staff:
            vat_id = "".join(buyer.split()).replace("-", "")
            match |= Q(
                company_id__in=Company.objects.filter(
                    Q(name__icontains=buyer) | Q(vat_id__icontains=vat_id)
                ).values("pk")
            )
        orders = orders.filter(match)
    if staff and filters.company_id is not None:
        orders = orders.filter(company_id=filters.company_id)
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.date_from:
        orders = orders.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        orders = orders.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return orders.order_by(*ORDER_SORTS[filters.sort])


# --- what a user may see ---------------------------------------------------------------


def orders_visible_to(user: User) -> QuerySet[Order]:
    if not user.is_authenticated:
        return Order.objects.none()
    membership = membership_of(user)
    if membership is not None and membership.is_active:
        return Order.objects.filter(company_id=membership.company_id)
    return Order.objects.filter(user=user, company__isnull=True)


ORDER_DETAIL = ("lines", "events__actor", "approvals__decided_by", "shipments__lines__order_line")


def order_for(user: User, number: str) -> Order:
    order = (
        orders_visible_to(user)
        .select_related("custom_status")
        .prefetch_related(*ORDER_DETAIL)
        .filter(number=number[:32])
        .first()
    )
    if order is None:
        raise NotFound()
    return order


def order_history(user: User, filters: OrderFilters) -> QuerySet[Order]:
    """The orders this user may see (their company's for a company user), narrowed and
    sorted by the filters."""
    return order_search(orders_visible_to(user), filters)


def orders_managed_by(user: User, filters: OrderFilters | None = None) -> QuerySet[Order]:
    """The orders a staff user works with (``customers.staff_scope``): every order, retail
    ones too, for staff who see every customer; a sales rep's own customers' orders otherwise;
    nothing for anyone else; narrowed and sorted by the filters."""
    if sees_all_customers(user):
        orders = Order.objects.all()
    else:
        orders = Order.objects.filter(company_id__in=companies_managed_by(user).values("pk"))
    return order_search(orders, filters or OrderFilters(), staff=True)


def may_manage_orders(user: User) -> bool:
    """Whether the staff order pages are for this user: staff who see every customer, or a
    sales rep with at least one customer."""
    return manages_any_customer(user)


def order_managed(user: User, number: str) -> Order:
    """One order for the staff order page, everything it shows loaded; an order outside
    ``orders_managed_by`` is NotFound (a rep never learns another rep's order exists)."""
    lines = OrderLine.objects.annotate(remaining=F("quantity") - F("shipped"))
    order = (
        orders_managed_by(user)
        .select_related("custom_status", "company", "user", "placed_by")
        .prefetch_related(
            Prefetch("lines", queryset=lines),
            "events__actor",
            "shipments__lines__order_line",
            "shipments__created_by",
        )
        .filter(number=number[:32])
        .first()
    )
    if order is None:
        raise NotFound()
    return order


def custom_statuses_for(order: Order) -> list[CustomStatus]:
    """The merchant statuses the order may be given next (all of them when its current
    one names none)."""
    if order.custom_status_id is not None:
        allowed = list(order.custom_status.allowed_next.all())
        if allowed:
            return allowed
    return list(CustomStatus.objects.all())


def order_for_management(user: User, number: str) -> Order:
    """Staff reach the orders they manage (``orders_managed_by``: all of them with
    ``view_all_orders``, a rep their customers'); anyone else only the orders they may see
    (NotFound otherwise). What they may then do is decided by the services."""
    if not user.is_staff:
        return order_for(user, number)
    order = (
        orders_managed_by(user)
        .select_related("custom_status")
        .prefetch_related(*ORDER_DETAIL)
        .filter(number=number[:32])
        .first()
    )
    if order is None:
        raise NotFound()
    return order


def order_changes_page(
    orders: QuerySet[Order], *, updated_since: datetime | None, cursor: str | None, limit: int
) -> tuple[list[Order], str | None]:
    """One page of ``orders`` changed after the cursor (or ``updated_since``), with what the
    order resource shows (core.sync)."""
    return changes_page(orders_for_output(orders), updated_since=updated_since, cursor=cursor, limit=limit)


def orders_placed_by_channel() -> list[tuple[tuple[str], float]]:
    """How many orders each channel has placed (the metric ``tandem_orders_placed_total``)."""
    counts = dict(Order.objects.order_by().values_list("channel").annotate(n=Count("pk")))
    return [((channel,), float(counts.get(channel, 0))) for channel in ("b2b", "b2c")]
