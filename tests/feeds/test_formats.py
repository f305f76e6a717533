"""Each format parses and carries the partner's own assortment and prices."""

import csv
import io
import json
from decimal import Decimal

import pytest
from lxml import etree
from openpyxl import load_workbook

from tandem.customers.selectors import company_context_for
from tandem.feeds.formats import BMECAT_NS, COLUMNS, GOOGLE_NS
from tandem.pricing.selectors import prices_and_breaks_for_variants, prices_for_variants
from tests.feeds.conftest import content, written

B = f"{{{BMECAT_NS}}}"
G = f"{{{GOOGLE_NS}}}"


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_csv_has_one_row_per_variant_with_the_companys_net_price_and_tiers(shop):
    feed, _token = written(shop.acme, shop.acme_admin, "csv")

    rows = {row["sku"]: row for row in csv_rows(content(feed))}

    drill = rows[shop.drill.sku]
    assert list(drill) == COLUMNS
    assert (drill["price"], drill["volume_prices"], drill["currency"], drill["price_includes_tax"]) == (
        "90.00",
        "10:80.00",
        "PLN",
        "false",
    )
    assert (drill["gtin"], drill["brand"], drill["stock"], drill["unit"], drill["vat_rate"]) == (
        "5901234123457",
        "Bosch",
        "7",
        "pcs",
        "23.00",
    )
    assert drill["url"].startswith("http") and drill["url"].endswith(f"/{shop.drill.product.slug}/")
    assert feed.rows_count == len(rows) == 2


def test_the_prices_are_those_the_pricing_engine_gives_the_company(shop):
    feed, _token = written(shop.acme, shop.acme_admin, "csv")
    context = company_context_for(shop.acme, user_id=None, language="en")
    variants = [(shop.drill.pk, shop.drill.tax_class_id)]

    single = prices_for_variants(context, variants)[shop.drill.pk]
    _prices, breaks = prices_and_breaks_for_variants(context, variants)

    row = next(row for row in csv_rows(content(feed)) if row["sku"] == shop.drill.sku)
    assert Decimal(row["price"]) == single.unit_net == Decimal("90.00")
    assert row["volume_prices"] == "|".join(
        f"{quantity}:{result.unit_net}" for quantity, result in breaks[shop.drill.pk]
    )


def test_another_companys_feed_has_its_own_prices_and_not_the_restricted_product(shop):
    feed, _token = written(shop.balkan, shop.balkan_admin, "csv")

    rows = {row["sku"]: row for row in csv_rows(content(feed))}

    assert set(rows) == {shop.drill.sku}
    assert (rows[shop.drill.sku]["price"], rows[shop.drill.sku]["volume_prices"]) == ("100.00", "")


def test_the_feed_speaks_the_partners_language(shop):
    feed, _token = written(shop.acme, shop.acme_admin, "json", language="pl")

    items = {item["sku"]: item for item in json.loads(content(feed))["items"]}

    assert (items[shop.drill.sku]["name"], items[shop.drill.sku]["description"]) == (
        "Wiertarka",
        "Akumulatorowa, 18 V.",
    )


def test_json_is_one_document_with_the_catalog_and_its_items(shop):
    feed, _token = written(shop.acme, shop.acme_admin, "json")

    document = json.loads(content(feed))

    assert (document["catalog"]["currency"], document["catalog"]["buyer"]) == ("PLN", "ACME")
    drill = next(item for item in document["items"] if item["sku"] == shop.drill.sku)
    assert (drill["price"], drill["volume_prices"], drill["stock"]) == (
        "90.00",
        [{"min_quantity": 10, "price": "80.00"}],
        7,
    )


def test_xlsx_has_the_csv_columns_and_numbers_for_prices(shop):
    feed, _token = written(shop.acme, shop.acme_admin, "xlsx")

    sheet = load_workbook(io.BytesIO(content(feed)), read_only=True).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert header == COLUMNS
    drill = next(dict(zip(header, row, strict=True)) for row in rows if row[0] == shop.drill.sku)
    assert (drill["price"], drill["volume_prices"], drill["stock"]) == (90, "10:80.00", 7)


