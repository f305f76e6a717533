"""Receivables reads: a company's balance, overdue amount and available credit."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.billing.models import DocumentKind, Invoice, LedgerEntry, PaymentAllocation, ReceivedPayment
from tandem.core.errors import PermissionDenied
from tandem.core.money import round_money
from tandem.customers.auth import membership_of
from tandem.customers.models import Company, CompanyRole, CompanyUser, User
from tandem.customers.staff_scope import companies_managed_by, sees_all_customers
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
        debits=Sum("debit"),
        credits=Sum("credit"),
        past_due=Sum("debit", filter=Q(due_date__lt=today)),
    )
    debit, credit, past_due = (sums["debits"] or ZERO), (sums["credits"] or ZERO), (sums["past_due"] or ZERO)
    open_orders = (
        Order.objects.filter(
            company=company,
            payment_method=PaymentMethod.ON_ACCOUNT,
            invoiced=False,
        )
        .exclude(status__in=[OrderStatus.CANCELLED, OrderStatus.DRAFT])
        .aggregate(total=Sum("total_gross"))
    )
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
    total = (
        queryset.filter(company=OuterRef("pk"))
        .order_by()
        .values("company")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=SUM_FIELD), Value(ZERO), output_field=SUM_FIELD)


def companies_with_credit(companies: QuerySet[Company], *, today: date | None = None) -> QuerySet[Company]:
    """The companies with the sums of their credit position in the same query (subqueries, so
    a page of any length costs one query): ``credit_position_of`` turns a row into the
    CreditPosition that ``credit_position`` gives; ``credit_overdue`` (past-due debits not
    covered by credits, the same rule) can be filtered on, e.g. ``credit_overdue__gt=0``."""
    today = today or timezone.localdate()
    ledger = LedgerEntry.objects.all()
    open_orders = Order.objects.filter(payment_method=PaymentMethod.ON_ACCOUNT, invoiced=False).exclude(
        status__in=[OrderStatus.CANCELLED, OrderStatus.DRAFT]
    )
    return companies.annotate(
        credit_debits=_sum_per_company(ledger, "debit"),
        credit_credits=_sum_per_company(ledger, "credit"),
        credit_past_due=_sum_per_company(ledger.filter(due_date__lt=today), "debit"),
        credit_open_orders=_sum_per_company(open_orders, "total_gross"),
    ).annotate(
        credit_overdue=Greatest(
            F("credit_past_due") - F("credit_credits"), Value(ZERO), output_field=SUM_FIELD
        ),
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


# --- open invoices, overdue days and the receivables ageing ------------------------------------
# An invoice is a receivable when it was issued to a company on account: it is the one
# debited in the ledger. What is still open of it is its gross less its credit notes and the
# payments allocated to it; with an instalment plan, each instalment falls due on its own
# date and payments settle the earliest first.

AGEING_BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_over_90")


def receivable_invoices() -> QuerySet:
    """Invoices issued to companies on account (those booked as debits in the ledger)."""

    return Invoice.objects.filter(
        kind=DocumentKind.INVOICE, company__isnull=False, payment_method=PaymentMethod.ON_ACCOUNT
    )


def with_open_amounts(invoices: QuerySet) -> QuerySet:
    """``invoices`` annotated with ``credited`` (their credit notes' gross), ``allocated``
    (payments allocated) and ``open_amount`` (what is left to pay, never below zero; zero
    for an invoice paid before it was issued)."""
    from django.db.models import Case, When

    credited = (
        Invoice.objects.filter(corrects=OuterRef("pk"), kind=DocumentKind.CREDIT_NOTE)
        .order_by()
        .values("corrects")
        .annotate(total=Sum("total_gross"))
        .values("total")
    )
    allocated = (
        PaymentAllocation.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    zero = Value(ZERO, output_field=SUM_FIELD)
    return invoices.annotate(
        credited=Coalesce(Subquery(credited, output_field=SUM_FIELD), zero, output_field=SUM_FIELD),
        allocated=Coalesce(Subquery(allocated, output_field=SUM_FIELD), zero, output_field=SUM_FIELD),
    ).annotate(
        open_amount=Case(
            When(paid_at_issue=True, then=zero),
            default=Greatest(F("total_gross") - F("credited") - F("allocated"), zero, output_field=SUM_FIELD),
            output_field=SUM_FIELD,
        ),
    )


def invoice_open_amount(invoice) -> Decimal:
    """What is still to pay of one invoice (one query)."""
    row = with_open_amounts(type(invoice).objects.filter(pk=invoice.pk)).values("open_amount").first()
    return round_money(row["open_amount"], invoice.currency) if row else ZERO


@dataclass(frozen=True, slots=True)
class DuePart:
    """A part of an invoice falling due on one date (the whole invoice, or an instalment),
    with what is still open of it."""

    due_date: date
    amount: Decimal
    open: Decimal


@dataclass(frozen=True, slots=True)
class OpenInvoice:
    """An invoice with something left to pay, as of ``today``."""

    invoice: object  # billing.Invoice
    open_amount: Decimal
    parts: tuple[DuePart, ...]
    today: date

    @property
    def overdue_parts(self) -> tuple[DuePart, ...]:
        return tuple(part for part in self.parts if part.open > 0 and part.due_date < self.today)

    @property
    def overdue_amount(self) -> Decimal:
        return sum((part.open for part in self.overdue_parts), ZERO)

    @property
    def days_overdue(self) -> int:
        """Days since the earliest unpaid part fell due (0 when nothing is overdue)."""
        parts = self.overdue_parts
        return (self.today - parts[0].due_date).days if parts else 0


def _due_parts(invoice, paid: Decimal) -> tuple[DuePart, ...]:
    """The invoice's instalments (or the invoice as one part), the earliest settled first."""
    plan = [(item.due_date, item.amount) for item in invoice.instalments.all()] or [
        (invoice.due_date or invoice.issue_date, invoice.total_gross)
    ]
    parts = []
    for due_date, amount in sorted(plan):
        settled = min(paid, amount)
        paid -= settled
        parts.append(DuePart(due_date, amount, amount - settled))
    return tuple(parts)


def open_invoices(
    *,
    companies: QuerySet[Company] | None = None,
    today: date | None = None,
    invoice_ids: list[int] | None = None,
) -> list[OpenInvoice]:
    """The receivable invoices with something left to pay (of ``companies``, or all), oldest
    due first; two queries whatever their number."""
    today = today or timezone.localdate()
    invoices = with_open_amounts(receivable_invoices()).filter(open_amount__gt=0)
    if companies is not None:
        invoices = invoices.filter(company__in=companies)
    if invoice_ids is not None:
        invoices = invoices.filter(pk__in=invoice_ids)
    invoices = (
        invoices.select_related("company")
        .prefetch_related("instalments")
        .order_by("due_date", "issue_date", "pk")
    )
    items = []
    for invoice in invoices:
        open_amount = round_money(invoice.open_amount, invoice.currency)  # SQLite drops the scale
        items.append(
            OpenInvoice(invoice, open_amount, _due_parts(invoice, invoice.total_gross - open_amount), today)
        )
    return items


def company_overdue_days(company: Company, *, today: date | None = None) -> int:
    """How many days the company's oldest unpaid, past-due invoice (or instalment) is late."""
    items = open_invoices(companies=Company.objects.filter(pk=company.pk), today=today)
    return max((item.days_overdue for item in items), default=0)


def ageing_bucket(days_overdue: int) -> str:
    """Not due yet (or due today), 1–30, 31–60, 61–90 or more than 90 days after the due date."""
    if days_overdue <= 0:
        return "current"
    if days_overdue <= 30:
        return "days_1_30"
    if days_overdue <= 60:
        return "days_31_60"
    if days_overdue <= 90:
        return "days_61_90"
    return "days_over_90"


@dataclass(slots=True)
class AgeingRow:
    """Open receivables of one company (or a total per currency) by how late they are."""

    company_id: int | None
    company_name: str
    currency: str
    current: Decimal = ZERO
    days_1_30: Decimal = ZERO
    days_31_60: Decimal = ZERO
    days_61_90: Decimal = ZERO
    days_over_90: Decimal = ZERO
    oldest_days_overdue: int = 0

    @property
    def total(self) -> Decimal:
        return sum((getattr(self, bucket) for bucket in AGEING_BUCKETS), ZERO)

    @property
    def overdue(self) -> Decimal:
        return self.total - self.current

    def add(self, bucket: str, amount: Decimal, days_overdue: int) -> None:
        setattr(self, bucket, getattr(self, bucket) + amount)
        self.oldest_days_overdue = max(self.oldest_days_overdue, days_overdue)


@dataclass(frozen=True, slots=True)
class Ageing:
    today: date
    rows: list[AgeingRow]  # per company, by name
    totals: list[AgeingRow]  # one per currency (amounts in different currencies are never added)


def receivables_ageing(today: date | None = None, *, companies: QuerySet[Company] | None = None) -> Ageing:
    """Open receivables per company in the buckets current / 1–30 / 31–60 / 61–90 / 90+ days
    after the due date (each instalment in its own bucket), and the totals per currency."""
    today = today or timezone.localdate()
    rows: dict[int, AgeingRow] = {}
    totals: dict[str, AgeingRow] = {}
    for item in open_invoices(companies=companies, today=today):
        invoice = item.invoice
        row = rows.get(invoice.company_id)
        if row is None:
            row = rows[invoice.company_id] = AgeingRow(
                invoice.company_id, invoice.company.name, invoice.currency
            )
        total = totals.setdefault(invoice.currency, AgeingRow(None, "", invoice.currency))
        for part in item.parts:
            if part.open <= 0:
                continue
            days = (today - part.due_date).days
            bucket = ageing_bucket(days)
            row.add(bucket, part.open, max(days, 0))
            total.add(bucket, part.open, max(days, 0))
    return Ageing(
        today=today,
        rows=sorted(rows.values(), key=lambda row: (row.company_name.lower(), row.company_id)),
        totals=[totals[currency] for currency in sorted(totals)],
    )


def payments_with_unallocated(payments: QuerySet | None = None) -> QuerySet:
    """Received payments annotated with ``allocated`` and ``unallocated`` (their amount not
    allocated to invoices: credit on the company's account)."""

    allocated = (
        PaymentAllocation.objects.filter(payment=OuterRef("pk"))
        .order_by()
        .values("payment")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    payments = payments if payments is not None else ReceivedPayment.objects.all()
    return payments.annotate(
        allocated=Coalesce(Subquery(allocated, output_field=SUM_FIELD), Value(ZERO), output_field=SUM_FIELD),
    ).annotate(unallocated=F("amount") - F("allocated"))


def ledger_of(company: Company) -> QuerySet[LedgerEntry]:
    """The company's ledger, oldest first (``booked_on``, then as booked)."""
    return LedgerEntry.objects.filter(company=company).order_by("booked_on", "pk")


def receivables_companies_for(user) -> QuerySet[Company] | None:
    """The companies whose receivables a staff user reads (``customers.staff_scope``): every
    one (None, no filter needed) for staff who see every customer, a rep's own otherwise."""
    return None if sees_all_customers(user) else companies_managed_by(user)


# --- who reads a company's account (the client panel's rule, the API's too) ---------------------

BALANCE_ROLES = (CompanyRole.ADMIN, CompanyRole.ACCOUNTANT, CompanyRole.APPROVER)
ACCOUNT_ROLES = (CompanyRole.ADMIN, CompanyRole.ACCOUNTANT)


def active_membership(user: User) -> CompanyUser | None:
    """The user's company membership while it is active (None for anyone else)."""
    if not user.is_authenticated:
        return None
    membership = membership_of(user)
    return membership if membership is not None and membership.is_active else None


def account_company(user: User, *, ledger: bool = False) -> Company:
    """The company whose account figures this user may read: its balance (admin, accountant,
    approver) or, with ``ledger``, its ledger and statements (admin, accountant). Raises
    PermissionDenied for anyone else."""
    membership = active_membership(user)
    roles = ACCOUNT_ROLES if ledger else BALANCE_ROLES
    if membership is None or membership.role not in roles:
        raise PermissionDenied(
            _("Only your company's administrator or accountant can see its account statement.")
            if ledger
            else _("Your role does not include the company's balance."),
            code="account_not_visible",
        )
    return membership.company


def may_see_balance(user: User) -> bool:
    membership = active_membership(user)
    return membership is not None and membership.role in BALANCE_ROLES


def may_see_ledger(user: User) -> bool:
    membership = active_membership(user)
    return membership is not None and membership.role in ACCOUNT_ROLES
