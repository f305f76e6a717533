"""Billing document reads with tenancy: who sees which invoices, credit notes, dispatch notes
and account statements. Anything outside a user's scope is NotFound (a customer never
learns another company's document exists).

Customers (the client panel and the API):

- a company's admin and accountant see all of its documents and its account (balance,
  ledger, statement);
- an approver sees all of its documents (they decide on the company's spending) and its
  balance, but not the ledger or statements;
- a buyer sees the documents of the orders they placed, and no account figures;
- a retail customer sees the invoices and dispatch notes of their own orders.

Staff (the API): invoices with ``billing.view_invoice`` — every invoice with
``orders.view_all_orders`` (finance), a sales rep's own customers' otherwise; dispatch
notes of the orders they manage (``orders.selectors.orders_managed_by``).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.billing.models import DocumentKind, Invoice, LedgerEntry
from tandem.billing.receivables.selectors import (
    CreditPosition,
    active_membership,
    credit_position,
)
from tandem.core.dates import date_range_errors
from tandem.core.errors import DomainError, NotFound
from tandem.core.money import round_money
from tandem.customers.models import Company, CompanyRole, User
from tandem.customers.staff_scope import companies_managed_by, sees_all_customers
from tandem.orders.models import Order, Shipment
from tandem.orders.selectors import orders_managed_by

WHOLE_COMPANY_ROLES = (CompanyRole.ADMIN, CompanyRole.ACCOUNTANT, CompanyRole.APPROVER)
ZERO = Decimal("0")


class DocumentFilterError(DomainError):
    """A document filter has a value that cannot be used."""

    code = "invalid_filter"
    status = 400

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()), field=next(iter(errors)) if len(errors) == 1 else None)
        self.errors = errors


@dataclass(frozen=True, slots=True)
class DocumentFilters:
    """What documents are searched by (all optional)."""

    kind: str = ""  # invoice / credit_note (invoices only)
    date_from: date | None = None
    date_to: date | None = None
    number: str = ""  # contains, any case

    def __post_init__(self):
        errors = {}
        if self.kind and self.kind not in DocumentKind.values:
            errors["kind"] = _("Choose invoices or credit notes.")
        errors.update(date_range_errors(self.date_from, self.date_to))
        if errors:
            raise DocumentFilterError(errors)


FILTER_PARAMS = {"kind": "kind", "from": "date_from", "to": "date_to", "number": "number"}


def parse_day(text: str, name: str, errors: dict[str, str]) -> date | None:
    """A date from a query string (ISO, e.g. 2026-03-31), or None; a bad one goes to ``errors``."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        errors[name] = _("Enter a date as YYYY-MM-DD.")
        return None


def document_filters_parse(params: Mapping[str, str]) -> DocumentFilters:
    """DocumentFilters from a query string. Raises DocumentFilterError naming each bad value."""
    errors: dict[str, str] = {}
    values = {
        "kind": params.get("kind", "").strip()[:20],
        "number": params.get("number", "").strip()[:40],
        "date_from": parse_day(params.get("from", ""), "date_from", errors),
        "date_to": parse_day(params.get("to", ""), "date_to", errors),
    }
    if errors:
        raise DocumentFilterError(errors)
    return DocumentFilters(**values)


# --- scopes ---------------------------------------------------------------------------------


def _own_orders(user: User) -> Q:
    return Q(order__placed_by=user) | Q(order__user=user)


def invoices_of_customer(user: User) -> QuerySet[Invoice]:
    """The invoices and credit notes the client panel shows this user (see the module doc)."""
    if not user.is_authenticated:
        return Invoice.objects.none()
    membership = active_membership(user)
    if membership is not None:
        invoices = Invoice.objects.filter(company_id=membership.company_id)
        return invoices if membership.role in WHOLE_COMPANY_ROLES else invoices.filter(_own_orders(user))
    return Invoice.objects.filter(user=user, company__isnull=True)


def invoices_managed_by(user: User) -> QuerySet[Invoice]:
    """The invoices a staff user may read: all for finance, a rep's customers' for a rep."""
    if not may_read_all_invoices(user):
        return Invoice.objects.none()
    if sees_all_customers(user):
        return Invoice.objects.all()
    return Invoice.objects.filter(company__in=companies_managed_by(user).values("pk"))


def may_read_all_invoices(user: User) -> bool:
    """Staff who read invoices as staff (the API), not as a customer."""
    return (
        user.is_authenticated and user.is_active and user.is_staff and user.has_perm("billing.view_invoice")
    )


def invoices_visible_to(user: User) -> QuerySet[Invoice]:
    """Staff scope for staff who read invoices, the customer's scope for everyone else."""
    return invoices_managed_by(user) if may_read_all_invoices(user) else invoices_of_customer(user)


