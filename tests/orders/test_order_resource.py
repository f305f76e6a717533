"""The order as an ERP reads it from the API: enough to book it without another call, and
the same number of queries for one order or fifty."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.checkout.services import order_place
from tandem.customers.roles import staff_roles_sync
from tandem.orders.shipments import ShipmentRequest, shipment_create
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
def setting():
    staff_roles_sync()
    make_delivery("courier")
    company = make_company("ACME Narzędzia Sp. z o.o.", credit_limit=Decimal("100000"))
    buyer = make_company_user(company, email="buyer@acme.test")
    drill = make_product("Drill", net="100.00", gross=None, stock=500).variants.get()
    warehouse = make_user("warehouse@shop.test", is_staff=True)
    warehouse.groups.add(Group.objects.get(name="Fulfilment"))

    def place(quantity=2):
        return order_place(
            cart=make_cart(lines=[(drill, quantity)]),
            context=user_context(buyer),
            acting_user=buyer,
            details=company_details(company_address(company).pk),
        )

    return {"company": company, "buyer": buyer, "drill": drill, "warehouse": warehouse, "place": place}


def test_an_order_carries_what_an_erp_books(client, setting):
    order = setting["place"]()
    shipment_create(
        order=order,
        actor=setting["warehouse"],
        request=ShipmentRequest(quantities={setting["drill"].sku: 1}, carrier="DPD", tracking_number="TRK-1"),
    )
    client.force_login(setting["warehouse"])
    [item] = client.get("/api/v1/orders").json()
    company = setting["company"]
    assert (item["company_id"], item["vat_id"], item["buyer"]["name"]) == (
        company.pk,
        company.vat_id,
        company.name,
    )
    assert item["delivery_method_code"] == "courier" and item["shipping_address"]["city"]
    assert item["created_at"] and item["placed_at"] and item["updated_at"]
    line = item["lines"][0]
    assert (line["variant_id"], line["sku"]) == (setting["drill"].pk, setting["drill"].sku)
    [shipped] = item["shipments"]
    assert (shipped["carrier"], shipped["tracking_number"]) == ("DPD", "TRK-1")
    assert shipped["lines"] == [{"line_id": line["id"], "sku": setting["drill"].sku, "quantity": 1}]


def test_listing_orders_costs_the_same_queries_for_one_or_many(client, setting):
    client.force_login(setting["warehouse"])
    setting["place"]()
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/orders")
    for _ in range(5):
        order = setting["place"]()
        shipment_create(order=order, actor=setting["warehouse"], request=ShipmentRequest(quantities={}))
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/orders").json()) == 6
    assert len(many) <= len(one) + 2  # the shipments' two prefetches, once, whatever the count
