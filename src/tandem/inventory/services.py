"""The one way stock changes: receive, count, reserve, release, ship.

Every function runs inside the caller's transaction (or its own), locks the stock rows it
touches in one global order — variant, then row — so concurrent orders queue instead of
deadlocking, changes them with conditional updates that can never take a count below zero,
and writes one ``StockMovement`` per row changed: on hand and reserved always equal the sums
of their movements (``stock_ledger_differences`` checks it). A row that does not hold what
a caller says it holds is a ``StockMismatch``, never skipped.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.events import event_publish
from tandem.inventory.errors import StockError, StockMismatch, StockShortage
from tandem.inventory.models import MovementKind, StockItem, StockMovement


@dataclass(frozen=True, slots=True)
class StockRequest:
    """Units of one variant an order wants held for it."""

    variant_id: int
    quantity: int
    allow_backorder: bool = False


@dataclass(frozen=True, slots=True)
class Reservation:
    """What was held for one variant: units per warehouse, and the rest on back-order."""

    taken: dict[int, int]
    backordered: int


@dataclass(frozen=True, slots=True)
class Shipped:
    """Units that left each warehouse, and what stays reserved for the line."""

    taken: dict[int, int]
    reserved_left: dict[int, int]


def _locked_rows(variant_ids: Iterable[int], *, active_only: bool = False) -> list[StockItem]:
    """The variants' stock rows, locked in the one global order (variant, row)."""
    rows = (
        StockItem.objects.select_for_update(of=("self",))
        .select_related("warehouse")
        .filter(variant_id__in=sorted(set(variant_ids)))
    )
    if active_only:
        rows = rows.filter(warehouse__is_active=True)
    return list(rows.order_by("variant_id", "pk"))


def _available(rows: Sequence[StockItem]) -> int:
    """Units free to sell over the rows (of active warehouses)."""
    return sum(item.available for item in rows if item.warehouse.is_active)


def _announce_low_stock(changes: Mapping[int, tuple[int, int]]) -> None:
    """``stock.low`` for every variant whose free units just fell to ``STOCK_LOW_THRESHOLD`` or
    below (variant id → (before, after)); once per crossing, not on every sale below it."""
    threshold = settings.STOCK_LOW_THRESHOLD
    for variant_id, (before, after) in sorted(changes.items()):
        if before > threshold >= after:
            event_publish("stock.low", {"variant_id": variant_id, "available": after, "threshold": threshold})


def _movement(
    item: StockItem,
    kind: str,
    *,
    on_hand: int = 0,
    reserved: int = 0,
    reference: str = "",
    note: str = "",
    actor_id: int | None = None,
) -> StockMovement:
    return StockMovement(
        item_id=item.pk,
        kind=kind,
        on_hand_change=on_hand,
        reserved_change=reserved,
        reference=reference[:64],
        note=note[:255],
        actor_id=actor_id,
    )


def stock_reserve(
    *, requests: Sequence[StockRequest], reference: str, actor_id: int | None = None
) -> dict[int, Reservation]:
    """Hold every request's units, so two orders can never take the same last unit.

    Each variant takes from the warehouses with most available first; a variant that allows
    back-orders takes what there is and back-orders the rest. Raises StockShortage (nothing
    held) for the first variant without back-orders that lacks units. Returns variant id →
    Reservation."""
    wanted: dict[int, StockRequest] = {}
    for request in requests:
        if request.quantity <= 0:
            raise StockError(_("A reservation needs a positive quantity."))
        if request.variant_id in wanted:
            raise StockError(_("Reserve each variant once per order."))
        wanted[request.variant_id] = request
    rows: dict[int, list[StockItem]] = {}
    with transaction.atomic():
        for item in _locked_rows(wanted, active_only=True):
            rows.setdefault(item.variant_id, []).append(item)
        before = {variant_id: _available(items) for variant_id, items in rows.items()}
        result, movements = {}, []
        for variant_id in sorted(wanted):
            request = wanted[variant_id]
            needed, taken = request.quantity, dict[int, int]()
            for item in sorted(rows.get(variant_id, []), key=lambda row: (-row.available, row.pk)):
                take = min(needed, item.available)
                if take <= 0:
                    break
                if not StockItem.objects.filter(pk=item.pk, reserved__lte=F("on_hand") - take).update(
                    reserved=F("reserved") + take
                ):
                    raise StockMismatch()  # the row changed under our lock: never hold what is not there
                item.reserved += take
                taken[item.warehouse_id] = taken.get(item.warehouse_id, 0) + take
                movements.append(
                    _movement(
                        item, MovementKind.RESERVE, reserved=take, reference=reference, actor_id=actor_id
                    )
                )
                needed -= take
                if not needed:
                    break
            if needed and not request.allow_backorder:
                raise StockShortage(variant_id=variant_id, available=request.quantity - needed)
            result[variant_id] = Reservation(taken=taken, backordered=needed)
        StockMovement.objects.bulk_create(movements)
        _announce_low_stock(
            {
                variant_id: (available, _available(rows[variant_id]))
                for variant_id, available in before.items()
            }
        )
    return result


