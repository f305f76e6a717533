"""A customer's own price list: every item they may buy at their own prices and volume tiers,
read in batches (any catalog size, flat memory), and as CSV for spreadsheets and ERPs."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models.fields.json import KeyTextTransform, KeyTransform

from tandem.catalog.models import Variant
from tandem.catalog.selectors import visible_products
from tandem.core.context import CustomerContext
from tandem.core.tabular import csv_stream, spreadsheet_cell
from tandem.pricing import engine
from tandem.pricing.selectors import variant_pricing


@dataclass(frozen=True, slots=True)
class PriceListRow:
    sku: str
    gtin: str
    name: str
    unit: str
    price: engine.PriceResult
    breaks: list


def customer_price_list(context: CustomerContext, *, batch_size: int = 5_000) -> Iterator[PriceListRow]:
    """Every variant this customer may buy, with their unit price for one unit and their
    volume prices, in catalogue order. Reads in batches along the primary key (memory
    stays flat for any catalogue, and each batch's prices load by id range); which
    products the customer may see is loaded once."""
    visible = set(visible_products(context).values_list("pk", flat=True))
    language = context.language
    last_id = 0
    while True:
        chunk = list(
            Variant.objects.filter(is_active=True, pk__gt=last_id)
            .order_by("pk")
            .annotate(
                name_tr=KeyTextTransform("name", KeyTransform(language, "translations")),
                product_tr=KeyTextTransform("name", KeyTransform(language, "product__translations")),
            )
            .values_list(
                "pk",
                "sku",
                "gtin",
                "name",
                "name_tr",
                "unit",
                "tax_class_id",
                "product_id",
                "product__name",
                "product_tr",
            )[:batch_size]
        )
        if not chunk:
            return
        last_id = chunk[-1][0]
        chunk = [row for row in chunk if row[7] in visible]
        inputs = variant_pricing(context, [(row[0], row[6]) for row in chunk])
        for pk, sku, gtin, name, name_tr, unit, _tax, _product, product_name, product_tr in chunk:
            pricing = inputs[pk]
            price = engine.resolve_one(context, pricing, 1)
            if price is None:
                continue
            variant_name = name_tr or name
            yield PriceListRow(
                sku=sku,
                gtin=gtin,
                unit=unit,
                price=price,
                name=(product_tr or product_name) + (f" – {variant_name}" if variant_name else ""),
                breaks=engine.price_breaks(context, pricing, price) if context.is_b2b else [],
            )


def price_list_csv(context: CustomerContext) -> Iterator[str]:
    """Header, then one row per variant: SKU, EAN, name, unit, currency, net, VAT %, gross,
    volume prices ("from 10: 9.50 | from 50: 9.00"), source. Text a spreadsheet would run as
    a formula is written as text."""
    header = [
        "sku",
        "ean",
        "name",
        "unit",
        "currency",
        "net",
        "vat_percent",
        "gross",
        "volume_prices",
        "source",
    ]
    return csv_stream(
        header,
        (
            [
                spreadsheet_cell(row.sku),
                row.gtin,
                spreadsheet_cell(row.name),  # names are typed by people: "=…" must stay text
                row.unit,
                row.price.currency,
                row.price.unit_net,
                row.price.tax_rate,
                row.price.unit_gross,
                " | ".join(f"from {quantity}: {result.unit_display}" for quantity, result in row.breaks),
                row.price.source,
            ]
            for row in customer_price_list(context)
        ),
    )
