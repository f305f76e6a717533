"""Writers of a feed's file, one per format, each streaming: an item is written as it is read
and then forgotten, so a catalog of 100,000 products takes the memory of one batch.

Every writer gets a binary file to write to, the catalog's header and an iterable of
``FeedItem``; it returns how many items it wrote. CSV, XLSX and JSON have the same columns
(``COLUMNS``); BMEcat 2005 and Google Merchant Center XML map the same items to their own
elements.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import BinaryIO

from lxml import etree

from tandem.core.tabular import printable, spreadsheet_cell

BMECAT_NS = "http://www.bmecat.org/bmecat/2005"
GOOGLE_NS = "http://base.google.com/ns/1.0"
# The catalog's units as UN/ECE Recommendation 20 codes (what BMEcat's ORDER_UNIT expects).
UNECE_UNITS = {
    "pcs": "C62",  # one (piece)
    "pack": "PK",
    "box": "BX",
    "set": "SET",
    "m": "MTR",
    "kg": "KGM",
    "l": "LTR",
}


@dataclass(frozen=True, slots=True)
class FeedHeader:
    """What a file says about itself: whose catalog, in which language and currency."""

    catalog_id: str
    version: str  # when it was generated, as BMEcat's CATALOG_VERSION
    generated_at: datetime
    language: str
    currency: str
    supplier: str
    buyer: str
    shop_url: str
    title: str


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One variant as a partner sees it: their own price (net for a company, gross for a
    retail feed), their volume prices, the stock free to sell."""

    sku: str
    gtin: str
    name: str
    description: str
    brand: str
    category: str  # "Tools > Drills"
    unit: str
    pack_size: int
    price: Decimal
    price_includes_tax: bool
    tiers: tuple[tuple[int, Decimal], ...]  # (from quantity, unit price), below ``price``
    currency: str
    vat_rate: Decimal  # percent: 23
    stock: int
    allow_backorder: bool
    url: str
    image_url: str
    product_id: int


COLUMNS = [
    "sku",
    "gtin",
    "name",
    "description",
    "brand",
    "category",
    "unit",
    "pack_size",
    "price",
    "price_includes_tax",
    "volume_prices",
    "currency",
    "vat_rate",
    "stock",
    "url",
    "image_url",
]


def volume_prices_text(tiers: Iterable[tuple[int, Decimal]]) -> str:
    """``10:95.00|50:90.00``: from 10 units 95.00 each, from 50 units 90.00."""
    return "|".join(f"{quantity}:{price}" for quantity, price in tiers)


def _row(item: FeedItem) -> list:
    return [
        item.sku,
        item.gtin,
        item.name,
        item.description,
        item.brand,
        item.category,
        item.unit,
        item.pack_size,
        item.price,
        item.price_includes_tax,
        volume_prices_text(item.tiers),
        item.currency,
        item.vat_rate,
        item.stock,
        item.url,
        item.image_url,
    ]


def write_csv(out: BinaryIO, header: FeedHeader, items: Iterable[FeedItem]) -> int:
    """UTF-8 without BOM (programs read it), comma-separated, one row per variant."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    count = 0
    for item in items:
        writer.writerow(
            [
                "true"
                if value is True
                else "false"
                if value is False
                else spreadsheet_cell(value, keep_newlines=True)
                for value in _row(item)
            ]
        )
        count += 1
    text.detach()  # leave ``out`` open for the caller
    return count


def write_xlsx(out: BinaryIO, header: FeedHeader, items: Iterable[FeedItem]) -> int:
    """One worksheet, the same columns as the CSV; openpyxl's write-only mode keeps the rows
    in a temporary file, not in memory. Prices are numbers, not text."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Catalog")
    sheet.append(COLUMNS)
    count = 0
    for item in items:
        sheet.append([spreadsheet_cell(value, keep_newlines=True) for value in _row(item)])
        count += 1
    book.save(out)
    return count


def _json_item(item: FeedItem) -> dict:
    return {
        "sku": item.sku,
        "gtin": item.gtin or None,
        "name": item.name,
        "description": item.description,
        "brand": item.brand or None,
        "category": item.category or None,
        "unit": item.unit,
        "pack_size": item.pack_size,
        "price": str(item.price),
        "price_includes_tax": item.price_includes_tax,
        "volume_prices": [{"min_quantity": quantity, "price": str(price)} for quantity, price in item.tiers],
        "currency": item.currency,
        "vat_rate": str(item.vat_rate),
        "stock": item.stock,
        "url": item.url,
        "image_url": item.image_url or None,
    }


def write_json(out: BinaryIO, header: FeedHeader, items: Iterable[FeedItem]) -> int:
    """One JSON document, ``{"catalog": {…}, "items": [{…}, …]}``, written item by item
    (amounts as strings: no float rounding)."""
    catalog = {
        "id": header.catalog_id,
        "generated_at": header.generated_at.isoformat(),
        "language": header.language,
        "currency": header.currency,
        "supplier": header.supplier,
        "buyer": header.buyer,
    }
    out.write(b'{"catalog": ' + json.dumps(catalog, ensure_ascii=False).encode() + b', "items": [')
    count = 0
    for item in items:
        out.write((b",\n" if count else b"\n") + json.dumps(_json_item(item), ensure_ascii=False).encode())
        count += 1
    out.write(b"\n]}\n")
    return count


def _text(value: str) -> str:
    """Text an XML document can hold (no control characters)."""
    return printable(value or "", keep_newlines=True)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = _text(text)
    return element


def _rate(percent: Decimal) -> str:
    """23 → "0.23" (BMEcat's TAX is a fraction)."""
    return f"{(percent / 100).normalize():f}"


