"""The staff order pages: who sees which orders, search and export, and order management
(status, merchant status, partial shipments, cancellation) through the orders services."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tandem.checkout.services import order_place
from tandem.inventory.models import StockItem
from tandem.orders.models import CustomStatus, Order, OrderStatus
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
from tests.salesrep.conftest import at, make_order, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers(rep):
    """ACME is the rep's customer, Other is not."""
    acme = make_company("ACME Tools", sales_rep=rep)
    other = make_company("Other Trading")
    return (
        acme,
        other,
        make_company_user(acme, email="bob@acme.test", full_name="Bob Buyer"),
        make_company_user(other, email="olga@other.test", full_name="Olga Other"),
    )


@pytest.fixture
def placed(fulfilment):
    """A real order placed through checkout (stock reserved): 5 drills and 2 saws."""
    make_delivery("courier")
    company = make_company("ACME Tools", credit_limit=Decimal("100000"))
    buyer = make_company_user(company)
    drill = make_product("Drill", net="10.00", gross=None, stock=10).variants.get()
    saw = make_product("Saw", net="20.00", gross=None, stock=10).variants.get()
    order = order_place(
        cart=make_cart(user=buyer, lines=[(drill, 5), (saw, 2)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(company).pk),
    )
    return order, drill, saw


def stock(variant) -> tuple[int, int]:
    item = StockItem.objects.get(variant=variant)
    return item.on_hand, item.reserved


# --- who may see what ----------------------------------------------------------------------


def test_a_rep_lists_only_their_customers_orders_and_another_is_a_404(client, rep, customers):
    acme, _other, bob, olga = customers
    mine, theirs = make_order(company=acme, user=bob), make_order(company=make_company("Other"), user=olga)
    client.force_login(rep)
    page = client.get("/rep/orders/")
    assert mine.number in page.text and theirs.number not in page.text
    assert client.get(f"/rep/orders/{mine.number}/").status_code == 200
    assert client.get(f"/rep/orders/{theirs.number}/").status_code == 404
    assert client.post(f"/rep/orders/{theirs.number}/cancel/", {"reason": "x"}).status_code == 404
    csv_text = b"".join(client.get("/rep/orders/export.csv").streaming_content).decode("utf-8-sig")
    assert mine.number in csv_text and theirs.number not in csv_text


def test_the_pages_are_for_staff_who_manage_orders_only(client, customers):
    acme, _other, bob, _olga = customers
    order = make_order(company=acme, user=bob)
    assert client.get("/rep/orders/")["Location"].startswith("/accounts/login/?next=/rep/orders/")
    idle, catalog = make_user("idle@shop.test", is_staff=True), staff_user("cat@shop.test", "Catalog manager")
    for user in (bob, idle, catalog):
        client.force_login(user)
        assert client.get("/rep/orders/").status_code == 403
        assert client.get(f"/rep/orders/{order.number}/").status_code == 403


def test_only_roles_that_see_every_order_get_view_all_orders():
    holders = Group.objects.filter(permissions__codename="view_all_orders").values_list("name", flat=True)
    assert set(holders) == {"Admin", "Sales manager", "Fulfilment", "Finance"}
    assert Group.objects.filter(name="Sales rep", permissions__codename="view_order").exists()


# --- search, sort, paging, export -----------------------------------------------------------


def test_staff_filter_sort_and_page_the_list(client, fulfilment, customers):
    acme, _other, bob, olga = customers
    for index in range(27):
        make_order(company=acme, user=bob, total=f"{100 + index}.00", placed=at(f"2026-01-{index + 1:02d}"))
    drill = make_order(company=acme, user=bob, total="999.00", lines=(("DR-1", "Cordless drill", 2),))
    client.force_login(fulfilment)
    found = client.get("/rep/orders/", {"sku": "dr-1"})
    assert found.text.count('data-testid="order-row"') == 1 and drill.number in found.text
    first = client.get("/rep/orders/", {"sort": "total", "company": str(acme.pk)})
    assert first.text.count('data-testid="order-row"') == 25 and "1 / 2" in first.text
    assert "?sort=-total&amp;company=" in first.text  # the Total header now sorts the other way
    second = client.get("/rep/orders/", {"sort": "total", "company": str(acme.pk), "page": "2"})
    assert second.text.count('data-testid="order-row"') == 3 and drill.number in second.text
    assert olga.email not in first.text + second.text


def test_the_export_has_the_filtered_sorted_orders_with_company_and_vat_id(client, fulfilment, customers):
    acme, other, bob, olga = customers
    cheap = make_order(company=acme, user=bob, total="50.00", po_number="PO-9")
    dear = make_order(company=other, user=olga, total="700.00", po_number="PO-9")
    make_order(company=acme, user=bob, total="60.00", po_number="PO-1")
    client.force_login(fulfilment)
    response = client.get("/rep/orders/export.csv", {"po": "po-9", "sort": "-total"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "Number",
        "Date",
        "Status",
        "PO number",
        "Company",
        "VAT ID",
        "Placed by",
        "Payment",
        "Total net",
        "VAT",
        "Total gross",
        "Currency",
    ]
    assert [(row[0], row[4], row[5], row[6], row[10]) for row in rows[1:]] == [
        (dear.number, "Other Trading", other.vat_id, "olga@other.test", "700.00"),
        (cheap.number, "ACME Tools", acme.vat_id, "bob@acme.test", "50.00"),
    ]
    book = load_workbook(io.BytesIO(client.get("/rep/orders/export.xlsx", {"po": "po-9"}).content))
    numbers = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert numbers == [dear.number, cheap.number]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"amount_min": "abc"}, "“abc” is not an amount."),
        ({"amount_min": "100", "amount_max": "5"}, "The highest amount is below the lowest."),
        ({"company": "acme"}, "Choose a company from the list."),
        ({"to": "yesterday"}, "“yesterday” is not a date (YYYY-MM-DD)."),
    ],
)
def test_a_bad_filter_is_explained_and_lists_nothing(client, fulfilment, customers, params, message):
    acme, _other, bob, _olga = customers
    order = make_order(company=acme, user=bob)
    client.force_login(fulfilment)
    page = client.get("/rep/orders/", params)
    assert page.status_code == 400 and message in page.text and order.number not in page.text
    export = client.get("/rep/orders/export.csv", params)
    assert export.status_code == 400 and message in export.text


