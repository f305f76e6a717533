"""A customer's own price list as CSV (streamed: any catalog size, flat memory)."""

from collections.abc import Iterator

from tandem.core.context import CustomerContext
from tandem.core.tabular import csv_stream
from tandem.pricing.selectors import customer_price_list


def price_list_csv(context: CustomerContext) -> Iterator[str]:
    """Header, then one row per variant: SKU, EAN, name, unit, currency, net, VAT %, gross,
    volume prices ("from 10: 9.50 | from 50: 9.00"), source."""
    header = ["sku", "ean", "name", "unit", "currency", "net", "vat_percent", "gross", "volume_prices",
              "source"]
    return csv_stream(header, (
        [row.sku, row.gtin, row.name, row.unit, row.price.currency, row.price.unit_net, row.price.tax_rate,
         row.price.unit_gross,
         " | ".join(f"from {quantity}: {result.unit_display}" for quantity, result in row.breaks),
         row.price.source]
        for row in customer_price_list(context)))
