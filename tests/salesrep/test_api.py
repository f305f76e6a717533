"""The rep's API: their customers, and orders created on a customer's behalf."""

from decimal import Decimal

import pytest

from tandem.cart.models import Cart
from tandem.orders.models import Order, OrderEvent
from tandem.pricing.models import PriceList, PriceListEntry
from tests.factories import company_address, make_company, make_company_user, make_delivery, make_product
from tests.salesrep.conftest import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(rep):
    make_delivery("courier", price_net="0.00")
    acme = make_company("ACME Tools", sales_rep=rep, credit_limit=Decimal("1000"), email="invoices@acme.test")
    other = make_company("Other Trading", sales_rep=staff_user("rita@shop.test", "Sales rep"))
    drill = make_product("Drill", gross="123.00", net="100.00", stock=50).variants.get()
    contract = PriceList.objects.create(code="acme", name="ACME contract", currency="PLN")
    contract.companies.add(acme)
    PriceListEntry.objects.create(price_list=contract, variant=drill, min_quantity=1, price=Decimal("80.00"))
    return {
        "acme": acme,
        "other": other,
        "drill": drill,
        "address": company_address(acme),
        "other_address": company_address(other),
    }


def order_request(shop, company=None, **fields):
    return {
        "company_id": (company or shop["acme"]).pk,
        "lines": [{"sku": shop["drill"].sku, "quantity": 3}],
        "delivery_method": "courier",
        "address_id": shop["address"].pk,
        "po_number": "PO-API",
        "comment": "Call before delivery",
        "payment_method": "on_account",
        **fields,
    }


def post(client, payload, **headers):
    return client.post("/api/v1/rep/orders", payload, content_type="application/json", headers=headers)


def test_a_rep_creates_an_order_for_their_customer_at_the_customers_prices(client, rep, shop):
    client.force_login(rep)

    response = post(client, order_request(shop))

    assert response.status_code == 201, response.json()
    body = response.json()
    order = Order.objects.get(number=body["number"])
    assert (body["channel"], body["total_net"], body["po_number"], body["email"]) == (
        "b2b",
        "240.00",
        "PO-API",
        "invoices@acme.test",
    )
    assert [(line["sku"], line["quantity"], line["unit_net"]) for line in body["lines"]] == [
        (shop["drill"].sku, 3, "80.00")
    ]
    assert (order.company, order.placed_by, order.comment) == (shop["acme"], rep, "Call before delivery")
    event = OrderEvent.objects.get(order=order, kind="placed")
    assert (event.actor, event.on_behalf_of) == (rep, shop["acme"])
    assert not Cart.objects.exists()  # the transient cart is gone


def test_a_company_the_rep_may_not_act_for_is_a_404(client, rep, shop):
    client.force_login(rep)
    response = post(client, order_request(shop, shop["other"], address_id=shop["other_address"].pk))
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert post(client, order_request(shop, company_id=999999)).status_code == 404
    assert not Order.objects.exists()


def test_an_unknown_sku_is_a_400_naming_the_line_and_places_nothing(client, rep, shop):
    client.force_login(rep)
    lines = [{"sku": shop["drill"].sku, "quantity": 1}, {"sku": "NO-SUCH", "quantity": 2}]

    response = post(client, order_request(shop, lines=lines))

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "order_lines_invalid"
    assert body["lines"] == [
        {"sku": "NO-SUCH", "code": "unknown_sku", "message": "There is no product with SKU NO-SUCH."}
    ]
    assert not Order.objects.exists() and not Cart.objects.exists()


def test_another_companys_address_is_a_400(client, rep, shop):
    client.force_login(rep)
    response = post(client, order_request(shop, address_id=shop["other_address"].pk))
    assert (response.status_code, response.json()["field"]) == (400, "address_id")


def test_the_customers_credit_limit_holds(client, rep, shop):
    client.force_login(rep)
    response = post(client, order_request(shop, lines=[{"sku": shop["drill"].sku, "quantity": 20}]))
    assert (response.status_code, response.json()["code"]) == (409, "credit_limit_exceeded")
    assert not Order.objects.exists()


def test_a_retry_with_the_same_idempotency_key_returns_the_same_order(client, rep, shop):
    client.force_login(rep)
    first = post(client, order_request(shop), **{"Idempotency-Key": "rep-1"})
    again = post(client, order_request(shop), **{"Idempotency-Key": "rep-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]
    assert Order.objects.count() == 1
    changed = order_request(shop, lines=[{"sku": shop["drill"].sku, "quantity": 2}])
    reused = post(client, changed, **{"Idempotency-Key": "rep-1"})
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


@pytest.mark.parametrize("who", ["buyer", "anonymous"])
def test_customers_cannot_use_the_rep_endpoints(client, shop, who):
    if who == "buyer":
        client.force_login(make_company_user(shop["acme"]))
    expected = 403 if who == "buyer" else 401
    assert post(client, order_request(shop)).status_code == expected
    assert client.get("/api/v1/rep/customers").status_code == expected


def test_the_customers_endpoint_lists_the_reps_customers(client, rep, shop):
    client.force_login(rep)
    response = client.get("/api/v1/rep/customers", {"q": "acme"})
    assert response.status_code == 200 and response["X-Total-Count"] == "1"
    (row,) = response.json()
    assert (row["name"], row["balance"], row["available_credit"], row["open_quotes"], row["may_act"]) == (
        "ACME Tools",
        "0.00",
        "1000.00",
        0,
        True,
    )
    assert response.json() and client.get("/api/v1/rep/customers", {"q": "other"}).json() == []