def invoice_search(invoices: QuerySet[Invoice], filters: DocumentFilters) -> QuerySet[Invoice]:
    """``invoices`` narrowed by the filters, newest first, with what a list row shows."""
    if filters.kind:
        invoices = invoices.filter(kind=filters.kind)
    if filters.date_from:
        invoices = invoices.filter(issue_date__gte=filters.date_from)
    if filters.date_to:
        invoices = invoices.filter(issue_date__lte=filters.date_to)
    if filters.number:
        invoices = invoices.filter(number__icontains=filters.number)
    return invoices.select_related("order", "corrects", "company", "shipment").order_by("-issue_date", "-id")


def invoice_for(user: User, invoice_id: int) -> Invoice:
    """One invoice or credit note the user may see, with its lines; NotFound otherwise."""
    invoice = (
        invoices_visible_to(user)
        .select_related("order", "corrects", "company", "shipment")
        .prefetch_related("lines")
        .filter(pk=invoice_id)
        .first()
    )
    if invoice is None:
        raise NotFound()
    return invoice


def shipments_of_customer(user: User) -> QuerySet[Shipment]:
    """Dispatch notes of the orders this customer sees (a buyer: the orders they placed)."""
    if not user.is_authenticated:
        return Shipment.objects.none()
    membership = active_membership(user)
    if membership is not None:
        orders = Order.objects.filter(company_id=membership.company_id)
        if membership.role not in WHOLE_COMPANY_ROLES:
            orders = orders.filter(Q(placed_by=user) | Q(user=user))
    else:
        orders = Order.objects.filter(user=user, company__isnull=True)
    return Shipment.objects.filter(order__in=orders.values("pk"))


def shipments_visible_to(user: User) -> QuerySet[Shipment]:
    """Staff: shipments of the orders they manage; customers: ``shipments_of_customer``."""
    if user.is_authenticated and user.is_staff:
        return Shipment.objects.filter(order__in=orders_managed_by(user).order_by().values("pk"))
    return shipments_of_customer(user)


def shipment_search(shipments: QuerySet[Shipment], filters: DocumentFilters) -> QuerySet[Shipment]:
    if filters.date_from:
        shipments = shipments.filter(shipped_at__date__gte=filters.date_from)
    if filters.date_to:
        shipments = shipments.filter(shipped_at__date__lte=filters.date_to)
    if filters.number:
        shipments = shipments.filter(number__icontains=filters.number)
    return shipments.select_related("order").order_by("-shipped_at", "-id")


def shipment_for(user: User, shipment_id: int) -> Shipment:
    shipment = shipments_visible_to(user).select_related("order__company").filter(pk=shipment_id).first()
    if shipment is None:
        raise NotFound()
    return shipment


# --- the company's account ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatementLine:
    entry: LedgerEntry
    balance: Decimal  # after this entry


@dataclass(frozen=True, slots=True)
class Statement:
    company: Company
    date_from: date
    date_to: date
    currency: str
    opening: Decimal
    closing: Decimal
    debits: Decimal
    credits: Decimal
    position: CreditPosition  # today's, with the overdue amount
    lines: list[StatementLine] = field(default_factory=list)


MAX_STATEMENT_DAYS = 3700  # ten years


def statement_period(params: Mapping[str, str]) -> tuple[date, date]:
    """The period from a query string (``from``, ``to``; default: this month so far). Raises
    DocumentFilterError for a bad or too long period."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    date_from = parse_day(params.get("from", ""), "date_from", errors) or today.replace(day=1)
    date_to = parse_day(params.get("to", ""), "date_to", errors) or today
    if not errors:
        try:
            DocumentFilters(date_from=date_from, date_to=date_to)
        except DocumentFilterError as error:
            errors.update(error.errors)
    if not errors and (date_to - date_from).days > MAX_STATEMENT_DAYS:
        errors["date_from"] = _("A statement covers ten years at most.")
    if errors:
        raise DocumentFilterError(errors)
    return date_from, date_to


def account_statement(company: Company, date_from: date, date_to: date) -> Statement:
    """The company's ledger for the period: the balance before it, each entry with the
    running balance, the balance at its end, and today's overdue amount (three queries)."""
    currency = company.currency
    before = LedgerEntry.objects.filter(company=company, booked_on__lt=date_from).aggregate(
        debit=Sum("debit"), credit=Sum("credit")
    )
    opening = round_money((before["debit"] or ZERO) - (before["credit"] or ZERO), currency)
    balance, lines, debits, credits = opening, [], ZERO, ZERO
    for entry in LedgerEntry.objects.filter(
        company=company, booked_on__gte=date_from, booked_on__lte=date_to
    ).order_by("booked_on", "id"):
        balance += entry.debit - entry.credit
        debits += entry.debit
        credits += entry.credit
        lines.append(StatementLine(entry, balance))
    return Statement(
        company=company,
        date_from=date_from,
        date_to=date_to,
        currency=currency,
        opening=opening,
        closing=round_money(balance, currency),
        debits=debits,
        credits=credits,
        position=credit_position(company),
        lines=lines,
    )
