"""Browser test of acting for a customer: a sales rep opens ACME's context from the
dashboard, orders at ACME's prices on account, and ACME's buyer then sees the order as
placed by their rep on their behalf."""

import re
from decimal import Decimal

from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from tandem.orders.models import Order, OrderEvent
from tandem.pricing.models import PriceList, PriceListEntry
from tests.e2e.test_self_service import add_to_cart, log_in
from tests.factories import (
    company_address,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
)


def test_a_rep_places_an_order_for_a_customer_who_then_sees_it(page: Page, live_server, transactional_db):
    make_delivery("courier", price_net="10.00")
    rep = make_user("rep@shop.test", is_staff=True, full_name="Roman Rep")
    rep.groups.set(Group.objects.filter(name="Sales rep"))
    acme = make_company(
        "ACME Narzędzia Sp. z o.o.", sales_rep=rep, credit_limit=Decimal("10000"), email="faktury@acme.test"
    )
    make_company("Other Trading", sales_rep=None)
    company_address(acme)
    make_company_user(acme, email="buyer@acme.test", full_name="Bob Buyer")
    drill = make_product("Ferrum Cordless drill FE-1", gross="499.00", net="330.00", stock=20)
    contract = PriceList.objects.create(code="acme", name="ACME contract", currency="PLN")
    contract.companies.add(acme)
    PriceListEntry.objects.create(
        price_list=contract, variant=drill.variants.get(), min_quantity=1, price=Decimal("300.00")
    )

    log_in(page, live_server.url, "rep@shop.test")
    page.goto(f"{live_server.url}/rep/")
    rows = page.get_by_test_id("customer-row")
    expect(rows).to_have_count(1)  # only the rep's own customer
    expect(rows.first).to_contain_text("ACME Narzędzia")
    rows.first.get_by_role("button", name="Act for this customer").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("acting-banner")).to_contain_text(
        "Acting for ACME Narzędzia Sp. z o.o. as Roman Rep"
    )
    add_to_cart(page, live_server.url, drill, 2)
    expect(page.get_by_test_id("product-price")).to_contain_text("300.00 PLN")  # ACME's contract price
    expect(page.get_by_test_id("cart-count")).to_have_text("1")
    page.get_by_test_id("cart-link").click()
    page.get_by_test_id("to-checkout").click()
    expect(page.get_by_label("Delivery address")).to_contain_text("Dock 4")
    expect(page.get_by_role("radio", name=re.compile(r"^On account"))).to_be_checked()
    expect(page.get_by_test_id("total-net")).to_have_text("610.00 PLN")  # 2 × 300.00 + 10.00 delivery
    page.get_by_label("Your PO number").fill("PO-PHONE-7")
    page.get_by_test_id("place-order").click()

    expect(page).to_have_url(re.compile(r"/order/[0-9a-f-]{36}/$"))
    order = Order.objects.get()
    expect(page.get_by_test_id("order-heading")).to_contain_text(order.number)
    assert (order.company, order.placed_by, order.email) == (acme, rep, "faktury@acme.test")
    assert OrderEvent.objects.get(order=order, kind="placed").on_behalf_of == acme

    page.get_by_test_id("acting-stop").click()
    expect(page).to_have_url(f"{live_server.url}/rep/")
    expect(page.get_by_test_id("acting-banner")).to_have_count(0)
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, "buyer@acme.test")
    page.goto(f"{live_server.url}/account/orders/")
    row = page.get_by_test_id("order-row").filter(has_text=order.number)
    expect(row).to_contain_text("Roman")
    expect(row.get_by_test_id("placed-by-rep")).to_have_text("(sales rep, on your behalf)")
    row.get_by_role("link", name=order.number).click()
    expect(page.get_by_test_id("placed-by-rep")).to_have_text(
        "Placed by Roman Rep (your sales rep) on your behalf."
    )
    expect(page.get_by_text("PO number: PO-PHONE-7")).to_be_visible()
