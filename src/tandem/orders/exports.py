"""Order exports (CSV streamed, XLSX built in one go) shared by pages and the API: the
buyer's history, and the staff order list with the customer's company and VAT ID."""

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.audit import audit_export
from tandem.core.exports import ExportKind, ExportSource
from tandem.core.tabular import csv_stream, spreadsheet_cell, xlsx_bytes
from tandem.orders.models import Order
from tandem.orders.selectors import orders_managed_by, orders_visible_to

MAX_XLSX_ROWS = 100_000


def _header(customer_columns: bool) -> list[str]:
    customer = [_("Company"), _("VAT ID")] if customer_columns else []
    return [
        _("Number"),
        _("Date"),
        _("Status"),
        _("PO number"),
        *customer,
        _("Placed by"),
        _("Payment"),
        _("Total net"),
        _("VAT"),
        _("Total gross"),
        _("Currency"),
    ]


def _rows(orders: QuerySet[Order], customer_columns: bool) -> Iterable[list]:
    related = ("user", "company") if customer_columns else ("user",)
    for order in orders.select_related(*related).iterator(chunk_size=2000):
        customer = []
        if customer_columns:
            # a retail order has no company: the buyer's name as on the order
            customer = [
                order.company.name if order.company else order.buyer.get("name", ""),
                order.company.vat_id if order.company else order.buyer.get("vat_id", ""),
            ]
        yield [
            spreadsheet_cell(value)
            for value in (
                order.number,
                order.created_at.date().isoformat(),
                order.get_status_display(),
                order.po_number,
                *customer,
                order.user.email if order.user else order.email,
                order.get_payment_method_display(),
                order.total_net,
                order.total_tax,
                order.total_gross,
                order.currency,
            )
        ]


def orders_csv(orders: QuerySet[Order], *, customer_columns: bool = False) -> Iterator[str]:
    """UTF-8 with BOM (opens in Excel), one row per order, in the queryset's order."""
    return csv_stream(_header(customer_columns), _rows(orders, customer_columns))


def orders_xlsx(orders: QuerySet[Order], *, customer_columns: bool = False) -> bytes:
    """One sheet, at most MAX_XLSX_ROWS orders."""
    return xlsx_bytes(
        _("Orders"), _header(customer_columns), _rows(orders, customer_columns), max_rows=MAX_XLSX_ROWS
    )


def orders_download(
    orders, file_format: str, *, actor_id: int | None, filters: str = "", customer_columns: bool = False
) -> HttpResponse:
    """Orders as an XLSX file or a streamed CSV (the customer's list and the staff list); the
    export is in the audit log."""
    audit_export(kind="orders", actor_id=actor_id, rows=orders.count(), format=file_format, filters=filters)
    if file_format == "xlsx":
        response = HttpResponse(
            orders_xlsx(orders, customer_columns=customer_columns),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(
            orders_csv(orders, customer_columns=customer_columns), content_type="text/csv"
        )
    response["Content-Disposition"] = f'attachment; filename="orders.{file_format}"'
    return response


def orders_source(user, updated_since) -> ExportSource:
    """The export job's rows: the orders the user manages (staff, with the customer's
    columns) or may see (a customer), oldest first."""
    orders = orders_managed_by(user) if user.is_staff else orders_visible_to(user)
    if updated_since is not None:
        orders = orders.filter(updated_at__gt=updated_since)
    orders = orders.order_by("created_at", "pk")
    return ExportSource(
        header=_header(user.is_staff), count=orders.count(), rows=_rows(orders, user.is_staff)
    )


ORDERS_EXPORT = ExportKind(
    order=50,
    code="orders",
    label=gettext_lazy("Orders"),
    scope="orders:read",
    allowed=lambda user: user.is_authenticated,
    source=orders_source,
    since=True,
)
