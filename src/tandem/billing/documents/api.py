"""Invoices, credit notes, dispatch notes and the company's account over the API: JSON, and
PDF, UBL 2.1 and FA(3) downloads. Paths use ids (document numbers contain slashes).

Customers reach their own documents (``document_selectors``: a buyer the orders they
placed), staff with ``billing.view_invoice`` every invoice they manage; another
company's document is a 404. Finance staff (``billing.add_invoice``) issue invoices and
credit notes."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tandem.billing.documents import exports as document_exports
from tandem.billing.documents import selectors
from tandem.billing.documents.issuing import Correction, credit_note_issue, invoice_issue
from tandem.billing.documents.responses import (
    dispatch_note_response,
    einvoice_response,
    invoice_pdf_response,
    statement_response,
)
from tandem.billing.models import Invoice, InvoiceLine
from tandem.billing.receivables import selectors as account
from tandem.billing.receivables.selectors import credit_position
from tandem.core.errors import NotFound, PermissionDenied
from tandem.core.paging import MAX_OFFSET
from tandem.core.sync import ChangesQuery, changes_page
from tandem.customers.api_auth import user_auth
from tandem.orders.models import Shipment
from tandem.orders.selectors import orders_managed_by

router = Router(tags=["invoices and documents"], auth=user_auth)
MAX_ID = 2**62


class InvoiceLineOut(Schema):
    id: int
    position: int
    sku: str
    name: str
    unit: str
    quantity: Decimal
    unit_net: Decimal
    discount: Decimal
    tax_rate: Decimal
    line_net: Decimal
    before_quantity: Decimal | None
    before_unit_net: Decimal | None
    before_line_net: Decimal | None
    corrects_line_id: int | None

    @staticmethod
    def of(line: InvoiceLine) -> "InvoiceLineOut":
        return InvoiceLineOut(
            id=line.pk,
            position=line.position,
            sku=line.sku,
            name=line.name,
            unit=line.unit,
            quantity=line.quantity,
            unit_net=line.unit_net,
            discount=line.discount,
            tax_rate=line.tax_rate,
            line_net=line.line_net,
            before_quantity=line.before_quantity,
            before_unit_net=line.before_unit_net,
            before_line_net=line.before_line_net,
            corrects_line_id=line.corrects_line_id,
        )


class InvoiceOut(Schema):
    id: int
    kind: str
    number: str
    order: str | None
    dispatch_note: str | None
    corrects: str | None
    corrects_id: int | None
    issue_date: date
    sale_date: date
    due_date: date | None
    currency: str
    language: str
    seller: dict
    buyer: dict
    reverse_charge: bool
    payment_method: str
    payment_terms: str
    paid_at_issue: bool
    total_net: Decimal
    total_tax: Decimal
    total_gross: Decimal
    tax_summary: list[dict]
    reason: str
    pdf: str
    company_id: int | None
    created_at: datetime = Field(description="when it was issued (the time the changes feed goes by)")
    lines: list[InvoiceLineOut] | None = None

    @staticmethod
    def of(invoice: Invoice, *, lines: bool = False) -> "InvoiceOut":
        return InvoiceOut(
            id=invoice.pk,
            kind=invoice.kind,
            number=invoice.number,
            order=invoice.order.number if invoice.order_id else None,
            dispatch_note=invoice.shipment.number if invoice.shipment_id else None,
            corrects=invoice.corrects.number if invoice.corrects_id else None,
            corrects_id=invoice.corrects_id,
            issue_date=invoice.issue_date,
            sale_date=invoice.sale_date,
            due_date=invoice.due_date,
            currency=invoice.currency,
            language=invoice.language,
            seller=invoice.seller,
            buyer=invoice.buyer,
            reverse_charge=invoice.reverse_charge,
            payment_method=invoice.payment_method,
            payment_terms=invoice.payment_terms,
            paid_at_issue=invoice.paid_at_issue,
            total_net=invoice.total_net,
            total_tax=invoice.total_tax,
            total_gross=invoice.total_gross,
            tax_summary=invoice.tax_summary,
            reason=invoice.reason,
            pdf=f"/api/v1/invoices/{invoice.pk}.pdf",
            company_id=invoice.company_id,
            created_at=invoice.created_at,
            lines=[InvoiceLineOut.of(line) for line in invoice.lines.all()] if lines else None,
        )


class DocumentQuery(Schema):
    kind: Literal["", "invoice", "credit_note"] = ""
    date_from: date | None = Field(None, description="issued on or after")
    date_to: date | None = Field(None, description="issued on or before")
    number: str = Field("", max_length=40, description="the number contains this")
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _filters(params: DocumentQuery) -> selectors.DocumentFilters:
    return selectors.DocumentFilters(
        kind=params.kind, date_from=params.date_from, date_to=params.date_to, number=params.number.strip()
    )


def _invoice(request: HttpRequest, invoice_id: int) -> Invoice:
    if invoice_id > MAX_ID:
        raise NotFound()
    return selectors.invoice_for(request.user, invoice_id)


@router.get("/invoices", response=list[InvoiceOut])
def invoices_list(request: HttpRequest, response: HttpResponse, params: Query[DocumentQuery]):
    """Invoices and credit notes, newest first: a customer's own (see the module doc), for
    staff with *view invoice* those they manage. ``X-Total-Count`` holds the number found."""
    found = selectors.invoice_search(selectors.invoices_visible_to(request.user), _filters(params))
    response["X-Total-Count"] = str(found.count())
    return [InvoiceOut.of(invoice) for invoice in found[params.offset : params.offset + params.limit]]


class DocumentChangesOut(Schema):
    items: list[InvoiceOut]
    next_cursor: str | None = Field(description="pass it back for the next page; null at the end for now")


@router.get("/invoices/changes", response=DocumentChangesOut)
def invoices_changes(request: HttpRequest, params: Query[ChangesQuery]):
    """Incremental sync: invoices and credit notes (with their lines) the caller may read
    (as ``GET /invoices``), in the order they were issued, ``limit`` at a time. Documents
    never change once issued, so each comes exactly once; keep the last ``next_cursor``."""
    visible = selectors.invoices_visible_to(request.user).select_related("order", "corrects", "shipment")
    page, next_cursor = changes_page(
        visible.prefetch_related("lines"),
        updated_since=params.updated_since,
        cursor=params.cursor,
        limit=params.limit,
        field="created_at",
    )
    return DocumentChangesOut(
        items=[InvoiceOut.of(invoice, lines=True) for invoice in page], next_cursor=next_cursor
    )


@router.get("/invoices/export.{file_format}", response={200: None})
def invoices_export(request: HttpRequest, file_format: Literal["csv", "xlsx"], params: Query[DocumentQuery]):
    """The filtered list as CSV (UTF-8 with BOM) or XLSX."""
    found = selectors.invoice_search(selectors.invoices_visible_to(request.user), _filters(params))
    return document_exports.invoices_download(
        found, file_format, actor_id=request.user.pk, filters=request.GET.urlencode()
    )


@router.get("/invoices/{int:invoice_id}", response=InvoiceOut)
def invoice_detail(request: HttpRequest, invoice_id: int):
    """One invoice or credit note with its lines (a credit note's lines: before and after)."""
    return InvoiceOut.of(_invoice(request, invoice_id), lines=True)


@router.get("/invoices/{int:invoice_id}.pdf", response={200: None})
def invoice_pdf_download(request: HttpRequest, invoice_id: int):
    """An invoice or credit note as PDF (the caller's company's, or staff's customers')."""
    return invoice_pdf_response(_invoice(request, invoice_id))


@router.get("/invoices/{int:invoice_id}.ubl.xml", response={200: None})
def invoice_ubl_download(request: HttpRequest, invoice_id: int):
    """UBL 2.1 (EN 16931, Peppol BIS Billing 3.0): an Invoice, or a CreditNote."""
    return einvoice_response(_invoice(request, invoice_id), "ubl")


@router.get("/invoices/{int:invoice_id}.fa3.xml", response={200: None})
def invoice_fa3_download(request: HttpRequest, invoice_id: int):
    """The Polish KSeF FA(3) XML; a 404 ``einvoice_not_applicable`` for a seller outside Poland."""
    return einvoice_response(_invoice(request, invoice_id), "fa3")


# --- staff: issuing -------------------------------------------------------------------------


def _finance(request: HttpRequest) -> None:
    if not (request.user.is_staff and request.user.has_perm("billing.add_invoice")):
        raise PermissionDenied(_("Only finance staff can issue invoices."), code="not_finance")


class InvoiceIssueIn(Schema):
    shipment_id: int | None = Field(None, ge=1, le=MAX_ID, description="invoice one shipment of the order")
    issue_date: date | None = None


@router.post("/orders/{number}/invoice", response={201: InvoiceOut})
def order_invoice_issue(request: HttpRequest, number: str, payload: InvoiceIssueIn):
    """Invoice what is not invoiced yet of an order (or one of its shipments): finance staff.
    An order that cannot be invoiced is a 400 ``not_invoiceable`` / ``already_invoiced``."""
    _finance(request)
    order = orders_managed_by(request.user).filter(number=number[:32]).first()
    if order is None:
        raise NotFound()
    shipment = None
    if payload.shipment_id is not None:
        shipment = Shipment.objects.filter(pk=payload.shipment_id, order=order).first()
        if shipment is None:
            raise NotFound()
    invoice = invoice_issue(order=order, actor=request.user, shipment=shipment, issue_date=payload.issue_date)
    return Status(201, InvoiceOut.of(_invoice(request, invoice.pk), lines=True))


UNCHANGED = "the value after the correction; null: unchanged"


class CorrectionIn(Schema):
    line_id: int = Field(..., ge=1, le=MAX_ID)
    quantity: Decimal | None = Field(None, ge=0, lt=10**9, decimal_places=3, description=UNCHANGED)
    unit_net: Decimal | None = Field(None, ge=0, lt=10**10, decimal_places=4, description=UNCHANGED)


class CreditNoteIn(Schema):
    reason: str = Field(..., max_length=2000)
    lines: list[CorrectionIn] = Field(..., min_length=1, max_length=1000)


@router.post("/invoices/{int:invoice_id}/credit-notes", response={201: InvoiceOut})
def invoice_credit_note_issue(request: HttpRequest, invoice_id: int, payload: CreditNoteIn):
    """A credit note to the invoice (finance staff): per line the quantity and/or unit price
    after the correction. Lines that cannot be corrected so are a 400 ``correction_invalid``
    with ``lines`` saying why, per line; nothing is issued then."""
    _finance(request)
    invoice = _invoice(request, invoice_id)
    if invoice.is_credit_note:
        raise NotFound()
    note = credit_note_issue(
        invoice=invoice,
        reason=payload.reason,
        actor=request.user,
        corrections=[
            Correction(line.line_id, quantity=line.quantity, unit_net=line.unit_net) for line in payload.lines
        ],
    )
    return Status(201, InvoiceOut.of(_invoice(request, note.pk), lines=True))


# --- dispatch notes -------------------------------------------------------------------------


class DispatchNoteOut(Schema):
    id: int
    number: str
    order: str
    shipped_at: str
    carrier: str
    tracking_number: str
    pdf: str

    @staticmethod
    def of(shipment: Shipment) -> "DispatchNoteOut":
        return DispatchNoteOut(
            id=shipment.pk,
            number=shipment.number,
            order=shipment.order.number,
            shipped_at=shipment.shipped_at.isoformat(),
            carrier=shipment.carrier,
            tracking_number=shipment.tracking_number,
            pdf=f"/api/v1/dispatch-notes/{shipment.pk}.pdf",
        )


@router.get("/dispatch-notes", response=list[DispatchNoteOut])
def dispatch_notes_list(request: HttpRequest, response: HttpResponse, params: Query[DocumentQuery]):
    """Dispatch notes (WZ) of the orders the caller sees (staff: the orders they manage)."""
    found = selectors.shipment_search(selectors.shipments_visible_to(request.user), _filters(params))
    response["X-Total-Count"] = str(found.count())
    return [DispatchNoteOut.of(shipment) for shipment in found[params.offset : params.offset + params.limit]]


@router.get("/dispatch-notes/{int:shipment_id}.pdf", response={200: None})
def dispatch_note_pdf_download(request: HttpRequest, shipment_id: int):
    """A dispatch note as PDF."""
    if shipment_id > MAX_ID:
        raise NotFound()
    return dispatch_note_response(selectors.shipment_for(request.user, shipment_id))


# --- the company's account ------------------------------------------------------------------


class BalanceOut(Schema):
    currency: str
    credit_limit: Decimal
    balance: Decimal
    open_orders: Decimal
    used: Decimal
    available: Decimal
    overdue: Decimal


@router.get("/account/balance", response=BalanceOut)
def account_balance(request: HttpRequest):
    """The company's credit position (admin, accountant, approver; others 403)."""
    position = credit_position(account.account_company(request.user))
    return BalanceOut(
        currency=position.currency,
        credit_limit=position.credit_limit,
        balance=position.balance,
        open_orders=position.open_orders,
        used=position.used,
        available=position.available,
        overdue=position.overdue,
    )


class PeriodQuery(Schema):
    date_from: date | None = Field(None, alias="from", description="default: the 1st of this month")
    date_to: date | None = Field(None, alias="to", description="default: today")


class LedgerEntryOut(Schema):
    booked_on: date
    kind: str
    reference: str
    due_date: date | None
    debit: Decimal
    credit: Decimal
    balance: Decimal


class LedgerOut(Schema):
    currency: str
    date_from: date
    date_to: date
    opening_balance: Decimal
    closing_balance: Decimal
    overdue: Decimal
    entries: list[LedgerEntryOut]


def _period(params: PeriodQuery) -> tuple[date, date]:
    values = {
        "from": params.date_from.isoformat() if params.date_from else "",
        "to": params.date_to.isoformat() if params.date_to else "",
    }
    return selectors.statement_period(values)


@router.get("/account/ledger", response=LedgerOut)
def account_ledger(request: HttpRequest, params: Query[PeriodQuery]):
    """The company's ledger for ``from``–``to`` with the running balance (admin, accountant)."""
    company = account.account_company(request.user, ledger=True)
    statement = selectors.account_statement(company, *_period(params))
    entries = [
        LedgerEntryOut(
            booked_on=entry.booked_on,
            kind=entry.kind,
            reference=entry.reference,
            due_date=entry.due_date,
            debit=entry.debit,
            credit=entry.credit,
            balance=line.balance,
        )
        for line in statement.lines
        for entry in (line.entry,)
    ]
    return LedgerOut(
        currency=statement.currency,
        date_from=statement.date_from,
        date_to=statement.date_to,
        opening_balance=statement.opening,
        closing_balance=statement.closing,
        overdue=statement.position.overdue,
        entries=entries,
    )


@router.get("/account/statement.pdf", response={200: None})
def account_statement_pdf(request: HttpRequest, params: Query[PeriodQuery]):
    """The account statement for ``from``–``to`` as a PDF (admin, accountant)."""
    company = account.account_company(request.user, ledger=True)
    return statement_response(company, *_period(params))
