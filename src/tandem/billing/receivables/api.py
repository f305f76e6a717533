"""Receivables over the API: payments (record, import a bank statement, allocate) for
finance; a company's ledger and balance for finance, the company's rep and the company's
own users; the ageing for finance and reps. A company the caller may not see is a 404."""

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tandem.billing.models import LedgerEntry, PaymentAllocation, ReceivedPayment
from tandem.billing.receivables.selectors import (
    AgeingRow,
    account_company,
    credit_position,
    ledger_of,
    open_invoices,
    payments_with_unallocated,
    receivables_ageing,
    receivables_companies_for,
)
from tandem.billing.receivables.services import (
    AllocationRequest,
    ImportReport,
    bank_statement_import,
    payment_allocate,
    payment_record,
)
from tandem.core.errors import DomainError, NotFound, PermissionDenied
from tandem.core.money import round_money
from tandem.core.openapi import FILE, multipart_body
from tandem.core.sync import ChangesQuery, changes_page
from tandem.customers.api_auth import user_auth
from tandem.customers.auth import membership_of
from tandem.customers.models import Company

router = Router(tags=["receivables"], auth=user_auth)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
BOOK, READ = "billing.add_receivedpayment", "billing.view_ledgerentry"
MAX_ID = 2_147_483_647


def _finance(request: HttpRequest, permission: str = BOOK) -> None:
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm(permission)):
        raise PermissionDenied()


def _company(request: HttpRequest, company_id: int, *, ledger: bool = False) -> Company:
    """The company if the caller may read its account: staff with billing access (a rep:
    their customers), or one of the company's own users whose role shows its balance (with
    ``ledger``: its ledger) — the same rule as the client panel; NotFound for another company."""
    user = request.user
    companies = Company.objects.select_related("payment_terms")
    if user.is_staff:
        _finance(request, READ)
        visible = receivables_companies_for(user)
        if visible is not None:
            companies = companies.filter(pk__in=visible.values("pk"))
    else:
        membership = membership_of(user)
        if membership is None or not membership.is_active or membership.company_id != company_id:
            raise NotFound()
        account_company(user, ledger=ledger)  # PermissionDenied for a role that may not see it
    company = companies.filter(pk=company_id).first() if 0 < company_id <= MAX_ID else None
    if company is None:
        raise NotFound()
    return company


class PaymentAllocationIn(Schema):
    invoice: str = Field(..., min_length=1, max_length=32, description="the invoice number")
    amount: Decimal = Field(..., gt=0, lt=10**12, decimal_places=2)


class ReceivedPaymentIn(Schema):
    company_id: int = Field(..., ge=1, le=MAX_ID)
    amount: Decimal = Field(..., gt=0, lt=10**12, decimal_places=2)
    currency: str = Field(..., min_length=3, max_length=3)
    received_on: date
    reference: str = Field("", max_length=200)
    allocations: list[PaymentAllocationIn] = Field(default_factory=list, max_length=500)


class PaymentAllocationsIn(Schema):
    allocations: list[PaymentAllocationIn] = Field(default_factory=list, max_length=500)


class PaymentAllocationOut(Schema):
    invoice: str
    amount: Decimal


class ReceivedPaymentOut(Schema):
    id: int
    company_id: int
    amount: Decimal
    currency: str
    received_on: date
    source: str
    reference: str
    allocations: list[PaymentAllocationOut]
    unallocated: Decimal

    @staticmethod
    def of(payment_id: int) -> "ReceivedPaymentOut":
        return ReceivedPaymentOut.of_loaded(
            payments_with_unallocated(ReceivedPayment.objects.filter(pk=payment_id)).get()
        )

    @staticmethod
    def of_loaded(payment: ReceivedPayment) -> "ReceivedPaymentOut":
        """A payment read with ``payments_with_unallocated`` (its allocations prefetched or not)."""
        return ReceivedPaymentOut(
            id=payment.pk,
            company_id=payment.company_id,
            amount=payment.amount,
            currency=payment.currency,
            received_on=payment.received_on,
            source=payment.source,
            reference=payment.reference,
            allocations=[
                PaymentAllocationOut(invoice=row.invoice.number, amount=row.amount)
                for row in payment.allocations.all()
            ],
            unallocated=round_money(payment.unallocated, payment.currency),
        )


def _requests(allocations: list[PaymentAllocationIn]) -> list[AllocationRequest]:
    return [AllocationRequest(row.invoice, row.amount) for row in allocations]