def stock_release(
    *,
    reservations: Sequence[tuple[int, Mapping[int | str, int]]],
    reference: str,
    actor_id: int | None = None,
) -> None:
    """Give reserved units back: ``reservations`` is (variant id, {warehouse id: units}) per
    order line. Raises StockMismatch (nothing released) when a row holds fewer reserved
    units than the order says it has there."""
    with transaction.atomic():
        rows = {
            (item.variant_id, item.warehouse_id): item
            for item in _locked_rows(variant_id for variant_id, _held in reservations)
        }
        movements = []
        for variant_id, held in sorted(reservations, key=lambda pair: pair[0]):
            for warehouse_id, units in sorted((int(key), value) for key, value in held.items()):
                if units <= 0:
                    continue
                item = rows.get((variant_id, warehouse_id))
                if item is None or not StockItem.objects.filter(pk=item.pk, reserved__gte=units).update(
                    reserved=F("reserved") - units
                ):
                    raise StockMismatch()
                item.reserved -= units
                movements.append(
                    _movement(
                        item, MovementKind.RELEASE, reserved=-units, reference=reference, actor_id=actor_id
                    )
                )
        StockMovement.objects.bulk_create(movements)


def stock_ship(
    *,
    variant_id: int,
    reserved: Mapping[int | str, int],
    quantity: int,
    reference: str,
    actor_id: int | None = None,
) -> Shipped:
    """Take ``quantity`` units out of the warehouses: first the units ``reserved`` for the
    line (on hand and reserved both go down), then, for back-ordered units that have arrived
    since, free stock. Raises StockShortage when not enough is there, StockMismatch when a
    row holds fewer reserved units than ``reserved`` says; nothing moves then."""
    held = {int(key): value for key, value in reserved.items() if value}
    with transaction.atomic():
        rows = _locked_rows([variant_id])
        by_warehouse = {item.warehouse_id: item for item in rows}
        available_before = _available(rows)
        taken: dict[int, int] = {}
        movements = []
        needed = quantity
        for warehouse_id in sorted(held):
            units = min(needed, held[warehouse_id])
            item = by_warehouse.get(warehouse_id)
            if units <= 0:
                continue
            if item is None or not StockItem.objects.filter(
                pk=item.pk, reserved__gte=units, on_hand__gte=units
            ).update(reserved=F("reserved") - units, on_hand=F("on_hand") - units):
                raise StockMismatch()
            item.reserved -= units
            item.on_hand -= units
            held[warehouse_id] -= units
            taken[warehouse_id] = units
            needed -= units
            movements.append(
                _movement(
                    item,
                    MovementKind.SHIP,
                    on_hand=-units,
                    reserved=-units,
                    reference=reference,
                    actor_id=actor_id,
                )
            )
        for item in rows:
            units = min(needed, item.available)
            if units <= 0:
                continue
            if not StockItem.objects.filter(pk=item.pk, on_hand__gte=F("reserved") + units).update(
                on_hand=F("on_hand") - units
            ):
                raise StockMismatch()
            item.on_hand -= units
            taken[item.warehouse_id] = taken.get(item.warehouse_id, 0) + units
            needed -= units
            movements.append(
                _movement(item, MovementKind.SHIP, on_hand=-units, reference=reference, actor_id=actor_id)
            )
        if needed:
            raise StockShortage(variant_id=variant_id, available=quantity - needed)
        StockMovement.objects.bulk_create(movements)
        _announce_low_stock({variant_id: (available_before, _available(rows))})
    return Shipped(taken=taken, reserved_left={key: value for key, value in held.items() if value})


