"""Reading uploaded tables costs what the table is worth, not what a crafted file makes it
cost: a guest's quick-order upload must not tie up a server process (issue 16, finding 3)."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from tandem.core.tabular import TabularFileError, read_rows


def xlsx(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_table_with_some_blank_rows_reads():
    content = xlsx([["sku", "quantity"], [], ["A-1", 2], [], [], ["B-2", 3]])
    rows = read_rows("order.xlsx", content, max_rows=10)
    assert [row[:2] for row in rows] == [["sku", "quantity"], ["A-1", "2"], ["B-2", "3"]]


def test_hundreds_of_thousands_of_blank_rows_are_refused_after_a_bounded_read():
    """One cell far to the right on every row used to be read to the end and then called
    "empty": now reading stops after twice the allowed rows (plus a margin) and says why."""
    far_right = [None] * 51 + ["x"]  # column AZ: beyond the columns that count
    content = xlsx([far_right] * 12_000)
    with pytest.raises(TabularFileError, match="more than 5000 rows"):
        read_rows("order.xlsx", content, max_rows=5000)


def test_a_csv_of_empty_lines_is_refused_after_a_bounded_read():
    with pytest.raises(TabularFileError, match="more than 100 rows"):
        read_rows("order.csv", b"sku;quantity\n" + b";\n" * 5_000, max_rows=100)


def test_a_workbook_that_unpacks_to_far_more_than_it_weighs_is_refused_unread():
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>a</t></si>" * 1_000_000 + "</sst>")
    assert len(content.getvalue()) < 200_000  # a small upload…
    with pytest.raises(TabularFileError, match="unpacks to far more data"):  # …that unpacks to 16 MB
        read_rows("order.xlsx", content.getvalue(), max_rows=100)
