"""List prices set in bulk by an ERP or PIM (the write API): one variant's price per currency
and channel, created or changed, never written again when it is already right."""

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
    """Create or change these list prices (the last one wins for a variant, currency and
    channel named twice); returns how many were written. Two queries and the writes,
    whatever the batch size; cached catalog pages are retired after commit when any changed."""
    wanted = {(price.variant_id, price.currency, price.channel): price.amount for price in prices}
    if not wanted:
        return 0
    existing = {
        (row.variant_id, row.currency, row.channel): row
        for row in BasePrice.objects.filter(variant_id__in={key[0] for key in wanted})
    }
    created, changed = [], []
    for key, amount in wanted.items():
        row = existing.get(key)
        if row is None:
            created.append(BasePrice(variant_id=key[0], currency=key[1], channel=key[2], amount=amount))
        elif row.amount != amount:
            row.amount = amount
            changed.append(row)
    with transaction.atomic():
        BasePrice.objects.bulk_create(created, batch_size=1000)
        BasePrice.objects.bulk_update(changed, ["amount"], batch_size=1000)
        if created or changed:
            transaction.on_commit(catalog_cache_clear)
    return len(created) + len(changed)
