"""Stock changed in the admin goes through the stock service and is booked."""

import pytest

from tandem.inventory.models import MovementKind, StockItem, StockMovement
from tandem.inventory.services import StockRequest, stock_reserve
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    variant = make_product(stock=10).variants.get()
    stock_reserve(requests=[StockRequest(variant.pk, 4)], reference="order:1")
    return StockItem.objects.get(variant=variant)


def test_a_new_count_is_booked_as_a_movement_by_the_staff_member(client, staff_admin, item):
    client.force_login(staff_admin)
    response = client.post(f"/admin/inventory/stockitem/{item.pk}/change/", {"on_hand": "12"})
    assert response.status_code == 302
    item.refresh_from_db()
    movement = StockMovement.objects.get(kind=MovementKind.ADJUST)
    assert (item.on_hand, item.reserved) == (12, 4)
    assert (movement.on_hand_change, movement.actor) == (2, staff_admin)


def test_a_count_below_the_reserved_units_is_a_form_error(client, staff_admin, item):
    client.force_login(staff_admin)
    response = client.post(f"/admin/inventory/stockitem/{item.pk}/change/", {"on_hand": "3"})
    assert response.status_code == 200 and "4 units are reserved for orders" in response.text
    item.refresh_from_db()
    assert item.on_hand == 10


def test_an_order_reserving_between_the_form_check_and_the_save_is_a_message_not_an_error(
    client, staff_admin, item, monkeypatch
):
    from tandem.inventory import admin as stock_admin

    checked = stock_admin.stock_count_check

    def check_then_an_order_reserves(**kwargs):
        checked(**kwargs)  # the form's check passes (4 reserved, 5 counted) ...
        stock_reserve(requests=[StockRequest(item.variant_id, 3)], reference="order:2")  # ... then 7

    monkeypatch.setattr(stock_admin, "stock_count_check", check_then_an_order_reserves)
    client.force_login(staff_admin)
    response = client.post(f"/admin/inventory/stockitem/{item.pk}/change/", {"on_hand": "5"}, follow=True)
    assert response.status_code == 200 and "7 units are reserved for orders" in response.text
    item.refresh_from_db()
    assert item.on_hand == 10  # (the test's reservation shares the refused save's transaction)
    assert not StockMovement.objects.filter(kind=MovementKind.ADJUST).exists()


def test_the_variant_page_shows_stock_to_read_with_a_link_to_count(client, staff_admin, item):
    client.force_login(staff_admin)
    page = client.get(f"/admin/catalog/variant/{item.variant_id}/change/").text
    assert f"/admin/inventory/stockitem/{item.pk}/change/" in page


def test_the_stock_row_page_shows_its_latest_movements(client, staff_admin, item):
    client.force_login(staff_admin)
    page = client.get(f"/admin/inventory/stockitem/{item.pk}/change/").text
    assert "order:1" in page and "reserved for an order" in page
