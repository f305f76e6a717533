"""Order search: every filter narrows to exactly the matching orders, within what the
caller may see; sorting; bad filter values are clear errors; the same over the API."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.orders.selectors import (
    OrderFilterError,
    OrderFilters,
    order_filters_parse,
    order_history,
    orders_managed_by,
)
from tests.factories import make_company, make_company_user, make_user
from tests.salesrep.conftest import at, make_order, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep(db):
    return staff_user("rep@shop.test", "Sales rep")


@pytest.fixture
def book(rep):
    """Two companies (ACME is the rep's customer) and a retail customer, five orders."""
    acme = make_company("ACME Tools", sales_rep=rep)
    other = make_company("Other Trading")
    bob = make_company_user(acme, email="bob@acme.test", full_name="Bob Buyer")
    carol = make_company_user(acme, email="carol@acme.test", full_name="Carol Clerk")
    olga = make_company_user(other, email="olga@other.test", full_name="Olga Other")
    anna = make_user("anna@shop.test", full_name="Anna Nowak")
    orders = {
        "a1": make_order(
            company=acme,
            user=bob,
            total="50.00",
            po_number="PO-1",
            placed=at("2026-01-10"),
            lines=(("SKU-A", "Cordless drill", 1),),
        ),
        "a2": make_order(
            company=acme,
            user=carol,
            total="500.00",
            po_number="PO-2",
            status="shipped",
            placed=at("2026-02-10"),
            lines=(("SKU-B", "Angle grinder", 2),),
        ),
        "a3": make_order(
            company=acme,
            user=bob,
            total="1500.00",
            placed=at("2026-03-10"),
            lines=(("SKU-A", "Cordless drill", 3), ("SKU-C", "Hammer", 1)),
        ),
        "o1": make_order(
            company=other,
            user=olga,
            total="700.00",
            po_number="PO-1",
            placed=at("2026-02-15"),
            lines=(("SKU-A", "Cordless drill", 5),),
        ),
        "r1": make_order(
            user=anna, total="80.00", placed=at("2026-01-20"), lines=(("SKU-B", "Angle grinder", 1),)
        ),
    }
    return {"acme": acme, "other": other, "bob": bob, "olga": olga, "orders": orders}


def names(book, orders) -> set[str]:
    by_pk = {order.pk: name for name, order in book["orders"].items()}
    return {by_pk[order.pk] for order in orders}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sku": "sku-a"}, {"a1", "a3", "o1"}),
        ({"sku": "SKU"}, set()),  # the SKU filter is exact
        ({"product": "GRINDER"}, {"a2", "r1"}),
        ({"po": "po-1"}, {"a1", "o1"}),
        ({"amount_min": "100", "amount_max": "1000"}, {"a2", "o1"}),
        ({"amount_min": "500,00"}, {"a2", "a3", "o1"}),
        ({"amount_max": "80"}, {"a1", "r1"}),
        ({"buyer": "carol"}, {"a2"}),
        ({"buyer": "anna@shop"}, {"r1"}),
        ({"buyer": "other trading"}, {"o1"}),
        ({"status": "shipped"}, {"a2"}),
        ({"from": "2026-02-01", "to": "2026-02-28"}, {"a2", "o1"}),
        ({"q": "PO-"}, {"a1", "a2", "o1"}),
        ({"q": "hammer"}, {"a3"}),
        ({"sku": "SKU-A", "from": "2026-02-01"}, {"a3", "o1"}),
    ],
    ids=[
        "sku",
        "sku-exact",
        "product",
        "po",
        "amount-range",
        "amount-comma",
        "amount-max",
        "buyer-name",
        "buyer-email",
        "buyer-company",
        "status",
        "date-range",
        "query-po",
        "query-product",
        "sku-and-date",
    ],
)
def test_each_filter_narrows_staff_search_to_the_matching_orders(book, params, expected):
    staff = staff_user("finance@shop.test", "Finance")
    found = orders_managed_by(staff, order_filters_parse(params, staff=True))
    assert names(book, found) == expected


def test_staff_find_a_company_by_its_vat_id_and_by_id(book):
    staff = staff_user("finance@shop.test", "Finance")
    vat_digits = book["other"].vat_id[2:]
    assert names(book, orders_managed_by(staff, OrderFilters(buyer=vat_digits))) == {"o1"}
    by_company = orders_managed_by(staff, OrderFilters(company_id=book["acme"].pk))
    assert names(book, by_company) == {"a1", "a2", "a3"}