@router.post("/payments", response={201: ReceivedPaymentOut})
def payment_create(request: HttpRequest, payload: ReceivedPaymentIn):
    """Record money a company paid (finance staff; 403 otherwise). It is credited to the
    company's ledger in full; ``allocations`` name the invoices it settles, without them it
    settles the oldest open invoices first; the rest stays as credit. A currency other than
    the company's is ``400 currency_mismatch``; more than the payment or an invoice has
    open ``400 over_allocated``; an invoice of another company ``404``."""
    _finance(request)
    company = Company.objects.filter(pk=payload.company_id).first()
    if company is None:
        raise NotFound()
    payment = payment_record(
        company=company,
        amount=payload.amount,
        currency=payload.currency,
        received_on=payload.received_on,
        reference=payload.reference,
        actor=request.user,
        allocations=_requests(payload.allocations) or None,
    )
    return Status(201, ReceivedPaymentOut.of(payment.pk))


class BankLineOut(Schema):
    line: int
    status: str
    message: str
    date: date | None
    amount: Decimal | None
    currency: str
    title: str
    company: str
    invoices: list[str]
    payment_id: int | None


class BankImportReportOut(Schema):
    file_name: str
    booked: int
    duplicates: int
    unmatched: int
    invalid: int
    lines: list[BankLineOut]

    @staticmethod
    def of(report: ImportReport) -> "BankImportReportOut":
        return BankImportReportOut(
            file_name=report.file_name,
            booked=report.booked,
            duplicates=report.duplicates,
            unmatched=report.unmatched,
            invalid=report.invalid,
            lines=[
                BankLineOut(
                    line=line.line,
                    status=line.status,
                    message=str(line.message),
                    date=line.received_on,
                    amount=line.amount,
                    currency=line.currency,
                    title=line.title,
                    company=line.company,
                    invoices=line.invoices,
                    payment_id=line.payment_id,
                )
                for line in report.lines
            ],
        )


UPLOAD_BODY = multipart_body({"file": FILE}, required=["file"])


