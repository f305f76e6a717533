"""A customer's own price list as CSV (streamed: any catalog size, flat memory)."""

import csv
from collections.abc import Iterator

from tandem.core.context import CustomerContext
from tandem.pricing.selectors import customer_price_list


class _Line:
    def write(self, value: str) -> str:
        return value


def price_list_csv(context: CustomerContext) -> Iterator[str]:
    """Header, then one row per variant: SKU, EAN, name, unit, currency, net, VAT %, gross,
    volume prices ("from 10: 9.50 | from 50: 9.00"), source."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(["sku", "ean", "name", "unit", "currency", "net", "vat_percent",
                                      "gross", "volume_prices", "source"])
    for row in customer_price_list(context):
        price = row.price
        breaks = " | ".join(f"from {quantity}: {result.unit_display}" for quantity, result in row.breaks)
        yield writer.writerow([row.sku, row.gtin, row.name, row.unit, price.currency, price.unit_net,
                               price.tax_rate, price.unit_gross, breaks, price.source])