def test_the_end_date_includes_the_whole_day_in_the_shops_time_zone(book):
    staff = staff_user("finance@shop.test", "Finance")
    late = make_order(total="10.00", placed=timezone.make_aware(timezone.datetime(2026, 2, 28, 23, 30)))
    feb = orders_managed_by(staff, OrderFilters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)))
    march = orders_managed_by(staff, OrderFilters(date_from=date(2026, 3, 1)))
    assert late in feb and late not in march


def test_a_sales_rep_searches_only_their_customers_orders(book, rep):
    assert names(book, orders_managed_by(rep)) == {"a1", "a2", "a3"}
    assert names(book, orders_managed_by(rep, OrderFilters(sku="SKU-A"))) == {"a1", "a3"}
    assert names(book, orders_managed_by(rep, OrderFilters(company_id=book["other"].pk))) == set()


def test_people_who_are_not_staff_manage_no_orders(book):
    assert not orders_managed_by(book["bob"]).exists()
    assert not orders_managed_by(make_user("nobody@shop.test", is_staff=True)).exists()


@pytest.mark.parametrize(
    "params",
    [
        {"sku": "SKU-A"},
        {"po": "PO-1"},
        {"product": "drill"},
        {"buyer": "olga"},
        {"buyer": "Other Trading"},
        {"company": "OTHER"},
        {"q": "PO-1"},
        {"amount_min": "600", "amount_max": "800"},
    ],
    ids=["sku", "po", "product", "buyer", "company-name", "company-id", "query", "amount"],
)
def test_a_buyer_never_finds_another_companys_orders(book, params):
    params = {**params, "company": str(book["other"].pk)} if params.get("company") else params
    found = order_history(book["bob"], order_filters_parse(params))  # company ignored for customers
    assert "o1" not in names(book, found)
    assert names(book, found) <= {"a1", "a2", "a3"}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["a3", "o1", "a2", "r1", "a1"]),
        ("oldest", ["a1", "r1", "a2", "o1", "a3"]),
        ("total", ["a1", "r1", "a2", "o1", "a3"]),
        ("-total", ["a3", "o1", "a2", "r1", "a1"]),
        ("number", ["a1", "a2", "a3", "o1", "r1"]),
        ("-number", ["r1", "o1", "a3", "a2", "a1"]),
    ],
)
def test_orders_sort_by_the_chosen_key(book, sort, expected):
    staff = staff_user("finance@shop.test", "Finance")
    by_pk = {order.pk: name for name, order in book["orders"].items()}
    found = orders_managed_by(staff, OrderFilters(sort=sort)).values_list("pk", flat=True)
    assert [by_pk[pk] for pk in found] == expected


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"amount_min": "abc"}, "amount_min", "“abc” is not an amount."),
        ({"amount_max": "NaN"}, "amount_max", "“NaN” is not an amount."),
        ({"amount_min": "-5"}, "amount_min", "An amount must be a number from 0 up."),
        ({"amount_min": "100", "amount_max": "10"}, "amount_max", "The highest amount is below the lowest."),
        ({"from": "2026-13-01"}, "date_from", "“2026-13-01” is not a date (YYYY-MM-DD)."),
        ({"from": "2026-03-01", "to": "2026-02-01"}, "date_to", "The end date is before the start date."),
        ({"status": "lost"}, "status", "“lost” is not an order status."),
        ({"sort": "price"}, "sort", "Sort by one of: newest, oldest, total, -total, number, -number."),
        ({"company": "ACME"}, "company_id", "Choose a company from the list."),
    ],
    ids=[
        "amount-text",
        "amount-nan",
        "amount-negative",
        "min-above-max",
        "bad-date",
        "dates-reversed",
        "status",
        "sort",
        "company",
    ],
)
def test_a_bad_filter_value_is_a_clear_error(params, field, message):
    with pytest.raises(OrderFilterError) as error:
        order_filters_parse(params, staff=True)
    assert error.value.errors == {field: message}


def test_every_bad_value_is_reported_at_once():
    with pytest.raises(OrderFilterError) as error:
        order_filters_parse({"amount_min": "x", "to": "soon", "status": "lost"})
    assert set(error.value.errors) == {"amount_min", "date_to", "status"}


# --- the buyer's order history page --------------------------------------------------------


def test_the_buyer_filters_their_history_page_by_the_new_fields(client, book):
    client.force_login(book["bob"])
    page = client.get("/account/orders/", {"sku": "sku-a", "amount_min": "1000"})
    assert book["orders"]["a3"].number in page.text and book["orders"]["a1"].number not in page.text
    assert book["orders"]["o1"].number not in page.text