def test_bmecat_is_a_2005_catalog_with_net_customer_prices_per_tier(shop):
    feed, _token = written(shop.acme, shop.acme_admin, "bmecat")

    root = etree.fromstring(content(feed))

    assert (root.tag, root.get("version")) == (f"{B}BMECAT", "2005")
    catalog = root.find(f"{B}HEADER/{B}CATALOG")
    assert catalog.findtext(f"{B}LANGUAGE") == "eng"
    assert catalog.findtext(f"{B}CURRENCY") == "PLN"
    assert catalog.findtext(f"{B}CATALOG_ID") and catalog.findtext(f"{B}CATALOG_VERSION")
    assert root.findtext(f"{B}HEADER/{B}BUYER/{B}BUYER_NAME") == "ACME"
    assert root.findtext(f"{B}HEADER/{B}SUPPLIER/{B}SUPPLIER_NAME")
    products = root.findall(f"{B}T_NEW_CATALOG/{B}PRODUCT")
    assert len(products) == 2
    drill = next(p for p in products if p.findtext(f"{B}SUPPLIER_PID") == shop.drill.sku)
    details = drill.find(f"{B}PRODUCT_DETAILS")
    assert details.findtext(f"{B}DESCRIPTION_SHORT") == "Drill"
    assert details.find(f"{B}INTERNATIONAL_PID").attrib == {"type": "gtin"}
    assert details.findtext(f"{B}INTERNATIONAL_PID") == "5901234123457"
    assert details.findtext(f"{B}MANUFACTURER_NAME") == "Bosch"
    order = drill.find(f"{B}PRODUCT_ORDER_DETAILS")
    assert [order.findtext(f"{B}{tag}") for tag in ("ORDER_UNIT", "CONTENT_UNIT", "NO_CU_PER_OU")] == [
        "C62",
        "C62",
        "1",
    ]
    prices = drill.findall(f"{B}PRODUCT_PRICE_DETAILS/{B}PRODUCT_PRICE")
    assert [
        (
            price.get("price_type"),
            price.findtext(f"{B}PRICE_AMOUNT"),
            price.findtext(f"{B}PRICE_CURRENCY"),
            price.findtext(f"{B}TAX"),
            price.findtext(f"{B}LOWER_BOUND"),
        )
        for price in prices
    ] == [("net_customer", "90.00", "PLN", "0.23", "1"), ("net_customer", "80.00", "PLN", "0.23", "10")]


def test_google_merchant_feed_is_rss_with_gross_retail_prices_of_public_products(shop):
    feed, _token = written(shop.acme, shop.acme_admin, "google")

    root = etree.fromstring(content(feed))

    assert (root.tag, root.get("version"), root.nsmap.get("g")) == ("rss", "2.0", GOOGLE_NS)
    items = root.findall("channel/item")
    # the restricted product has no public page to link to: left out
    assert [item.findtext(f"{G}id") for item in items] == [shop.drill.sku]
    item = items[0]
    assert {child.tag.removeprefix(G): child.text for child in item} == {
        "id": shop.drill.sku,
        "title": "Drill",
        "description": "Cordless, 18 V.",
        "link": item.findtext(f"{G}link"),
        "price": "123.00 PLN",
        "availability": "in_stock",
        "brand": "Bosch",
        "gtin": "5901234123457",
        "mpn": shop.drill.sku,
        "condition": "new",
        "item_group_id": str(shop.drill.product_id),
        "product_type": shop.drill.product.category.name,
    }
    assert item.findtext(f"{G}link").endswith(f"/{shop.drill.product.slug}/")


@pytest.mark.parametrize(
    ("stock", "backorder", "expected"),
    [(0, False, "out_of_stock"), (0, True, "backorder")],
    ids=["sold-out", "on-back-order"],
)
def test_google_availability_follows_the_stock(shop, stock, backorder, expected):
    from tandem.inventory.models import StockItem

    StockItem.objects.filter(variant=shop.drill).update(on_hand=stock)
    shop.drill.product.__class__.objects.filter(pk=shop.drill.product_id).update(allow_backorder=backorder)
    feed, _token = written(shop.acme, shop.acme_admin, "google")

    assert etree.fromstring(content(feed)).findtext(f"channel/item/{G}availability") == expected
