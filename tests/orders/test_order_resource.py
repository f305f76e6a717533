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


def pages(client, **params) -> tuple[list[str], str | None]:
    response = client.get("/api/v1/orders/changes", params)
    assert response.status_code == 200, response.content
    body = response.json()
    return [item["number"] for item in body["items"]], body["next_cursor"]


def test_the_changes_feed_pages_by_cursor_and_brings_a_changed_order_again(client, setting, settings):
    """Five orders read two at a time; one already read changes meanwhile (a status set
    with a bulk update): it comes again at the end, and no other order is skipped or
    repeated. With nothing new the cursor stays, ready for later."""
    settings.SYNC_SETTLE_SECONDS = 0
    orders = [setting["place"]() for _ in range(5)]
    client.force_login(setting["warehouse"])
    first, cursor = pages(client, limit=2)
    assert first == [orders[0].number, orders[1].number]
    from tandem.orders.models import Order

    Order.objects.filter(pk=orders[0].pk).update(po_number="PO-CHANGED")  # .update() moves updated_at too
    rest = []
    while True:
        numbers, next_cursor = pages(client, limit=2, cursor=cursor)
        if not numbers:
            break
        rest += numbers
        cursor = next_cursor
    assert rest == [orders[2].number, orders[3].number, orders[4].number, orders[0].number]
    assert pages(client, cursor=cursor) == ([], cursor)


def test_a_change_is_served_once_it_has_settled_and_a_bad_cursor_is_a_400(client, setting, settings):
    settings.SYNC_SETTLE_SECONDS = 3600
    setting["place"]()
    client.force_login(setting["warehouse"])
    assert pages(client) == ([], None)  # too fresh: a transaction could still be writing before it
    bad = client.get("/api/v1/orders/changes", {"cursor": "not-a-cursor"})
    assert bad.status_code == 400 and bad.json()["code"] == "cursor_invalid"


def test_the_feed_shows_a_customer_only_their_orders(client, setting, settings):
    settings.SYNC_SETTLE_SECONDS = 0
    mine = setting["place"]()
    other = make_company_user(make_company("Other"), email="o@other.test")
    client.force_login(other)
    assert pages(client) == ([], None)
    client.force_login(setting["buyer"])
    assert pages(client)[0] == [mine.number]


def test_an_erp_acknowledges_what_it_took_and_the_feed_leaves_it_out(client, setting, settings):
    settings.SYNC_SETTLE_SECONDS = 0
    taken, waiting = setting["place"](), setting["place"]()
    client.force_login(setting["warehouse"])  # Fulfilment: may change orders
    stamp = type(taken).objects.get(pk=taken.pk).updated_at

    response = client.post(
        "/api/v1/orders/acknowledgements",
        {"numbers": [taken.number, "NO-SUCH"]},
        content_type="application/json",
    )

    assert response.json() == {"acknowledged": [taken.number], "unknown": ["NO-SUCH"]}
    taken.refresh_from_db()
    assert taken.exported_at is not None and taken.updated_at == stamp  # not a change for the feed
    assert pages(client, exported="false")[0] == [waiting.number]
    assert pages(client, exported="true")[0] == [taken.number]
    assert pages(client)[0] == [taken.number, waiting.number]
    again = client.post(
        "/api/v1/orders/acknowledgements", {"numbers": [taken.number]}, content_type="application/json"
    )
    assert again.json() == {"acknowledged": [], "unknown": []}  # once only
    assert type(taken).objects.get(pk=taken.pk).exported_at == taken.exported_at

    client.force_login(setting["buyer"])
    refused = client.post(
        "/api/v1/orders/acknowledgements", {"numbers": [waiting.number]}, content_type="application/json"
    )
    assert refused.status_code == 403