def write_bmecat(out: BinaryIO, header: FeedHeader, items: Iterable[FeedItem]) -> int:
    """A BMEcat 2005 ``T_NEW_CATALOG``: a PRODUCT per variant with its net customer prices,
    one PRODUCT_PRICE per volume tier (LOWER_BOUND the quantity it starts at)."""
    # The root declares BMEcat's namespace as the default one; the elements written inside it
    # are built without a namespace, so they inherit it instead of declaring it again each.
    count = 0
    with etree.xmlfile(out, encoding="utf-8") as xml:
        xml.write_declaration()
        with xml.element(f"{{{BMECAT_NS}}}BMECAT", {"version": "2005"}, nsmap={None: BMECAT_NS}):
            head = etree.Element("HEADER")
            catalog = _sub(head, "CATALOG")
            _sub(catalog, "LANGUAGE", LANGUAGE_CODES.get(header.language, header.language))
            _sub(catalog, "CATALOG_ID", header.catalog_id)
            _sub(catalog, "CATALOG_VERSION", header.version)
            _sub(catalog, "CATALOG_NAME", header.title)
            _sub(
                _sub(catalog, "DATETIME", type="generation_date"),
                "DATE",
                header.generated_at.date().isoformat(),
            )
            _sub(catalog, "CURRENCY", header.currency)
            _sub(_sub(head, "BUYER"), "BUYER_NAME", header.buyer)
            _sub(_sub(head, "SUPPLIER"), "SUPPLIER_NAME", header.supplier)
            xml.write(head)
            with xml.element(f"{{{BMECAT_NS}}}T_NEW_CATALOG"):
                for item in items:
                    xml.write(_bmecat_product(item))
                    count += 1
    return count


# BMEcat names languages by ISO 639-2 codes.
LANGUAGE_CODES = {"en": "eng", "pl": "pol", "bg": "bul", "ru": "rus", "de": "deu"}


def _bmecat_product(item: FeedItem) -> etree._Element:
    product = etree.Element("PRODUCT", {"mode": "new"})
    _sub(product, "SUPPLIER_PID", item.sku)
    details = _sub(product, "PRODUCT_DETAILS")
    _sub(details, "DESCRIPTION_SHORT", item.name[:150])
    if item.description:
        _sub(details, "DESCRIPTION_LONG", item.description)
    if item.gtin:
        _sub(details, "INTERNATIONAL_PID", item.gtin, type="gtin")
    if item.brand:
        _sub(details, "MANUFACTURER_NAME", item.brand)
    order = _sub(product, "PRODUCT_ORDER_DETAILS")
    unit = UNECE_UNITS.get(item.unit, "C62")
    _sub(order, "ORDER_UNIT", unit)
    _sub(order, "CONTENT_UNIT", unit)
    _sub(order, "NO_CU_PER_OU", str(item.pack_size))
    prices = _sub(product, "PRODUCT_PRICE_DETAILS")
    price_type = "gros_list" if item.price_includes_tax else "net_customer"
    for lower_bound, amount in ((1, item.price), *item.tiers):
        price = _sub(prices, "PRODUCT_PRICE", price_type=price_type)
        _sub(price, "PRICE_AMOUNT", str(amount))
        _sub(price, "PRICE_CURRENCY", item.currency)
        _sub(price, "TAX", _rate(item.vat_rate))
        _sub(price, "LOWER_BOUND", str(lower_bound))
    return product


def availability(item: FeedItem) -> str:
    """Google's availability: in stock, else back-order when the product takes them."""
    if item.stock > 0:
        return "in_stock"
    return "backorder" if item.allow_backorder else "out_of_stock"


def write_google(out: BinaryIO, header: FeedHeader, items: Iterable[FeedItem]) -> int:
    """An RSS 2.0 channel for Google Merchant Center: an ``item`` per variant with ``g:``
    fields, the price gross (VAT included) as shoppers see it at ``g:link``."""
    g = f"{{{GOOGLE_NS}}}"
    count = 0
    with etree.xmlfile(out, encoding="utf-8") as xml:
        xml.write_declaration()
        with xml.element("rss", {"version": "2.0"}, nsmap={"g": GOOGLE_NS}), xml.element("channel"):
            head = etree.Element("head")
            _sub(head, "title", header.title)
            _sub(head, "link", header.shop_url)
            _sub(head, "description", header.title)
            for child in head:
                xml.write(child)
            for item in items:
                entry = etree.Element("item", nsmap={"g": GOOGLE_NS})
                _sub(entry, g + "id", item.sku)
                _sub(entry, g + "title", item.name[:150])
                _sub(entry, g + "description", item.description or item.name)
                _sub(entry, g + "link", item.url)
                if item.image_url:
                    _sub(entry, g + "image_link", item.image_url)
                _sub(entry, g + "price", f"{item.price} {item.currency}")
                _sub(entry, g + "availability", availability(item))
                if item.brand:
                    _sub(entry, g + "brand", item.brand)
                if item.gtin:
                    _sub(entry, g + "gtin", item.gtin)
                _sub(entry, g + "mpn", item.sku)
                _sub(entry, g + "condition", "new")
                _sub(entry, g + "item_group_id", str(item.product_id))
                if item.category:
                    _sub(entry, g + "product_type", item.category)
                xml.write(entry)
                count += 1
    return count


Writer = Callable[[BinaryIO, FeedHeader, Iterable[FeedItem]], int]
WRITERS: dict[str, Writer] = {
    "csv": write_csv,
    "xlsx": write_xlsx,
    "json": write_json,
    "bmecat": write_bmecat,
    "google": write_google,
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "bmecat": "application/xml; charset=utf-8",
    "google": "application/xml; charset=utf-8",
}
