from decimal import Decimal

import pytest

from tandem.catalog.models import Visibility
from tandem.customers.models import Address
from tests.factories import make_category, make_company, make_company_user, make_product

pytestmark = pytest.mark.django_db


def test_the_openapi_document_and_docs_are_served(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/catalog/products",
        "/api/v1/catalog/products/{slug}",
        "/api/v1/catalog/stock",
        "/api/v1/catalog/categories",
        "/api/v1/account/company",
    } <= set(spec["paths"])
    assert client.get("/api/v1/docs").status_code == 200


def test_anonymous_callers_get_gross_retail_prices(client):
    make_product("Drill", gross="123.00", net="90.00")
    item = client.get("/api/v1/catalog/products").json()["items"][0]
    assert item["price_from"]["amount"] == "123.00"
    assert item["price_from"]["includes_tax"] is True


def test_company_users_get_net_prices_and_wholesale_products(client, buyer):
    make_product("Drill", gross="123.00", net="90.00")
    make_product("Pallet", visibility=Visibility.B2B, net="500.00", gross=None)
    client.force_login(buyer)
    items = {i["name"]: i for i in client.get("/api/v1/catalog/products?sort=name").json()["items"]}
    assert items["Drill"]["price_from"]["amount"] == "90.00"
    assert items["Pallet"]["price_from"]["amount"] == "500.00"
    assert items["Drill"]["price_from"]["explanation"] == ["list price 90.00 PLN (net)"]


def test_product_detail_has_variants_stock_and_specifications(client):
    from tests.factories import make_option

    product = make_product("Drill", variants=2, stock=4, options=[make_option("voltage", "18 V")])
    body = client.get(f"/api/v1/catalog/products/{product.slug}").json()
    assert [v["available"] for v in body["variants"]] == [4, 4]
    assert body["specifications"] == [
        {"attribute": "Voltage", "code": "voltage", "unit": "", "values": ["18 V"]}
    ]


