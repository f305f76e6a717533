"""Stock reads: available = on hand − reserved, summed over active warehouses."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from tandem.inventory.models import StockItem, StockMovement


def available_by_variant(variant_ids: Iterable[int]) -> dict[int, int]:
    """variant_id → units available to sell now (one query)."""
    totals: dict[int, int] = {}
    rows = StockItem.objects.filter(variant_id__in=list(variant_ids), warehouse__is_active=True).values_list(
        "variant_id", "on_hand", "reserved"
    )  # a row per warehouse, summed here: a plain query compiles faster than a grouped one
    for variant_id, on_hand, reserved in rows:
        totals[variant_id] = totals.get(variant_id, 0) + on_hand - reserved
    return {variant_id: max(total, 0) for variant_id, total in totals.items()}


def stock_by_warehouse(variant_ids: Iterable[int]) -> dict[int, list[StockItem]]:
    """variant_id → stock rows per active warehouse, for the product page."""
    result: dict[int, list[StockItem]] = {}
    for item in (
        StockItem.objects.filter(variant_id__in=list(variant_ids), warehouse__is_active=True)
        .select_related("warehouse")
        .order_by("warehouse__code")
    ):
        result.setdefault(item.variant_id, []).append(item)
    return result


@dataclass(frozen=True, slots=True)
class LedgerDifference:
    """A stock row whose counts are not the sums of its movements."""

    item_id: int
    on_hand: int
    reserved: int
    movements_on_hand: int
    movements_reserved: int


def stock_ledger_differences() -> list[LedgerDifference]:
    """Every stock row whose on hand or reserved differs from the sums of its movements (one
    query; an empty list when the ledger holds)."""
    sums = StockMovement.objects.filter(item=OuterRef("pk")).order_by().values("item")
    rows = (
        StockItem.objects.annotate(
            moved_on_hand=Coalesce(Subquery(sums.annotate(total=Sum("on_hand_change")).values("total")), 0),
            moved_reserved=Coalesce(Subquery(sums.annotate(total=Sum("reserved_change")).values("total")), 0),
        )
        .exclude(on_hand=F("moved_on_hand"), reserved=F("moved_reserved"))
        .order_by("pk")
    )
    return [
        LedgerDifference(row.pk, row.on_hand, row.reserved, row.moved_on_hand, row.moved_reserved)
        for row in rows
    ]
