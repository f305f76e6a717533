"""The client panel's documents (thin views): invoices and credit notes, dispatch notes, the
company's balance and account statement, with PDF, e-invoice XML and CSV/XLSX downloads.
Who sees what is decided in ``documents.selectors``; another customer's document is a 404."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.billing.documents import exports as document_exports
from tandem.billing.documents import selectors
from tandem.billing.documents.responses import (
    dispatch_note_response,
    einvoice_response,
    invoice_pdf_response,
    statement_response,
)
from tandem.billing.models import DocumentKind, Invoice
from tandem.billing.receivables import selectors as account
from tandem.billing.receivables.selectors import credit_position, open_invoices
from tandem.core.errors import DomainError, NotFound
from tandem.customers.models import Company
from tandem.customers.terms import terms_acceptances_for


def _refusal(error: DomainError) -> HttpResponse:
    return HttpResponse(str(error.message), status=error.status, content_type="text/plain; charset=utf-8")


PAYMENTS_SHOWN = 20


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    """Invoices and credit notes (filtered), dispatch notes, the balance box, the statement
    form, and links to orders, quotes and accepted terms."""
    user = request.user
    try:
        filters, errors = selectors.document_filters_parse(request.GET), {}
    except selectors.DocumentFilterError as error:
        filters, errors = selectors.DocumentFilters(), error.errors
    invoices = (
        selectors.invoice_search(selectors.invoices_of_customer(user), filters)
        if not errors
        else Invoice.objects.none()
    )
    page = Paginator(invoices, 25).get_page(request.GET.get("page"))
    shipments = Paginator(
        selectors.shipments_of_customer(user).select_related("order").order_by("-shipped_at", "-id"),
        25,
    ).get_page(request.GET.get("shipments_page"))
    company = account.account_company(user) if account.may_see_balance(user) else None
    today = timezone.localdate()
    ledger = company is not None and account.may_see_ledger(user)
    return render(
        request,
        "billing/documents.html",
        {
            "page": page,
            "shipments": shipments,
            "values": request.GET,
            "errors": errors,
            "kinds": DocumentKind.choices,
            "position": credit_position(company) if company is not None else None,
            "company": company,
            "may_see_ledger": account.may_see_ledger(user),
            "statement_from": today.replace(day=1).isoformat(),
            "statement_to": today.isoformat(),
            "acceptances": terms_acceptances_for(user, company) if company is not None else [],
            # what is still to pay (overdue first to the eye) and what was paid, for those who see the account
            "open_items": open_invoices(companies=Company.objects.filter(pk=company.pk)) if ledger else [],
            "payments": company.received_payments.prefetch_related("allocations__invoice").order_by(
                "-received_on", "-pk"
            )[:PAYMENTS_SHOWN]
            if ledger
            else [],
        },
        status=400 if errors else 200,
    )


@login_required
def invoice_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The filtered invoice list as CSV or XLSX."""
    try:
        filters = selectors.document_filters_parse(request.GET)
    except selectors.DocumentFilterError as error:
        return _refusal(error)
    invoices = selectors.invoice_search(selectors.invoices_of_customer(request.user), filters)
    return document_exports.invoices_download(
        invoices, file_format, actor_id=request.user.pk, filters=request.GET.urlencode()
    )


def _invoice(request: HttpRequest, invoice_id: str) -> Invoice:
    invoice = (
        selectors.invoices_of_customer(request.user)
        .select_related("order", "corrects", "shipment")
        .filter(pk=int(invoice_id))
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


@login_required
def invoice_download(request: HttpRequest, invoice_id: str, file_format: str) -> HttpResponse:
    invoice = _invoice(request, invoice_id)
    file_format = file_format.split(".")[0]  # pdf, ubl.xml, fa3.xml
    if file_format == "pdf":
        return invoice_pdf_response(invoice)
    try:
        return einvoice_response(invoice, file_format)
    except NotFound as error:
        return _refusal(error)


@login_required
def dispatch_note_download(request: HttpRequest, shipment_id: str) -> HttpResponse:
    shipment = (
        selectors.shipments_of_customer(request.user)
        .select_related("order__company")
        .filter(pk=int(shipment_id))
        .first()
    )
    if shipment is None:
        raise Http404
    return dispatch_note_response(shipment)


@login_required
def statement_download(request: HttpRequest) -> HttpResponse:
    """The company's account statement for ``from``–``to`` (default: this month so far)."""
    try:
        company = account.account_company(request.user, ledger=True)
        date_from, date_to = selectors.statement_period(request.GET)
    except DomainError as error:
        return _refusal(error)
    return statement_response(company, date_from, date_to)
