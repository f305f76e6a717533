"""Stock reads: available = on hand − reserved, summed over active warehouses."""

from collections.abc import Iterable

from django.db.models import F, Sum

from tandem.inventory.models import StockItem


def available_by_variant(variant_ids: Iterable[int]) -> dict[int, int]:
    """variant_id → units available to sell now (one query)."""
    rows = (
        StockItem.objects.filter(variant_id__in=list(variant_ids), warehouse__is_active=True)
        .values("variant_id")
        .annotate(available=Sum(F("on_hand") - F("reserved")))
    )
    return {row["variant_id"]: max(row["available"] or 0, 0) for row in rows}


def stock_by_warehouse(variant_ids: Iterable[int]) -> dict[int, list[StockItem]]:
    """variant_id → stock rows per active warehouse, for the product page."""
    result: dict[int, list[StockItem]] = {}
    for item in StockItem.objects.filter(
        variant_id__in=list(variant_ids), warehouse__is_active=True
    ).select_related("warehouse").order_by("warehouse__code"):
        result.setdefault(item.variant_id, []).append(item)
    return result