def test_products_filter_by_category_and_search(client):
    tools = make_category("Tools")
    make_product("Hammer", category=tools), make_product("Hose")
    body = client.get(f"/api/v1/catalog/products?category={tools.slug}&q=ham").json()
    assert [i["name"] for i in body["items"]] == ["Hammer"]
    assert (body["count"], body["page"], body["pages"]) == (1, 1, 1)


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=abc", "page_size=1000", "sort=drop", "q=" + "x" * 300],
    ids=["page-zero", "page-text", "page-size", "sort", "long-query"],
)
def test_bad_query_parameters_are_422_with_the_field_named(client, query):
    response = client.get(f"/api/v1/catalog/products?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == query.split("=")[0]


def test_a_page_beyond_the_end_returns_the_last_page(client):
    make_product("Only")
    assert client.get("/api/v1/catalog/products?page=50").json()["page"] == 1


def test_unknown_product_or_category_is_a_404(client):
    assert client.get("/api/v1/catalog/products/nope").status_code == 404
    assert client.get("/api/v1/catalog/products?category=nope").json()["code"] == "not_found"


def test_stock_for_skus_omits_unknown_and_hidden_ones(client):
    visible = make_product("Drill", stock=3)
    hidden = make_product("Pallet", visibility=Visibility.B2B, stock=9)
    skus = [visible.variants.get().sku, hidden.variants.get().sku, "NOPE"]
    body = client.get("/api/v1/catalog/stock", {"sku": skus}).json()
    assert body == [{"sku": skus[0], "available": 3, "backorder_allowed": False}]


def test_a_restricted_product_is_a_404_for_other_companies(client, company):
    product = make_product("Contract item", b2b_restricted=True)
    product.b2b_companies.add(company)
    other = make_company("Other")
    client.force_login(make_company_user(other))
    assert client.get(f"/api/v1/catalog/products/{product.slug}").status_code == 404
    sku = product.variants.get().sku
    assert client.get(f"/api/v1/catalog/variants/{sku}").status_code == 404
    client.force_login(make_company_user(company))
    assert client.get(f"/api/v1/catalog/variants/{sku}").status_code == 200


def test_account_endpoints_show_only_the_callers_company(client, buyer, company):
    other = make_company("Other")
    mine = Address.objects.create(
        company=company, recipient="Mine", street="S", postal_code="1", city="C", country="PL"
    )
    theirs = Address.objects.create(
        company=other, recipient="Theirs", street="S", postal_code="1", city="C", country="PL"
    )
    client.force_login(buyer)
    body = client.get("/api/v1/account/company").json()
    assert (body["name"], body["credit_limit"], body["role"]) == (company.name, "10000.00", "buyer")
    assert [a["id"] for a in client.get("/api/v1/account/addresses").json()] == [mine.pk]
    assert client.get(f"/api/v1/account/addresses/{theirs.pk}").status_code == 404


def test_account_endpoints_need_a_login(client):
    assert client.get("/api/v1/account/company").status_code == 401


def test_a_retail_customer_has_no_company(client, customer):
    client.force_login(customer)
    assert client.get("/api/v1/account/company").status_code == 404


def test_prices_are_decimal_strings_with_two_places(client):
    make_product("Cheap", gross="0.10")
    price = client.get("/api/v1/catalog/products").json()["items"][0]["price_from"]
    assert Decimal(price["net"]) == Decimal("0.08") and price["gross"] == "0.10"


def test_a_company_in_a_country_without_configured_rates_is_priced_at_the_shop_rates(client):
    from tandem.customers.models import Company

    make_product("Drill", gross="123.00")
    swiss = make_company("Swiss AG", country="DE", currency="PLN")
    Company.objects.filter(pk=swiss.pk).update(country="CH")
    client.force_login(make_company_user(swiss))
    price = client.get("/api/v1/catalog/products").json()["items"][0]["price_from"]
    assert (price["net"], price["gross"]) == ("100.00", "123.00")


def test_prices_at_a_quantity_apply_volume_tiers_and_check_quantity_rules(client, company):
    from tandem.customers.models import CustomerGroup
    from tandem.pricing.models import PriceList, PriceListEntry

    group = CustomerGroup.objects.create(code="w", name="W")
    company.customer_group = group
    company.save()
    product = make_product("Screws", net="10.00")
    variant = product.variants.get()
    variant.quantity_step = 5
    variant.save()
    price_list = PriceList.objects.create(code="w", name="Wholesale", currency="PLN")
    price_list.customer_groups.add(group)
    PriceListEntry.objects.create(price_list=price_list, variant=variant, min_quantity=50, price="8.00")
    client.force_login(make_company_user(company))
    body = client.get("/api/v1/catalog/prices", {"sku": [variant.sku, "NOPE"], "quantity": 52}).json()
    assert len(body) == 1
    assert body[0]["price"]["amount"] == "8.00"
    assert body[0]["price"]["source"] == "group_list"
    assert body[0]["quantity_problem"] == ("This item is sold in multiples of 5; nearest valid quantity: 50.")
    assert body[0]["suggested_quantity"] == 50


@pytest.mark.parametrize(
    "quantity", ["0", "-3", "1.5", "10000000000000"], ids=["zero", "negative", "fraction", "huge"]
)
def test_prices_refuse_impossible_quantities_with_422(client, quantity):
    product = make_product("Screws")
    response = client.get("/api/v1/catalog/prices", {"sku": product.variants.get().sku, "quantity": quantity})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "quantity"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/lists/{list}/to-cart", {"line_ids": [2**63]}),
        ("get", "/api/v1/account/addresses/99999999999999999999999", None),
        ("post", "/api/v1/lists/99999999999999999999999/to-cart", {}),
    ],
    ids=["id-in-body", "id-in-path", "list-id-in-path"],
)
def test_a_number_beyond_the_database_is_a_422_not_a_500(client, buyer, method, path, body):
    from tandem.cart.lists import shopping_list_create

    client.force_login(buyer)
    shopping_list = shopping_list_create(owner=buyer, name="Site")
    call = getattr(client, method)
    url = path.format(list=shopping_list.pk)
    response = call(url, body, content_type="application/json") if body is not None else call(url)
    assert response.status_code in (404, 422), response.status_code
    assert response["Content-Type"] == "application/problem+json"


def test_prices_and_stock_for_500_skus_go_in_the_body(client, buyer):
    """~300 SKUs in a URL got a 414 from the server; the body takes the documented 500."""
    drill = make_product("Drill", gross="123.00", net="90.00", stock=7).variants.get()
    client.force_login(buyer)
    skus = [drill.sku] + [f"NOPE-{n:04d}" for n in range(499)]
    prices = client.post(
        "/api/v1/catalog/prices", {"skus": skus, "quantity": 2}, content_type="application/json"
    )
    assert prices.status_code == 200 and [p["sku"] for p in prices.json()] == [drill.sku]
    assert prices.json()[0]["price"]["amount"] == "90.00"  # the buyer's net price
    stock = client.post("/api/v1/catalog/stock", {"skus": skus}, content_type="application/json")
    assert stock.json() == [{"sku": drill.sku, "available": 7, "backorder_allowed": False}]
    too_many = client.post(
        "/api/v1/catalog/stock", {"skus": skus + ["ONE-MORE"]}, content_type="application/json"
    )
    assert too_many.status_code == 422
