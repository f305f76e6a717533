"""Price list entries from CSV/XLSX: all or nothing, a dry run, a report per bad row."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tandem.core.models import AuditEntry
from tandem.pricing.imports import MAX_ROWS, ImportFileError, RowError, price_list_entries_import
from tandem.pricing.models import PriceList, PriceListEntry
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def price_list():
    return PriceList.objects.create(code="wholesale", name="Wholesale", currency="PLN")


@pytest.fixture
def skus():
    return [make_product(f"P{n}").variants.get().sku for n in range(3)]


def run(price_list, content: bytes, name="prices.csv", dry_run=False):
    return price_list_entries_import(
        price_list=price_list, file_name=name, content=content, dry_run=dry_run, actor_id=None
    )


def test_a_semicolon_csv_with_bom_creates_and_updates_entries(price_list, skus):
    PriceListEntry.objects.create(
        price_list=price_list, variant=make_product("Old").variants.get(), price=Decimal("1.00")
    )
    csv = f"\ufeffSKU;min_quantity;price;discount_percent\n{skus[0]};1;12,50;\n{skus[0]};10;;5\n"
    report = run(price_list, csv.encode("utf-8"))
    assert (report.ok, report.created, report.updated) == (True, 2, 0)
    assert set(
        PriceListEntry.objects.filter(variant__sku=skus[0]).values_list(
            "min_quantity", "price", "discount_percent"
        )
    ) == {(1, Decimal("12.50"), None), (10, None, Decimal("5.00"))}
    again = run(price_list, f"sku,price\n{skus[0]},13.00\n".encode())
    assert (again.created, again.updated) == (0, 1)
    assert AuditEntry.objects.filter(action="price_list.imported").count() == 2


def test_an_xlsx_workbook_imports_the_same_way(price_list, skus):
    book = Workbook()
    book.active.append(["sku", "min_quantity", "discount_percent"])
    book.active.append([skus[1], 50, 12.5])
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(price_list, buffer.getvalue(), name="prices.xlsx")
    assert (report.ok, report.created) == (True, 1)
    assert PriceListEntry.objects.get().discount_percent == Decimal("12.50")


def test_a_dry_run_reports_and_writes_nothing(price_list, skus):
    report = run(price_list, f"sku,price\n{skus[0]},9.99\n".encode(), dry_run=True)
    assert (report.ok, report.created) == (True, 1)
    assert not PriceListEntry.objects.exists()


def test_every_bad_row_is_reported_and_nothing_is_written(price_list, skus):
    csv = (
        f"sku,min_quantity,price,discount_percent\n"
        f"{skus[0]},1,10.00,\n"  # fine, but not written: another row is bad
        f"NOPE,1,10.00,\n"  # line 3
        f"{skus[1]},0,10.00,\n"  # line 4
        f"{skus[1]},1,10.001,\n"  # line 5
        f"{skus[1]},1,,150\n"  # line 6
        f"{skus[2]},1,5.00,5\n"  # line 7
        f"{skus[0]},1,11.00,\n"
    )  # line 8: duplicate of line 2
    report = run(price_list, csv.encode())
    assert [(e.line, e.column) for e in report.errors] == [
        (3, "sku"),
        (4, "min_quantity"),
        (5, "price"),
        (6, "discount_percent"),
        (7, "price"),
        (8, "sku"),
    ]
    assert report.errors[0].message == "Unknown SKU NOPE."
    assert report.errors[-1].message.endswith("is already on line 2.")
    assert not PriceListEntry.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"sku,price\nA\x00,1\n", "p.csv", "NUL characters"),
        ("sku;price\n".encode("cp1250") + "ZAŻÓŁĆ;1\n".encode("cp1250"), "p.csv", "not UTF-8"),
        (b"PK\x03\x04garbage", "p.xlsx", "not a readable XLSX"),
        (b"name,cost\nA,1\n", "p.csv", "must name the columns"),
        (b"\n\n", "p.csv", "empty"),
    ],
    ids=["nul-bytes", "wrong-encoding", "fake-xlsx", "missing-columns", "empty"],
)
def test_an_unreadable_file_is_refused_with_a_reason(price_list, content, name, message):
    with pytest.raises(ImportFileError) as error:
        run(price_list, content, name=name)
    assert message in str(error.value)


def test_too_many_rows_are_refused_with_the_limit(price_list):
    content = "sku,price\n" + "X,1\n" * (MAX_ROWS + 1)
    with pytest.raises(ImportFileError) as error:
        run(price_list, content.encode())
    assert "more than 50000 rows" in str(error.value)


def test_staff_import_through_the_admin(client, staff_admin, price_list, skus):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff_admin)
    url = f"/admin/pricing/pricelist/{price_list.pk}/import/"
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("p.csv", f"sku,price\n{skus[0]},7.00\nNOPE,1\n".encode())
    response = client.post(url, {"file": upload})
    assert "Unknown SKU NOPE." in response.text and "Nothing was imported" in response.text
    upload = SimpleUploadedFile("p.csv", f"sku,price\n{skus[0]},7.00\n".encode())
    response = client.post(url, {"file": upload})
    assert "1 rows: 1 new" in response.text
    assert PriceListEntry.objects.get().price == Decimal("7.00")


def test_unicode_digits_that_are_not_numbers_are_a_row_error(price_list, skus):
    report = run(price_list, f"sku,min_quantity,price\n{skus[0]},²,1.00\n".encode())
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (2, "min_quantity", "² is not a whole number of at least 1.")
    ]


def test_forty_thousand_different_skus_are_checked_in_batches(price_list):
    rows = "".join(f"NOPE-{n},1\n" for n in range(40_000))
    report = run(price_list, f"sku,price\n{rows}".encode())
    assert len(report.errors) == 40_000
    assert report.errors[-1] == RowError(40_001, "sku", "Unknown SKU NOPE-39999.")


def test_a_long_price_list_is_edited_on_its_entries_page_with_search_and_paging(
    client, staff_admin, price_list
):
    variants = [make_product(f"Bolt {n}", gross="1.00").variants.get() for n in range(60)]
    PriceListEntry.objects.bulk_create(
        PriceListEntry(price_list=price_list, variant=variant, price=Decimal("0.80")) for variant in variants
    )
    client.force_login(staff_admin)
    page = client.get(f"/admin/pricing/pricelist/{price_list.pk}/change/").text
    assert "entries-TOTAL_FORMS" not in page  # no inline of 60 rows
    assert f"?price_list__id__exact={price_list.pk}" in page and "60 entries" in page
    found = client.get(
        "/admin/pricing/pricelistentry/", {"price_list__id__exact": price_list.pk, "q": variants[7].sku}
    )
    assert found.status_code == 200 and found.context["cl"].result_count == 1
