from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from tandem.checkout.services import order_place
from tandem.core.errors import PermissionDenied
from tandem.inventory.models import StockItem, StockMovement
from tandem.inventory.selectors import stock_ledger_differences
from tandem.orders.models import OrderStatus
from tandem.orders.services import order_status_change
from tandem.orders.shipments import ShipmentError, ShipmentRequest, shipment_create
from tests.checkout.conftest import company_details
from tests.factories import (
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
    user_context,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    make_delivery("courier")
    company = make_company(credit_limit=Decimal("100000"))
    buyer = make_company_user(company)
    drill = make_product(net="10.00", gross=None, stock=10).variants.get()
    saw = make_product(net="20.00", gross=None, stock=10).variants.get()
    order = order_place(
        cart=make_cart(user=buyer, lines=[(drill, 5), (saw, 2)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(company).pk),
    )
    staff = make_user("warehouse@shop.test", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_order", "view_all_orders"]))
    staff = type(staff).objects.get(pk=staff.pk)
    return order, drill, saw, staff


def stock(variant) -> tuple[int, int]:
    item = StockItem.objects.get(variant=variant)
    return item.on_hand, item.reserved


def test_a_partial_shipment_takes_its_units_out_and_the_rest_follows(setup):
    order, drill, saw, staff = setup
    first = shipment_create(
        order=order,
        actor=staff,
        request=ShipmentRequest(quantities={drill.sku: 3}, carrier="DPD", tracking_number="123"),
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS and stock(drill) == (7, 2) and stock(saw) == (10, 2)
    second = shipment_create(order=order, actor=staff, request=ShipmentRequest(quantities={}))
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED and stock(drill) == (5, 0) and stock(saw) == (8, 0)
    year = first.shipped_at.year
    assert (first.number, second.number) == (f"WZ/{year}/00001", f"WZ/{year}/00002")
    shipped = [(line.order_line.sku, line.quantity) for line in second.lines.all()]
    assert shipped == [(drill.sku, 2), (saw.sku, 2)]


def test_too_many_units_are_refused_per_line_and_nothing_changes(setup):
    order, drill, saw, staff = setup
    with pytest.raises(ShipmentError) as error:
        shipment_create(
            order=order, actor=staff, request=ShipmentRequest(quantities={drill.sku: 6, "NOPE": 1})
        )
    assert {line["sku"] for line in error.value.lines} == {drill.sku, "NOPE"}
    assert stock(drill) == (10, 5) and not order.shipments.exists()


def test_only_staff_with_the_right_ship_and_cancelled_orders_do_not(setup):
    order, drill, _saw, staff = setup
    with pytest.raises(PermissionDenied):
        shipment_create(order=order, actor=make_user(), request=ShipmentRequest(quantities={}))
    order_status_change(order=order, status=OrderStatus.CANCELLED, actor=staff)
    with pytest.raises(ShipmentError):
        shipment_create(order=order, actor=staff, request=ShipmentRequest(quantities={}))


def test_marking_shipped_issues_a_dispatch_note_for_everything_left(setup):
    order, drill, _saw, staff = setup
    order_status_change(order=order, status=OrderStatus.SHIPPED, actor=staff)
    assert order.shipments.get().lines.count() == 2 and stock(drill) == (5, 0)


def test_shipments_over_the_api(setup, client):
    order, drill, _saw, staff = setup
    client.force_login(staff)
    response = client.post(
        f"/api/v1/orders/{order.number}/shipments",
        {"lines": [{"sku": drill.sku, "quantity": 1}], "carrier": "UPS", "tracking_number": "Z9"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["order_status"] == "in_progress"
    refused = client.post(
        f"/api/v1/orders/{order.number}/shipments",
        {"lines": [{"sku": drill.sku, "quantity": 9}]},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["lines"][0]["sku"] == drill.sku


def test_an_orders_life_is_booked_in_the_stock_ledger(setup):
    """Placed (reserve), shipped in part (ship), cancelled is not possible after a shipment, so
    a second order is cancelled (release): each stock row equals the sum of its movements,
    and each movement names its order or dispatch note."""
    order, drill, saw, staff = setup
    shipment = shipment_create(order=order, actor=staff, request=ShipmentRequest(quantities={drill.sku: 3}))
    buyer = order.user
    second = order_place(
        cart=make_cart(lines=[(saw, 1)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(order.company.addresses.get().pk),
    )
    order_status_change(order=second, status=OrderStatus.CANCELLED, actor=staff)

    assert stock(drill) == (7, 2) and stock(saw) == (10, 2)
    assert stock_ledger_differences() == []
    references = set(StockMovement.objects.values_list("kind", "reference"))
    assert {
        ("reserve", f"order:{order.number}"),
        ("ship", f"shipment:{shipment.number}"),
        ("reserve", f"order:{second.number}"),
        ("release", f"order:{second.number}"),
    } <= references
    assert second.lines.get().reserved == {}  # a cancelled line holds nothing any more