def stock_receive(
    *,
    variant_id: int,
    warehouse_id: int,
    quantity: int,
    reference: str = "",
    note: str = "",
    actor_id: int | None = None,
) -> StockItem:
    """Book units that arrived in a warehouse (a delivery, a return)."""
    if quantity <= 0:
        raise StockError(_("Receive a positive number of units."), field="quantity")
    with transaction.atomic():
        item, _created = StockItem.objects.get_or_create(variant_id=variant_id, warehouse_id=warehouse_id)
        StockItem.objects.filter(pk=item.pk).update(on_hand=F("on_hand") + quantity)
        StockMovement.objects.create(
            item=item,
            kind=MovementKind.RECEIVE,
            on_hand_change=quantity,
            reference=reference[:64],
            note=note[:255],
            actor_id=actor_id,
        )
    item.refresh_from_db()
    return item


def stock_count_check(*, on_hand: int, reserved: int) -> None:
    """Why a count of ``on_hand`` cannot be booked on a row holding ``reserved`` units for
    orders (StockError), if it cannot: the rule ``stock_count`` enforces under the row lock,
    and the admin form asks before saving."""
    if on_hand < 0:
        raise StockError(_("On hand cannot be negative."), field="on_hand")
    if on_hand < reserved:
        raise StockError(
            _(
                "%(reserved)s units are reserved for orders here; on hand cannot go below that. Ship or "
                "cancel those orders first, or count again."
            )
            % {"reserved": reserved},
            code="below_reserved",
            field="on_hand",
        )


def stock_count(*, item_id: int, on_hand: int, note: str = "", actor_id: int | None = None) -> StockItem:
    """Set a row's on hand to what was counted; the difference is booked as a stock count.
    Refused below the units reserved for orders (ship or cancel them, or count again)."""
    stock_count_check(on_hand=on_hand, reserved=0)
    with transaction.atomic():
        item = (
            StockItem.objects.select_for_update(of=("self",))
            .select_related("warehouse")
            .filter(pk=item_id)
            .first()
        )
        if item is None:
            raise StockError(_("This stock row does not exist."))
        stock_count_check(on_hand=on_hand, reserved=item.reserved)
        change = on_hand - item.on_hand
        if change:
            if item.warehouse.is_active:
                elsewhere = sum(
                    row.available
                    for row in StockItem.objects.filter(variant_id=item.variant_id, warehouse__is_active=True)
                    .exclude(pk=item.pk)
                    .only("on_hand", "reserved")
                )
                before = elsewhere + item.available
                _announce_low_stock({item.variant_id: (before, before + change)})
            StockItem.objects.filter(pk=item.pk).update(on_hand=on_hand)
            StockMovement.objects.create(
                item=item, kind=MovementKind.ADJUST, on_hand_change=change, note=note[:255], actor_id=actor_id
            )
            item.on_hand = on_hand
    return item


@dataclass(frozen=True, slots=True)
class StockLevel:
    """What a warehouse system counted on hand of one variant in one warehouse."""

    variant_id: int
    warehouse_id: int
    on_hand: int


@dataclass(slots=True)
class StockLevelsResult:
    changed: int = 0
    refused: dict[int, StockError] = field(default_factory=dict)  # index in the levels → why


def _on_hand_write(rows: Sequence[tuple[int, int]]) -> None:
    """Write (row id, on hand) pairs in one statement on PostgreSQL (an UPDATE joined to the
    new values, sent as two arrays: psycopg would parse 2,000 placeholders on every call) and
    one prepared UPDATE run per row on SQLite (local, no round trips): Django's
    ``bulk_update`` builds a CASE over all of them, which took most of a 1,000-row batch."""
    if not rows:
        return
    connection = transaction.get_connection()
    table = connection.ops.quote_name(StockItem._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS item SET on_hand = new.on_hand "  # noqa: S608 - the model's table
                "FROM unnest(%s::bigint[], %s::integer[]) AS new(id, on_hand) WHERE item.id = new.id",
                [[pk for pk, _on_hand in rows], [on_hand for _pk, on_hand in rows]],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET on_hand = %s WHERE id = %s",  # noqa: S608 - the model's own table name
                [(on_hand, pk) for pk, on_hand in rows],
            )


