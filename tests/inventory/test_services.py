"""The stock service: every change through one place, with a movement per row; on hand and
reserved always equal the sums of the movements."""

import pytest
from django.core.management import CommandError, call_command

from tandem.inventory.errors import StockError, StockMismatch, StockShortage
from tandem.inventory.models import MovementKind, StockItem, StockMovement, Warehouse
from tandem.inventory.selectors import stock_ledger_differences
from tandem.inventory.services import (
    StockRequest,
    stock_count,
    stock_receive,
    stock_release,
    stock_reserve,
    stock_ship,
)
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_warehouses():
    """One variant: 3 units in Warsaw (WAW, the factory's), 7 in Sofia."""
    variant = make_product(stock=3).variants.get()
    sofia = Warehouse.objects.create(code="sof", name="Sofia", country="BG")
    stock_receive(variant_id=variant.pk, warehouse_id=sofia.pk, quantity=7, reference="delivery:1")
    warsaw = StockItem.objects.exclude(warehouse=sofia).get().warehouse
    return variant, warsaw, sofia


def counts(variant) -> dict[str, tuple[int, int]]:
    return {
        item.warehouse.code: (item.on_hand, item.reserved)
        for item in StockItem.objects.filter(variant=variant).select_related("warehouse")
    }


def test_a_reservation_takes_from_the_fullest_warehouse_first_and_is_booked(two_warehouses):
    variant, warsaw, sofia = two_warehouses

    held = stock_reserve(requests=[StockRequest(variant.pk, 9)], reference="order:1")

    assert held[variant.pk].taken == {sofia.pk: 7, warsaw.pk: 2} and held[variant.pk].backordered == 0
    assert counts(variant) == {warsaw.code: (3, 2), "sof": (7, 7)}
    assert sorted(
        StockMovement.objects.filter(kind=MovementKind.RESERVE).values_list("reserved_change", "reference")
    ) == [(2, "order:1"), (7, "order:1")]
    assert stock_ledger_differences() == []


def test_a_shortage_holds_nothing_at_all(two_warehouses):
    variant, *_ = two_warehouses
    other = make_product(stock=5).variants.get()

    with pytest.raises(StockShortage) as refused:
        stock_reserve(requests=[StockRequest(other.pk, 1), StockRequest(variant.pk, 11)], reference="order:2")

    assert (refused.value.variant_id, refused.value.available) == (variant.pk, 10)
    assert StockItem.objects.filter(reserved__gt=0).count() == 0
    assert not StockMovement.objects.filter(kind=MovementKind.RESERVE).exists()


def test_a_back_orderable_variant_takes_what_there_is(two_warehouses):
    variant, *_ = two_warehouses
    held = stock_reserve(requests=[StockRequest(variant.pk, 14, allow_backorder=True)], reference="order:3")
    assert sum(held[variant.pk].taken.values()) == 10 and held[variant.pk].backordered == 4


def test_releasing_gives_the_units_back(two_warehouses):
    variant, warsaw, sofia = two_warehouses
    held = stock_reserve(requests=[StockRequest(variant.pk, 9)], reference="order:4")[variant.pk].taken

    stock_release(
        reservations=[(variant.pk, {str(key): value for key, value in held.items()})], reference="order:4"
    )

    assert counts(variant) == {warsaw.code: (3, 0), "sof": (7, 0)}
    assert stock_ledger_differences() == []


def test_a_release_the_rows_cannot_hold_is_an_error_and_releases_nothing(two_warehouses):
    """The old release skipped a row whose count did not match; now nothing moves and it is said."""
    variant, warsaw, sofia = two_warehouses
    stock_reserve(requests=[StockRequest(variant.pk, 9)], reference="order:5")

    with pytest.raises(StockMismatch):
        stock_release(reservations=[(variant.pk, {sofia.pk: 7, warsaw.pk: 3})], reference="order:5")

    assert counts(variant) == {warsaw.code: (3, 2), "sof": (7, 7)}


def test_shipping_takes_the_reserved_units_then_free_stock(two_warehouses):
    variant, warsaw, sofia = two_warehouses
    stock_reserve(requests=[StockRequest(variant.pk, 7)], reference="order:6")  # all of Sofia

    shipped = stock_ship(variant_id=variant.pk, reserved={sofia.pk: 7}, quantity=9, reference="shipment:1")

    assert shipped.taken == {sofia.pk: 7, warsaw.pk: 2} and shipped.reserved_left == {}
    assert counts(variant) == {warsaw.code: (1, 0), "sof": (0, 0)}
    assert stock_ledger_differences() == []


def test_shipping_more_than_is_there_moves_nothing(two_warehouses):
    variant, warsaw, sofia = two_warehouses
    with pytest.raises(StockShortage):
        stock_ship(variant_id=variant.pk, reserved={}, quantity=11, reference="shipment:2")
    assert counts(variant) == {warsaw.code: (3, 0), "sof": (7, 0)}


def test_a_count_below_the_reserved_units_is_refused(two_warehouses):
    variant, warsaw, sofia = two_warehouses
    stock_reserve(requests=[StockRequest(variant.pk, 8)], reference="order:7")  # 7 Sofia + 1 Warsaw
    item = StockItem.objects.get(variant=variant, warehouse=sofia)

    with pytest.raises(StockError, match="7 units are reserved"):
        stock_count(item_id=item.pk, on_hand=6)
    stock_count(item_id=item.pk, on_hand=9, note="inventory day")

    assert counts(variant)["sof"] == (9, 7)
    assert StockMovement.objects.get(kind=MovementKind.ADJUST).on_hand_change == 2


def test_stock_verify_finds_a_row_changed_behind_the_ledger(two_warehouses, capsys):
    variant, warsaw, _sofia = two_warehouses
    call_command("stock_verify")
    assert "Every stock row equals" in capsys.readouterr().out

    StockItem.objects.filter(warehouse=warsaw).update(on_hand=30)

    with pytest.raises(CommandError, match="1 stock rows differ"):
        call_command("stock_verify")
