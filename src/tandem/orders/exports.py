"""Order history exports (CSV streamed, XLSX built in one go) shared by pages and the API."""

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tandem.orders.models import Order

MAX_XLSX_ROWS = 100_000


def _header() -> list[str]:
    return [_("Number"), _("Date"), _("Status"), _("PO number"), _("Placed by"), _("Payment"),
            _("Total net"), _("VAT"), _("Total gross"), _("Currency")]


def _cell(value):
    """A spreadsheet-safe cell: no control characters, and text a spreadsheet would run as a
    formula (=, +, -, @) is prefixed with an apostrophe."""
    if not isinstance(value, str):
        return value
    value = "".join(ch for ch in value if ch.isprintable())
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _rows(orders: QuerySet[Order]) -> Iterable[list]:
    for order in orders.select_related("user").iterator(chunk_size=2000):
        yield [_cell(value) for value in (
            order.number, order.created_at.date().isoformat(), order.get_status_display(), order.po_number,
            order.user.email if order.user else order.email, order.get_payment_method_display(),
            order.total_net, order.total_tax, order.total_gross, order.currency)]


class _Echo:
    def write(self, value: str) -> str:
        return value


def orders_csv(orders: QuerySet[Order]) -> Iterator[str]:
    """UTF-8 with BOM (opens in Excel), one row per order."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(_header())
    for row in _rows(orders):
        yield writer.writerow(row)


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