def test_the_list_takes_the_same_number_of_queries_for_5_and_50_orders(
    client, fulfilment, customers, django_assert_num_queries
):
    acme, other, bob, olga = customers
    for index in range(5):
        make_order(company=acme if index % 2 else other, user=bob if index % 2 else olga)
    client.force_login(fulfilment)
    client.get("/rep/orders/")  # warm-up: sessions, caches
    with CaptureQueriesContext(connection) as five:
        assert client.get("/rep/orders/").text.count('data-testid="order-row"') == 5
    for index in range(45):
        make_order(
            company=acme if index % 2 else other,
            user=bob if index % 2 else olga,
            lines=(("A", "a", 1), ("B", "b", 2)),
        )
    with django_assert_num_queries(len(five.captured_queries)):
        assert client.get("/rep/orders/").text.count('data-testid="order-row"') == 25


# --- managing an order ----------------------------------------------------------------------


def test_a_partial_shipment_from_the_staff_page(client, fulfilment, placed):
    order, drill, saw = placed
    lines = {line.sku: line for line in order.lines.all()}
    client.force_login(fulfilment)
    page = client.post(
        f"/rep/orders/{order.number}/ship/",
        {
            f"ship-{lines[drill.sku].pk}": "3",
            f"ship-{lines[saw.sku].pk}": "0",
            "carrier": "DPD",
            "tracking_number": "0000123456",
        },
        follow=True,
    )
    shipment = order.shipments.get()
    assert shipment.number.startswith("WZ/") and (shipment.carrier, shipment.tracking_number) == (
        "DPD",
        "0000123456",
    )
    assert [(line.order_line.sku, line.quantity) for line in shipment.lines.all()] == [(drill.sku, 3)]
    assert f"Shipped with dispatch note {shipment.number}." in page.text
    assert 'data-testid="dispatch-note">' + shipment.number in page.text
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS and stock(drill) == (7, 2) and stock(saw) == (10, 2)
    shipped = {line.sku: (line.shipped, line.quantity - line.shipped) for line in order.lines.all()}
    assert shipped == {drill.sku: (3, 2), saw.sku: (0, 2)}
    assert f'name="ship-{lines[drill.sku].pk}" min="0" max="2" value="2"' in page.text  # what is left


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("9", "Between 1 and 5 units are still to ship."),
        ("two", "enter a whole number of units."),
        ("0", "Enter how many units of at least one line leave in this shipment."),
    ],
)
def test_a_shipment_that_cannot_be_made_is_explained_and_changes_nothing(
    client, fulfilment, placed, quantity, message
):
    order, drill, _saw = placed
    line = order.lines.get(sku=drill.sku)
    client.force_login(fulfilment)
    page = client.post(f"/rep/orders/{order.number}/ship/", {f"ship-{line.pk}": quantity}, follow=True)
    assert message in page.text
    assert not order.shipments.exists() and stock(drill) == (10, 5)


