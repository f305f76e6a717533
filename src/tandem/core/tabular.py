"""Read uploaded tables (CSV in UTF-8, with or without BOM, comma or semicolon; or XLSX)
into rows of text cells, for every import: price lists, quick order, bank statements."""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

MAX_COLUMNS = 30
# An XLSX is a zip: what it unpacks to, not its size, is what reading it costs.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 10 * 1024 * 1024
MAX_ZIP_ENTRIES = 200


class TabularFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, size)."""


def _too_many_rows(max_rows: int) -> TabularFileError:
    return TabularFileError(
        _("The file has more than %(limit)s rows; split it into smaller files.") % {"limit": max_rows}
    )


def _scan_limit(max_rows: int) -> int:
    """How many rows, blank ones included, are read at most before the file is refused: a
    table may have some blank rows, not hundreds of thousands of them."""
    return 2 * max_rows + 1000


def _check_unpacked_size(content: bytes) -> None:
    """Refuse a workbook that would unpack to far more than it weighs (before parsing it)."""
    try:
        entries = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TabularFileError(_("The file is not a readable XLSX workbook.")) from error
    shared = sum(entry.file_size for entry in entries if entry.filename.endswith("sharedStrings.xml"))
    if (
        len(entries) > MAX_ZIP_ENTRIES
        or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES
        or shared > MAX_SHARED_STRINGS_BYTES
    ):
        raise TabularFileError(
            _("The workbook unpacks to far more data than a table holds; save only the table, or use CSV.")
        )


def _rows_from_xlsx(content: bytes, max_rows: int) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_unpacked_size(content)
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        rows = []
        # Only the first columns count (a stray cell far to the right must not make every
        # row thousands of cells long); blank rows are skipped but count towards the limit.
        for scanned, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            if scanned > _scan_limit(max_rows):
                raise _too_many_rows(max_rows)
            row = ["" if value is None else str(value).strip() for value in values]
            if any(row):
                rows.append(row)
            if len(rows) > max_rows + 1:
                break
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise TabularFileError(_("The file is not a readable XLSX workbook.")) from error
    except ValueError as error:
        if isinstance(error, TabularFileError):
            raise
        raise TabularFileError(_("The file is not a readable XLSX workbook.")) from error
    return rows


def _rows_from_csv(content: bytes, max_rows: int) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TabularFileError(_("The file is not UTF-8 text; save it as CSV UTF-8 or as XLSX.")) from error
    if "\x00" in text:
        raise TabularFileError(_("The file contains NUL characters; it is not a CSV text file."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = []
        for scanned, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            if scanned > _scan_limit(max_rows):
                raise _too_many_rows(max_rows)
            rows.append([cell.strip() for cell in row[:MAX_COLUMNS]])
        return rows
    except csv.Error as error:
        raise TabularFileError(_("The file is not a readable CSV table.")) from error


def read_rows(file_name: str, content: bytes, *, max_rows: int) -> list[list[str]]:
    """The file's non-empty rows as text cells (XLSX by its signature or name, else CSV),
    header included. Raises TabularFileError when it is unreadable, empty or too long."""
    if content[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx"):
        rows = _rows_from_xlsx(content, max_rows)
    else:
        rows = _rows_from_csv(content, max_rows)
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise TabularFileError(_("The file is empty."))
    if len(rows) - 1 > max_rows:
        raise TabularFileError(
            _("The file has more than %(limit)s rows; split it into smaller files.") % {"limit": max_rows}
        )
    return rows


# --- writing tables ---------------------------------------------------------------------


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_stream(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """CSV lines, UTF-8 BOM first (Excel opens it as UTF-8), one at a time, so any number
    of rows streams in flat memory."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def xlsx_bytes(title: str, header: list[str], rows: Iterable[list], *, max_rows: int | None = None) -> bytes:
    """One sheet; a workbook is built in memory, so at most ``max_rows`` rows are written.
    As with csv_stream, the caller makes text typed by people safe (spreadsheet_cell)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])  # the longest sheet name a workbook allows
    sheet.append(header)
    for count, row in enumerate(rows, start=1):
        if max_rows is not None and count > max_rows:
            break
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` without control characters (they break documents and spreadsheets)."""
    allowed = "\n\t" if keep_newlines else ""
    return "".join(ch for ch in text if ch.isprintable() or ch in allowed).strip()


FORMULA_STARTS = ("=", "+", "-", "@")


def spreadsheet_cell(value, *, keep_newlines: bool = False):
    """A cell safe to open in a spreadsheet: text without control characters (line breaks
    kept when asked: descriptions), and text a spreadsheet would run as a formula (=, +, -,
    @) prefixed with an apostrophe."""
    if not isinstance(value, str):
        return value
    value = printable(value, keep_newlines=keep_newlines)
    return "'" + value if value[:1] in FORMULA_STARTS else value


def spreadsheet_text(value: str) -> str:
    """A cell read back: the apostrophe spreadsheet_cell put before a formula sign removed
    (a file exported and imported again keeps its texts)."""
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_STARTS else value