def test_a_bad_amount_on_the_history_page_says_so_and_lists_nothing(client, book):
    client.force_login(book["bob"])
    page = client.get("/account/orders/", {"amount_min": "abc"})
    assert page.status_code == 400 and "“abc” is not an amount." in page.text
    assert book["orders"]["a1"].number not in page.text
    export = client.get("/account/orders/export.csv", {"amount_min": "9", "amount_max": "1"})
    assert export.status_code == 400 and export.text == "The highest amount is below the lowest."


# --- the API ---------------------------------------------------------------------------------


def api_numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [order["number"] for order in response.json()]


def test_the_api_searches_a_customers_orders_with_the_new_filters(client, book):
    client.force_login(book["bob"])
    orders = book["orders"]
    response = client.get("/api/v1/orders", {"sku": "sku-a", "sort": "total"})
    assert api_numbers(response) == [orders["a1"].number, orders["a3"].number]
    assert response["X-Total-Count"] == "2"
    assert api_numbers(client.get("/api/v1/orders", {"po_number": "PO-1"})) == [orders["a1"].number]
    assert api_numbers(client.get("/api/v1/orders", {"buyer": "olga"})) == []
    assert api_numbers(client.get("/api/v1/orders", {"amount_min": "100", "amount_max": "600"})) == [
        orders["a2"].number
    ]


def test_the_api_gives_staff_their_orders_paged(client, book, rep):
    staff = staff_user("finance@shop.test", "Finance")
    client.force_login(staff)
    first = client.get("/api/v1/orders", {"sort": "number", "limit": 2})
    second = client.get("/api/v1/orders", {"sort": "number", "limit": 2, "offset": 2})
    orders = book["orders"]
    assert api_numbers(first) == [orders["a1"].number, orders["a2"].number] and first["X-Total-Count"] == "5"
    assert api_numbers(second) == [orders["a3"].number, orders["o1"].number]
    assert api_numbers(client.get("/api/v1/orders", {"buyer": "Other Trading"})) == [orders["o1"].number]
    client.force_login(rep)
    assert set(api_numbers(client.get("/api/v1/orders", {"sku": "SKU-A"}))) == {
        orders["a1"].number,
        orders["a3"].number,
    }


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"amount_min": "abc"}, 422, "amount_min"),
        ({"limit": "500"}, 422, "limit"),
        ({"sort": "price"}, 422, "sort"),
        ({"amount_min": "100", "amount_max": "10"}, 400, "amount_max"),
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, 400, "date_to"),
        ({"status": "lost"}, 400, "status"),
        ({"company_id": "1"}, 400, "company_id"),
        ({"date_to": "9999-12-31"}, 400, "date_to"),  # the day after cannot be a time
        ({"date_from": "0001-01-01"}, 400, "date_from"),  # before the time zone's range
    ],
)
def test_bad_api_parameters_are_refused_naming_the_parameter(client, book, params, status, field):
    client.force_login(book["bob"])
    response = client.get("/api/v1/orders", params)
    assert response.status_code == status
    body = response.json()
    if status == 422:
        assert body["code"] == "validation_error" and body["errors"][0]["field"] == field
    else:
        assert body["code"] == "invalid_filter" and body["field"] == field and body["message"]


def test_amounts_are_decimals_not_floats():
    assert OrderFilters(amount_min=Decimal("0.10")).amount_min == Decimal("0.10")


@pytest.mark.parametrize("query", ["to=9999-12-31", "from=0001-01-01"])
def test_dates_at_the_ends_of_the_calendar_are_refused_not_a_server_error(client, book, query):
    client.force_login(book["bob"])
    page = client.get(f"/account/orders/?{query}")
    assert page.status_code == 400 and "Choose a date between" in page.text
    assert client.get(f"/account/orders/export.csv?{query}").status_code in (200, 400)


def test_a_rep_sees_only_their_customers_orders_in_the_admin_too(client, book, rep):
    client.force_login(rep)
    listing = client.get("/admin/orders/order/")
    assert book["orders"]["a1"].number in listing.text and book["orders"]["o1"].number not in listing.text
    other = client.get(f"/admin/orders/order/{book['orders']['o1'].pk}/change/")
    assert other.status_code == 302 and "PO-1" not in client.get(other["Location"]).text
    assert client.get(f"/admin/orders/order/{book['orders']['a1'].pk}/change/").status_code == 200


def test_staff_read_one_of_their_orders_over_the_api_and_no_other(client, book, rep):
    client.force_login(rep)
    assert client.get(f"/api/v1/orders/{book['orders']['a1'].number}").status_code == 200
    assert client.get(f"/api/v1/orders/{book['orders']['o1'].number}").status_code == 404
