"""Product comparison: up to four products a visitor may see, side by side with their prices
for that visitor, stock and every specification, the differences flagged; the same over the
API."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.catalog.models import Visibility
from tandem.core.errors import NotFound
from tandem.pricing.models import PriceList, PriceListEntry
from tandem.service.compare import (
    MAX_PRODUCTS,
    SESSION_KEY,
    CompareFull,
    compare_add,
    compare_ids,
    comparison,
)
from tests.factories import b2b_context, b2c_context, make_option, make_product

pytestmark = pytest.mark.django_db


def in_comparison(client, *products) -> None:
    session = client.session
    session[SESSION_KEY] = [product.pk for product in products]
    session.save()


def add(client, product, **headers):
    return client.post("/compare/add/", {"product": product.pk, "next": "/compare/"}, headers=headers)


@pytest.fixture
def tools():
    """Three drills and a saw: voltage differs, the colour does not, the saw has no voltage."""
    red, volts_18, volts_36 = (
        make_option("colour", "Red"),
        make_option("voltage", "18 V"),
        make_option("voltage", "36 V"),
    )
    return [
        make_product("Drill 18", gross="123.00", net="100.00", options=[red, volts_18]),
        make_product("Drill 36", gross="246.00", net="200.00", options=[red, volts_36]),
        make_product("Saw", gross="61.50", net="50.00", options=[red], stock=0),
        make_product("Drill 18 Pro", gross="150.00", net="120.00", options=[red, volts_18], variants=2),
    ]


# --- the visitor's list ------------------------------------------------------------------------


def test_a_guest_adds_four_products_and_the_fifth_is_refused_with_a_message(client, tools):
    fifth = make_product("Hammer")
    for product in tools:
        assert add(client, product).status_code == 302
    response = add(client, fifth)
    assert response.status_code == 302  # back to the page, not an error page
    assert compare_ids(client.session) == [product.pk for product in tools]
    page = client.get(response["Location"])
    assert "You can compare up to 4 products. Remove one to add another." in page.content.decode()
    assert len(page.context["table"].products) == MAX_PRODUCTS


def test_adding_a_product_twice_keeps_it_once():
    session: dict = {}
    product = make_product("Drill")
    compare_add(session=session, context=b2c_context(), product_id=product.pk)
    compare_add(session=session, context=b2c_context(), product_id=product.pk)
    assert compare_ids(session) == [product.pk]


def test_the_fifth_product_is_refused_by_the_service_with_a_code(tools):
    session = {SESSION_KEY: [product.pk for product in tools]}
    with pytest.raises(CompareFull) as refused:
        compare_add(session=session, context=b2c_context(), product_id=make_product("Hammer").pk)
    assert refused.value.code == "compare_full"
    assert len(compare_ids(session)) == MAX_PRODUCTS


def test_the_htmx_compare_button_is_answered_with_a_fragment_saying_how_many(client, tools):
    add(client, tools[0])
    response = add(client, tools[1], HX_Request="true")
    assert response.status_code == 200
    assert "“Drill 36” is in your comparison (2 of 4)." in response.content.decode()
    assert 'data-testid="compare-added"' in response.content.decode()


def test_a_product_is_removed_and_the_list_cleared(client, tools):
    in_comparison(client, *tools[:3])
    client.post("/compare/remove/", {"product": tools[1].pk})
    assert compare_ids(client.session) == [tools[0].pk, tools[2].pk]
    client.post("/compare/clear/")
    assert compare_ids(client.session) == []
    assert 'data-testid="compare-empty"' in client.get("/compare/").content.decode()


def test_a_forged_session_value_is_read_as_nothing(client):
    session = client.session
    session[SESSION_KEY] = ["1; DROP", -4, True, {"x": 1}]
    session.save()
    response = client.get("/compare/")
    assert response.status_code == 200
    assert response.context["table"].products == []


# --- one access rule -----------------------------------------------------------------------------


@pytest.fixture
def restricted(company):
    """A wholesale product made for ACME only, and a B2B-only one."""
    for_acme = make_product(
        "ACME contract drill", visibility=Visibility.B2B, net="90.00", gross=None, b2b_restricted=True
    )
    for_acme.b2b_companies.add(company)
    return [for_acme, make_product("Pallet of drills", visibility=Visibility.B2B, net="900.00", gross=None)]


def test_products_forged_into_a_guests_session_are_never_shown(client, restricted):
    everyone = make_product("Drill for everyone")
    in_comparison(client, *restricted, everyone)
    response = client.get("/compare/")
    assert [item.product for item in response.context["table"].products] == [everyone]
    html = response.content.decode()
    assert "ACME contract drill" not in html and "Pallet of drills" not in html


def test_a_guest_cannot_add_a_product_they_may_not_see(client, restricted):
    response = add(client, restricted[0])
    assert compare_ids(client.session) == []
    assert "This product is not available." in client.get(response["Location"]).content.decode()


def test_a_restricted_product_is_refused_by_the_service_to_another_company(restricted):
    from tests.factories import make_company

    with pytest.raises(NotFound):
        compare_add(session={}, context=b2b_context(make_company("Other")), product_id=restricted[0].pk)


def test_the_company_it_is_made_for_compares_it(client, buyer, restricted):
    client.force_login(buyer)
    add(client, restricted[0])
    table = client.get("/compare/").context["table"]
    assert [item.name for item in table.products] == ["ACME contract drill"]


def test_the_api_lists_invisible_ids_as_not_found_and_never_shows_them(client, restricted):
    everyone = make_product("Drill for everyone")
    ids = [restricted[0].pk, everyone.pk, restricted[1].pk, 99999]
    body = client.get("/api/v1/compare", {"products": ",".join(map(str, ids))}).json()
    assert [product["name"] for product in body["products"]] == ["Drill for everyone"]
    assert body["not_found"] == [restricted[0].pk, restricted[1].pk, 99999]


# --- the reader's prices ---------------------------------------------------------------------------


def test_a_buyer_sees_their_net_contract_price_and_a_guest_the_gross_list_price(client, company, buyer):
    drill = make_product("Drill", gross="123.00", net="100.00")
    contract = PriceList.objects.create(code="acme", name="ACME contract", currency="PLN")
    contract.companies.add(company)
    PriceListEntry.objects.create(
        price_list=contract, variant=drill.variants.get(), min_quantity=1, price=Decimal("80.00")
    )
    in_comparison(client, drill)
    guest = client.get("/compare/")
    assert guest.context["table"].products[0].price.unit_display == Decimal("123.00")
    assert "123.00 PLN</strong> <small>incl. VAT</small>" in guest.content.decode()

    client.force_login(buyer)
    in_comparison(client, drill)
    wholesale = client.get("/compare/")
    assert wholesale.context["table"].products[0].price.unit_display == Decimal("80.00")
    assert "80.00 PLN</strong> <small>net, excl. VAT</small>" in wholesale.content.decode()


def test_each_column_offers_its_orderable_variants_for_the_cart(client, tools):
    in_comparison(client, tools[2], tools[3])
    response = client.get("/compare/")
    saw, pro = response.context["table"].products
    assert saw.orderable_variants == []  # out of stock, no back-orders
    assert [choice.variant.sku for choice in pro.orderable_variants] == [
        variant.sku for variant in tools[3].variants.order_by("sort_order")
    ]
    html = response.content.decode()
    assert html.count('data-testid="compare-add-to-cart"') == 1
    assert html.count('<select name="sku"') == 1  # two variants: a choice


# --- the table ------------------------------------------------------------------------------------


def test_rows_whose_values_differ_are_flagged(tools):
    table = comparison(b2c_context(), [product.pk for product in tools[:3]])
    rows = {row.attribute.code: (row.values, row.differs) for row in table.rows}
    assert rows == {
        "colour": (("Red", "Red", "Red"), False),
        "voltage": (("18 V", "36 V", ""), True),  # the saw has none: that differs too
    }
    assert table.differences == 1


def test_one_product_alone_differs_in_nothing(tools):
    table = comparison(b2c_context(), [tools[0].pk])
    assert [row.differs for row in table.rows] == [False, False]


def test_the_page_highlights_differences_and_can_show_only_them(client, tools):
    in_comparison(client, *tools[:3])
    html = client.get("/compare/").content.decode()
    assert html.count('class="differs"') == 1
    assert '<span class="visually-hidden"> (differs)</span>' in html
    only = client.get("/compare/", {"differences": "1"})
    assert [row.attribute.code for row in only.context["rows"]] == ["voltage"]


def test_the_api_answers_with_the_pages_table(client, tools):
    in_comparison(client, *tools)
    page = client.get("/compare/").context["table"]
    body = client.get("/api/v1/compare", {"products": ",".join(str(p.pk) for p in tools)}).json()
    assert [product["id"] for product in body["products"]] == [item.product.pk for item in page.products]
    assert [Decimal(product["price"]["amount"]) for product in body["products"]] == [
        item.price.unit_display for item in page.products
    ]
    assert [product["price"]["includes_tax"] for product in body["products"]] == [True] * 4
    assert [product["available"] for product in body["products"]] == [
        item.available for item in page.products
    ]
    assert [(row["code"], row["values"], row["differs"]) for row in body["rows"]] == [
        (row.attribute.code, list(row.values), row.differs) for row in page.rows
    ]
    assert body["not_found"] == []


@pytest.mark.parametrize(
    ("products", "detail"),
    [
        ("1,2,3,4,5", "At most 4 products can be compared at once."),
        ("1,drill", "Product ids are positive whole numbers, separated by commas."),
        ("0", "Product ids are positive whole numbers, separated by commas."),
        (" , ", "Give one to four product ids, separated by commas."),
    ],
    ids=["five", "not-a-number", "zero", "none"],
)
def test_the_api_refuses_anything_but_one_to_four_ids_precisely(client, products, detail):
    response = client.get("/api/v1/compare", {"products": products})
    assert response.status_code == 422
    problem = response.json()
    assert (problem["code"], problem["detail"], problem["errors"][0]["field"]) == (
        "invalid_product_ids",
        detail,
        "products",
    )


def test_four_repeated_ids_count_once(client, tools):
    body = client.get("/api/v1/compare", {"products": f"{tools[0].pk},{tools[0].pk},{tools[1].pk}"}).json()
    assert [product["id"] for product in body["products"]] == [tools[0].pk, tools[1].pk]


# --- cost ---------------------------------------------------------------------------------------------


def test_the_page_costs_the_same_number_of_queries_for_one_or_four_products(
    client, tools, django_assert_max_num_queries
):
    def queries(products) -> int:
        in_comparison(client, *products)
        client.get("/compare/")  # warm the per-process caches (tax rates, categories)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/compare/").status_code == 200
        return len(captured)

    one = queries(tools[:1])
    assert queries(tools) == one
    with django_assert_max_num_queries(8):
        client.get("/compare/")
