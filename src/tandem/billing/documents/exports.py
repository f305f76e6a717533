"""The invoice list as CSV (streamed) or XLSX (one sheet), for the client panel and the API."""

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.billing.documents.selectors import invoices_visible_to
from tandem.billing.models import Invoice
from tandem.core.audit import audit_export
from tandem.core.exports import ExportKind, ExportSource
from tandem.core.tabular import csv_stream, spreadsheet_cell, xlsx_bytes

MAX_XLSX_ROWS = 100_000


def _header() -> list[str]:
    return [
        _("Number"),
        _("Kind"),
        _("Issue date"),
        _("Sale date"),
        _("Due date"),
        _("Order"),
        _("Corrects invoice"),
        _("Buyer"),
        _("VAT ID"),
        _("Total net"),
        _("VAT"),
        _("Total gross"),
        _("Currency"),
        _("Paid before issue"),
    ]


def _rows(invoices: QuerySet[Invoice]) -> Iterable[list]:
    for invoice in invoices.select_related("order", "corrects").iterator(chunk_size=2000):
        yield [
            spreadsheet_cell(value)
            for value in (
                invoice.number,
                str(invoice.get_kind_display()),
                invoice.issue_date.isoformat(),
                invoice.sale_date.isoformat(),
                invoice.due_date.isoformat() if invoice.due_date else "",
                invoice.order.number if invoice.order_id else "",
                invoice.corrects.number if invoice.corrects_id else "",
                invoice.buyer.get("name", ""),
                invoice.buyer.get("vat_id", ""),
                invoice.total_net,
                invoice.total_tax,
                invoice.total_gross,
                invoice.currency,
                _("yes") if invoice.paid_at_issue else _("no"),
            )
        ]


def invoices_csv(invoices: QuerySet[Invoice]) -> Iterator[str]:
    """UTF-8 with BOM (opens in Excel), one row per document, in the queryset's order."""
    return csv_stream(_header(), _rows(invoices))


def invoices_xlsx(invoices: QuerySet[Invoice]) -> bytes:
    """One sheet, at most MAX_XLSX_ROWS documents."""
    return xlsx_bytes(_("Invoices"), _header(), _rows(invoices), max_rows=MAX_XLSX_ROWS)


def invoices_download(
    invoices: QuerySet[Invoice], file_format: str, *, actor_id: int | None, filters: str = ""
) -> HttpResponse:
    """Invoices as an XLSX file or a streamed CSV (the client panel and the API); the export
    is in the audit log."""
    audit_export(
        kind="invoices", actor_id=actor_id, rows=invoices.count(), format=file_format, filters=filters
    )
    if file_format == "xlsx":
        response: HttpResponse | StreamingHttpResponse = HttpResponse(
            invoices_xlsx(invoices),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(invoices_csv(invoices), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="invoices.{file_format}"'
    return response


def invoices_source(user, updated_since) -> ExportSource:
    """The export job's rows: the invoices and credit notes the user may read (a customer's
    own, the staff's customers'), in the order they were issued."""
    invoices = invoices_visible_to(user)
    if updated_since is not None:
        invoices = invoices.filter(created_at__gt=updated_since)
    invoices = invoices.order_by("created_at", "pk")
    return ExportSource(header=_header(), count=invoices.count(), rows=_rows(invoices))


INVOICES_EXPORT = ExportKind(
    order=60,
    code="invoices",
    label=gettext_lazy("Invoices"),
    scope="documents:read",
    allowed=lambda user: user.is_authenticated,
    source=invoices_source,
    since=True,
)