@router.post("/payments/import", response=BankImportReportOut, openapi_extra=UPLOAD_BODY)
def payments_import(request: HttpRequest):
    """Import a bank statement (multipart field ``file``: CSV with the columns date, amount,
    currency, title, and optionally counterparty, account, id; finance staff). Each line is
    reported: ``booked``, ``duplicate`` (booked before: never twice), ``unmatched`` (not
    booked) or ``invalid`` (with the reason). A file without the needed columns is ``400
    bank_file_columns``."""
    _finance(request)
    upload = request.FILES.get("file")
    if upload is None:
        raise DomainError(
            _("Send the statement as the multipart field “file”."), code="file_required", field="file"
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(
            _("The file is larger than 5 MB; split it into smaller files."),
            code="file_too_large",
            field="file",
        )
    report = bank_statement_import(file_name=upload.name or "", content=upload.read(), actor=request.user)
    return BankImportReportOut.of(report)


@router.post("/payments/{payment_id}/allocations", response={201: ReceivedPaymentOut})
def payment_allocations_add(request: HttpRequest, payment_id: int, payload: PaymentAllocationsIn):
    """Allocate more of a payment to its company's invoices (finance staff); an empty list
    settles the oldest open invoices with what is left."""
    _finance(request)
    payment = (
        ReceivedPayment.objects.select_related("company")
        .filter(pk=payment_id if 0 < payment_id <= MAX_ID else 0)
        .first()
    )
    if payment is None:
        raise NotFound()
    payment_allocate(payment=payment, allocations=_requests(payload.allocations), actor=request.user)
    return Status(201, ReceivedPaymentOut.of(payment.pk))


class CompanyLedgerEntryOut(Schema):
    id: int
    booked_on: date
    kind: str
    reference: str
    note: str
    currency: str
    debit: Decimal
    credit: Decimal
    due_date: date | None
    balance_after: Decimal


class LedgerPaging(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


@router.get("/companies/{company_id}/ledger", response=list[CompanyLedgerEntryOut])
def company_ledger(
    request: HttpRequest, response: HttpResponse, company_id: int, params: Query[LedgerPaging]
):
    """The company's ledger, oldest first, with the balance after each entry (debits are
    invoices and debit adjustments; credits payments, credit notes and credit adjustments).
    ``X-Total-Count`` holds the number of entries."""
    company = _company(request, company_id, ledger=True)
    entries = ledger_of(company)
    response["X-Total-Count"] = str(entries.count())
    before = (
        entries[: params.offset].aggregate(debits=Sum("debit"), credits=Sum("credit"))
        if params.offset
        else {}
    )  # the balance the page starts from, in one query
    balance = (before.get("debits") or Decimal(0)) - (before.get("credits") or Decimal(0))
    rows = []
    for entry in entries[params.offset : params.offset + params.limit]:
        balance += entry.debit - entry.credit
        rows.append(_entry_out(entry, balance))
    return rows


def _entry_out(entry: LedgerEntry, balance: Decimal) -> CompanyLedgerEntryOut:
    return CompanyLedgerEntryOut(
        id=entry.pk,
        booked_on=entry.booked_on,
        kind=entry.kind,
        reference=entry.reference,
        note=entry.note,
        currency=entry.currency,
        debit=entry.debit,
        credit=entry.credit,
        due_date=entry.due_date,
        balance_after=balance,
    )


class CompanyOpenInvoiceOut(Schema):
    number: str
    issue_date: date
    due_date: date | None
    total_gross: Decimal
    open_amount: Decimal
    overdue_amount: Decimal
    days_overdue: int


class CompanyBalanceOut(Schema):
    company_id: int
    currency: str
    balance: Decimal
    credit_limit: Decimal
    open_orders_on_account: Decimal
    available_credit: Decimal
    overdue: Decimal
    overdue_days: int
    overdue_tolerance: Decimal
    orders_on_account_on_hold: bool
    open_invoices: list[CompanyOpenInvoiceOut]


@router.get("/companies/{company_id}/balance", response=CompanyBalanceOut)
def company_balance(request: HttpRequest, company_id: int):
    """Where the company stands: balance (Σ debits − Σ credits), credit limit and what is
    left of it (limit − balance − orders on account not invoiced yet), the overdue amount
    and days, and its open invoices."""
    company = _company(request, company_id)
    position = credit_position(company)
    items = open_invoices(companies=Company.objects.filter(pk=company.pk))
    return CompanyBalanceOut(
        company_id=company.pk,
        currency=position.currency,
        balance=position.balance,
        credit_limit=position.credit_limit,
        open_orders_on_account=position.open_orders,
        available_credit=position.available,
        overdue=position.overdue,
        overdue_days=max((item.days_overdue for item in items), default=0),
        overdue_tolerance=position.overdue_tolerance,
        orders_on_account_on_hold=position.overdue_blocks,
        open_invoices=[
            CompanyOpenInvoiceOut(
                number=item.invoice.number,
                issue_date=item.invoice.issue_date,
                due_date=item.invoice.due_date,
                total_gross=item.invoice.total_gross,
                open_amount=item.open_amount,
                overdue_amount=item.overdue_amount,
                days_overdue=item.days_overdue,
            )
            for item in items
        ],
    )


class AgeingRowOut(Schema):
    company_id: int | None
    company: str
    currency: str
    current: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    days_over_90: Decimal
    total: Decimal
    oldest_days_overdue: int

    @staticmethod
    def of(row: AgeingRow) -> "AgeingRowOut":
        return AgeingRowOut(
            company_id=row.company_id,
            company=row.company_name,
            currency=row.currency,
            current=row.current,
            days_1_30=row.days_1_30,
            days_31_60=row.days_31_60,
            days_61_90=row.days_61_90,
            days_over_90=row.days_over_90,
            total=row.total,
            oldest_days_overdue=row.oldest_days_overdue,
        )


class AgeingOut(Schema):
    date: date
    rows: list[AgeingRowOut]
    totals: list[AgeingRowOut]


@router.get("/receivables/ageing", response=AgeingOut)
def receivables_ageing_report(request: HttpRequest):
    """Open receivables per company by days after the due date (not due, 1–30, 31–60, 61–90,
    over 90) and the totals per currency; finance sees every company, a rep their customers."""
    _finance(request, READ)
    ageing = receivables_ageing(companies=receivables_companies_for(request.user))
    return AgeingOut(
        date=ageing.today,
        rows=[AgeingRowOut.of(row) for row in ageing.rows],
        totals=[AgeingRowOut.of(row) for row in ageing.totals],
    )


class PaymentChangesOut(Schema):
    items: list[ReceivedPaymentOut]
    next_cursor: str | None = Field(description="pass it back for the next page; null at the end for now")


@router.get("/payments/changes", response=PaymentChangesOut)
def payments_changes(request: HttpRequest, params: Query[ChangesQuery]):
    """Incremental sync for the ERP's books: received payments (bank statements, online
    payments, booked by hand) in the order they were recorded, with their allocations to
    invoices as they stand; finance staff (a rep: their customers'). Keep ``next_cursor``."""
    _finance(request, READ)
    payments = payments_with_unallocated(ReceivedPayment.objects.all()).prefetch_related(
        Prefetch("allocations", queryset=PaymentAllocation.objects.select_related("invoice"))
    )
    scope = receivables_companies_for(request.user)
    if scope is not None:
        payments = payments.filter(company__in=scope)
    page, next_cursor = changes_page(
        payments,
        updated_since=params.updated_since,
        cursor=params.cursor,
        limit=params.limit,
        field="created_at",
    )
    return PaymentChangesOut(
        items=[ReceivedPaymentOut.of_loaded(payment) for payment in page], next_cursor=next_cursor
    )