def _adjustments_write(adjustments: Sequence[tuple[int, int]], *, note: str, actor_id: int | None) -> None:
    """The stock-count movements of a batch, in one statement on PostgreSQL (arrays) and one
    prepared INSERT run on SQLite: the same rows ``bulk_create`` would write, without building
    a model per row."""
    if not adjustments:
        return
    connection = transaction.get_connection()
    table = connection.ops.quote_name(StockMovement._meta.db_table)
    columns = "item_id, kind, on_hand_change, reserved_change, reference, note, actor_id, created_at"
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608 - the model's own table name
                "SELECT item, %s, change, 0, '', %s, %s, %s "
                "FROM unnest(%s::bigint[], %s::integer[]) AS a(item, change)",
                [
                    MovementKind.ADJUST.value,
                    note[:255],
                    actor_id,
                    now,
                    [a[0] for a in adjustments],
                    [a[1] for a in adjustments],
                ],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, 0, '', %s, %s, %s)",  # noqa: S608 - as above
                [
                    (item, MovementKind.ADJUST.value, change, note[:255], actor_id, now)
                    for item, change in adjustments
                ],
            )


def stock_levels_set(
    *, levels: Sequence[StockLevel], note: str = "", actor_id: int | None = None
) -> StockLevelsResult:
    """Set on hand of many rows at once, as a warehouse system counted them (its feed or a
    synchronisation): each difference is booked as a stock count, a row that does not exist
    yet is opened, a level already there writes nothing. A level below the units reserved for
    orders is refused (``refused`` names it by index) and the others are still set: the caller
    rolls its transaction back when the batch must be whole. One query locks the rows of every
    variant concerned, whatever the batch size; a variant named twice is the caller's error."""
    result = StockLevelsResult()
    wanted: dict[tuple[int, int], tuple[int, StockLevel]] = {}
    for index, level in enumerate(levels):
        try:
            stock_count_check(on_hand=level.on_hand, reserved=0)
        except StockError as error:
            result.refused[index] = error
            continue
        wanted[(level.variant_id, level.warehouse_id)] = (index, level)
    if not wanted:
        return result
    with transaction.atomic():
        # plain rows, not models: building 2,000 model instances took a sixth of a batch
        rows = list(
            StockItem.objects.select_for_update(of=("self",))
            .filter(variant_id__in_array=sorted({variant_id for variant_id, _warehouse in wanted}))
            .order_by("variant_id", "pk")
            .values_list("pk", "variant_id", "warehouse_id", "on_hand", "reserved", "warehouse__is_active")
        )
        before: dict[int, int] = {}
        for _pk, variant_id, _warehouse_id, on_hand, reserved, active in rows:
            if active:
                before[variant_id] = before.get(variant_id, 0) + on_hand - reserved
        existing = {(row[1], row[2]): row for row in rows}
        changed: list[tuple[int, int]] = []  # (row, new on hand)
        adjustments: list[tuple[int, int]] = []  # (row, on hand change)
        opened: list[StockItem] = []
        after = dict(before)
        for key, (index, level) in wanted.items():
            found = existing.get(key)
            if found is None:
                opened.append(StockItem(variant_id=key[0], warehouse_id=key[1], on_hand=level.on_hand))
                continue
            pk, variant_id, _warehouse_id, on_hand, reserved, active = found
            try:
                stock_count_check(on_hand=level.on_hand, reserved=reserved)
            except StockError as error:
                result.refused[index] = error
                continue
            change = level.on_hand - on_hand
            if change:
                changed.append((pk, level.on_hand))
                adjustments.append((pk, change))
                if active:
                    after[variant_id] = after.get(variant_id, 0) + change
        _on_hand_write(changed)
        _adjustments_write(adjustments, note=note, actor_id=actor_id)
        if opened:
            stock_rows_open(opened)
        _announce_low_stock({variant_id: (before[variant_id], after[variant_id]) for variant_id in before})
        result.changed = len(changed) + len(opened)
    return result


def stock_rows_open(rows: Sequence[StockItem], *, batch_size: int = 2000) -> None:
    """Create new stock rows (demo data, a first import) each with its opening movement."""
    with transaction.atomic():
        created = StockItem.objects.bulk_create(rows, batch_size=batch_size)  # ids set (SQLite, PostgreSQL)
        StockMovement.objects.bulk_create(
            [
                _movement(item, MovementKind.OPENING, on_hand=item.on_hand, reserved=item.reserved)
                for item in created
                if item.on_hand or item.reserved
            ],
            batch_size=batch_size,
        )


def stock_reference_rename(*, reference: str, to: str) -> int:
    """Give the movements booked under a provisional reference their final one (an order's
    number, taken at the end of its transaction)."""
    return StockMovement.objects.filter(reference=reference[:64]).update(reference=to[:64])