def test_cancelling_from_the_staff_page_releases_the_stock(client, fulfilment, placed):
    order, drill, saw = placed
    client.force_login(fulfilment)
    page = client.post(f"/rep/orders/{order.number}/cancel/", {"reason": "Customer phoned"}, follow=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and stock(drill) == (10, 0) and stock(saw) == (10, 0)
    assert "is cancelled; its reserved stock is released." in page.text
    event = order.events.get(status=OrderStatus.CANCELLED)
    assert (event.actor, event.message) == (fulfilment, "Customer phoned")


def test_a_status_move_that_is_not_allowed_is_explained_and_changes_nothing(client, fulfilment, placed):
    order, drill, _saw = placed
    client.force_login(fulfilment)
    page = client.post(f"/rep/orders/{order.number}/status/", {"status": "delivered"}, follow=True)
    assert (
        "An order that is “Placed” cannot become “Delivered”; it can become: Confirmed, In progress, "
        "Shipped, Cancelled." in page.text
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED and not order.events.filter(kind="status").exists()
    assert stock(drill) == (10, 5)


def test_staff_move_the_status_and_set_a_merchant_status(client, fulfilment, placed):
    order, _drill, _saw = placed
    production = CustomStatus.objects.create(
        code="production", name="Awaiting production", stage=OrderStatus.IN_PROGRESS
    )
    client.force_login(fulfilment)
    detail = client.get(f"/rep/orders/{order.number}/")
    assert '<option value="confirmed">Confirmed</option>' in detail.text
    assert '<option value="delivered">' not in detail.text  # only the allowed next statuses
    client.post(f"/rep/orders/{order.number}/status/", {"status": "confirmed", "note": "checked"})
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    page = client.post(f"/rep/orders/{order.number}/custom-status/", {"code": "production"}, follow=True)
    order.refresh_from_db()
    assert order.custom_status == production and order.status == OrderStatus.IN_PROGRESS
    assert "Awaiting production" in page.text


def test_a_rep_without_the_right_to_change_orders_sees_no_forms_and_cannot_post(client, rep, placed):
    order, drill, _saw = placed
    Order.objects.filter(pk=order.pk).update(company=make_company("Rep's customer", sales_rep=rep))
    client.force_login(rep)
    page = client.get(f"/rep/orders/{order.number}/")
    assert page.status_code == 200 and 'data-testid="ship-form"' not in page.text
    assert 'data-testid="status-form"' not in page.text and 'data-testid="cancel-form"' not in page.text
    refused = client.post(f"/rep/orders/{order.number}/cancel/", {"reason": "x"}, follow=True)
    assert "You cannot change this order" in refused.text
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED and stock(drill) == (10, 5)
