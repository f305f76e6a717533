"""List prices set in bulk by an ERP or PIM (the write API): one variant's price per currency
and channel, created or changed; the callers leave out the prices that are already right."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from tandem.core.catalog_cache import catalog_cache_clear
from tandem.pricing.models import BasePrice


@dataclass(frozen=True, slots=True)
class ListPrice:
    variant_id: int
    currency: str
    channel: str  # "b2c": gross, "b2b": net
    amount: Decimal


def list_prices_set(prices: Sequence[ListPrice]) -> int:
    """Write these list prices — new ones created, existing ones given the new amount — in
    one statement per thousand (an insert that updates on the variant, currency and channel it
    meets), without reading them first: callers pass the prices that differ, having read the
    current ones before their transaction. The last one wins for a key named twice; cached
    catalog pages are retired after commit. Returns how many were written."""
    wanted = {(price.variant_id, price.currency, price.channel): price.amount for price in prices}
    if not wanted:
        return 0
    rows = [
        BasePrice(variant_id=variant_id, currency=currency, channel=channel, amount=amount)
        for (variant_id, currency, channel), amount in wanted.items()
    ]
    with transaction.atomic():
        BasePrice.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["variant", "currency", "channel"],
            update_fields=["amount"],
        )
        transaction.on_commit(catalog_cache_clear)
    return len(rows)
