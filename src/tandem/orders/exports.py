"""Order history exports (CSV streamed, XLSX built in one go) shared by pages and the API."""

import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tandem.core.tabular import csv_stream, spreadsheet_cell
from tandem.orders.models import Order

MAX_XLSX_ROWS = 100_000


def _header() -> list[str]:
    return [_("Number"), _("Date"), _("Status"), _("PO number"), _("Placed by"), _("Payment"),
            _("Total net"), _("VAT"), _("Total gross"), _("Currency")]


def _rows(orders: QuerySet[Order]) -> Iterable[list]:
    for order in orders.select_related("user").iterator(chunk_size=2000):
        yield [spreadsheet_cell(value) for value in (
            order.number, order.created_at.date().isoformat(), order.get_status_display(), order.po_number,
            order.user.email if order.user else order.email, order.get_payment_method_display(),
            order.total_net, order.total_tax, order.total_gross, order.currency)]


def orders_csv(orders: QuerySet[Order]) -> Iterator[str]:
    """UTF-8 with BOM (opens in Excel), one row per order."""
    return csv_stream(_header(), _rows(orders))


def orders_xlsx(orders: QuerySet[Order]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Orders"))
    sheet.append(_header())
    for count, row in enumerate(_rows(orders), start=1):
        if count > MAX_XLSX_ROWS:
            break
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
