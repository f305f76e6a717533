"""Stock races between real parallel transactions (PostgreSQL only: see tests/concurrency.py).

The stock service raced on its own (checkout's own race test is in tests/checkout): its row
locks and conditional updates are what keeps the last unit from being sold twice."""

import pytest
from django.db import transaction

from tandem.inventory.errors import StockShortage
from tandem.inventory.models import StockItem
from tandem.inventory.selectors import stock_ledger_differences
from tandem.inventory.services import StockRequest, stock_reserve, stock_ship
from tests.concurrency import run_at_once
from tests.factories import make_product

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_twenty_reservations_for_five_units_hold_exactly_five():
    variant = make_product(stock=5).variants.get()

    def reserve(n: int):
        with transaction.atomic():
            return stock_reserve(requests=[StockRequest(variant.pk, 1)], reference=f"order:{n}")

    results = run_at_once([lambda n=n: reserve(n) for n in range(20)])

    assert sum(isinstance(result, dict) for result in results) == 5, results
    assert sum(isinstance(result, StockShortage) for result in results) == 15, results
    assert StockItem.objects.get().reserved == 5
    assert stock_ledger_differences() == []


def test_two_shipments_of_free_stock_cannot_take_the_same_units():
    variant = make_product(stock=3).variants.get()

    def ship(n: int):
        with transaction.atomic():
            return stock_ship(variant_id=variant.pk, reserved={}, quantity=2, reference=f"shipment:{n}")

    results = run_at_once([lambda n=n: ship(n) for n in range(2)])

    assert sorted(type(result).__name__ for result in results) == ["Shipped", "StockShortage"], results
    assert StockItem.objects.get().on_hand == 1
