"""Reads for the sales-rep dashboard: the rep's customers with their activity and money.

One query loads a page of customers with everything a row shows (orders, open quotes and the
credit position come in subqueries), so the dashboard costs the same for 2 customers or 200.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from tandem.billing.receivables.selectors import CreditPosition, companies_with_credit, credit_position_of
from tandem.customers.acting import may_act_for_all
from tandem.customers.models import Company, User
from tandem.customers.staff_scope import companies_managed_by, manages_any_customer
from tandem.orders.models import Order, OrderStatus
from tandem.quotes.models import OPEN_QUOTE_STATUSES, Quote

RECENT_DAYS = 30
QUERY_LIMIT = 100


@dataclass(frozen=True, slots=True)
class CustomerFilters:
    """How the dashboard's customers are narrowed (all optional)."""

    query: str = ""  # the company's name or VAT ID contains this (VAT ID ignoring spaces and dashes)
    overdue_only: bool = False


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """One customer on the dashboard, with what the rep may do for it."""

    company: Company
    last_order_at: object  # datetime | None
    orders_recent: int
    open_quotes: int
    position: CreditPosition
    may_act: bool


def may_use_dashboard(user: User) -> bool:
    """Staff who see every customer, or a rep with at least one customer."""
    return manages_any_customer(user)


def _count(queryset: QuerySet) -> Coalesce:
    """How many rows of ``queryset`` belong to the outer company (0 for none)."""
    counted = (
        queryset.filter(company=OuterRef("pk"))
        .order_by()
        .values("company")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def customer_rows(user: User, filters: CustomerFilters, *, today: date | None = None) -> QuerySet[Company]:
    """The user's customers narrowed by the filters, sorted by name, each annotated with
    ``last_order_at``, ``orders_recent`` (the last 30 days), ``open_quotes`` and its credit
    sums (``billing.selectors.companies_with_credit``); turn them into rows with ``rows_of``."""
    today = today or timezone.localdate()
    companies = companies_managed_by(user).select_related("sales_rep")
    query = filters.query.strip()[:QUERY_LIMIT]
    if query:
        compact = re.sub(r"[\s.\-/]", "", query)
        companies = companies.filter(Q(name__icontains=query) | Q(vat_id__icontains=compact or query))
    orders = Order.objects.exclude(status__in=[OrderStatus.DRAFT, OrderStatus.CANCELLED])
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    companies = companies_with_credit(companies, today=today).annotate(
        last_order_at=Subquery(
            orders.filter(company=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
        ),
        orders_recent=_count(orders.filter(created_at__gte=since)),
        open_quotes=_count(Quote.objects.filter(status__in=OPEN_QUOTE_STATUSES)),
    )
    if filters.overdue_only:
        companies = companies.filter(credit_overdue__gt=0)
    return companies.order_by("name", "pk")


def rows_of(user: User, companies) -> list[CustomerRow]:
    """Dashboard rows of companies loaded by ``customer_rows`` (no further queries)."""
    for_all = may_act_for_all(user)
    return [
        CustomerRow(
            company=company,
            last_order_at=company.last_order_at,
            orders_recent=company.orders_recent,
            open_quotes=company.open_quotes,
            position=credit_position_of(company),
            may_act=company.is_active and (for_all or company.sales_rep_id == user.pk),
        )
        for company in companies
    ]
