"""Receivables reads: a company's balance, overdue amount and available credit."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from tandem.billing.models import LedgerEntry
from tandem.core.money import round_money
from tandem.customers.models import Company
from tandem.orders.models import Order, OrderStatus, PaymentMethod

ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class CreditPosition:
    currency: str
    credit_limit: Decimal
    balance: Decimal  # open receivables: Σ debit − Σ credit
    open_orders: Decimal  # orders on account not invoiced yet (gross)
    overdue: Decimal  # past-due debits not covered by credits
    overdue_tolerance: Decimal

    @property
    def used(self) -> Decimal:
        return self.balance + self.open_orders

    @property
    def available(self) -> Decimal:
        return self.credit_limit - self.used

    @property
    def overdue_blocks(self) -> bool:
        return self.overdue > self.overdue_tolerance


def credit_position(company: Company, *, today: date | None = None) -> CreditPosition:
    """Where the company stands (two queries). Credits settle the oldest debts first, so
    the overdue amount is the past-due debits that all credits together do not cover."""
    today = today or timezone.localdate()
    sums = LedgerEntry.objects.filter(company=company).aggregate(
        debits=Sum("debit"), credits=Sum("credit"),
        past_due=Sum("debit", filter=Q(due_date__lt=today)),
    )
    debit, credit, past_due = (sums["debits"] or ZERO), (sums["credits"] or ZERO), (sums["past_due"] or ZERO)
    open_orders = Order.objects.filter(
        company=company, payment_method=PaymentMethod.ON_ACCOUNT, invoiced=False,
    ).exclude(status__in=[OrderStatus.CANCELLED, OrderStatus.DRAFT]).aggregate(total=Sum("total_gross"))
    currency = company.currency
    return CreditPosition(
        currency=currency,
        credit_limit=round_money(company.credit_limit, currency),
        balance=round_money(debit - credit, currency),
        open_orders=round_money(open_orders["total"] or ZERO, currency),
        overdue=round_money(max(past_due - credit, ZERO), currency),
        overdue_tolerance=round_money(company.overdue_tolerance, currency),
    )


# --- many companies at once (lists such as the sales rep's customers) ------------------------

SUM_FIELD = DecimalField(max_digits=20, decimal_places=2)


def _sum_per_company(queryset: QuerySet, field: str) -> Coalesce:
    """Σ ``field`` of the rows of ``queryset`` that belong to the outer company, 0 for none."""
    total = queryset.filter(company=OuterRef("pk")).order_by().values("company").annotate(
        total=Sum(field)).values("total")
    return Coalesce(Subquery(total, output_field=SUM_FIELD), Value(ZERO), output_field=SUM_FIELD)


def companies_with_credit(companies: QuerySet[Company], *, today: date | None = None) -> QuerySet[Company]:
    """The companies with the sums of their credit position in the same query (subqueries, so
    a page of any length costs one query): ``credit_position_of`` turns a row into the
    CreditPosition that ``credit_position`` gives; ``credit_overdue`` (past-due debits not
    covered by credits, the same rule) can be filtered on, e.g. ``credit_overdue__gt=0``."""
    today = today or timezone.localdate()
    ledger = LedgerEntry.objects.all()
    open_orders = Order.objects.filter(payment_method=PaymentMethod.ON_ACCOUNT, invoiced=False).exclude(
        status__in=[OrderStatus.CANCELLED, OrderStatus.DRAFT])
    return companies.annotate(
        credit_debits=_sum_per_company(ledger, "debit"),
        credit_credits=_sum_per_company(ledger, "credit"),
        credit_past_due=_sum_per_company(ledger.filter(due_date__lt=today), "debit"),
        credit_open_orders=_sum_per_company(open_orders, "total_gross"),
    ).annotate(
        credit_overdue=Greatest(F("credit_past_due") - F("credit_credits"), Value(ZERO),
                                output_field=SUM_FIELD),
    )


def credit_position_of(company: Company) -> CreditPosition:
    """The credit position of a company loaded through ``companies_with_credit`` (no query)."""
    currency = company.currency
    return CreditPosition(
        currency=currency,
        credit_limit=round_money(company.credit_limit, currency),
        balance=round_money(company.credit_debits - company.credit_credits, currency),
        open_orders=round_money(company.credit_open_orders, currency),
        overdue=round_money(max(company.credit_past_due - company.credit_credits, ZERO), currency),
        overdue_tolerance=round_money(company.overdue_tolerance, currency),
    )
