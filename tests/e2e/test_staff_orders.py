"""Browser test of the staff order pages: warehouse staff find an order by SKU and ship
part of it with the carrier's tracking number; the dispatch note is on the order page."""

import re
from decimal import Decimal

from django.contrib.auth.models import Permission
from playwright.sync_api import Page, expect

from tandem.checkout.services import order_place
from tandem.orders.models import OrderStatus
from tests.checkout.conftest import company_details
from tests.e2e.test_self_service import log_in
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


def test_staff_find_an_order_by_sku_and_ship_part_of_it(page: Page, live_server, transactional_db):
    make_delivery("courier")
    company = make_company("ACME Narzędzia Sp. z o.o.", credit_limit=Decimal("100000"))
    buyer = make_company_user(company, email="buyer@acme.test")
    drill = make_product("Ferrum Cordless drill FE-1", net="330.00", gross=None, stock=20).variants.get()
    saw = make_product("Volta Circular saw VO-7", net="410.00", gross=None, stock=20).variants.get()
    details = company_details(company_address(company).pk)
    order = order_place(
        cart=make_cart(user=buyer, lines=[(drill, 5), (saw, 2)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=details,
    )
    other = order_place(
        cart=make_cart(lines=[(saw, 1)]), context=user_context(buyer), acting_user=buyer, details=details
    )
    staff = make_user("warehouse@shop.test", is_staff=True, full_name="Wanda Warehouse")
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_order", "view_all_orders"]))

    log_in(page, live_server.url, "warehouse@shop.test")
    page.goto(f"{live_server.url}/rep/orders/")
    expect(page.get_by_test_id("order-row")).to_have_count(2)
    page.get_by_test_id("filter-sku").fill(drill.sku.lower())
    page.get_by_test_id("filter-submit").click()
    rows = page.get_by_test_id("order-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-number", order.number)
    assert other.number not in page.content()
    rows.first.get_by_role("link", name=order.number).click()

    expect(page).to_have_url(re.compile(rf"/rep/orders/{re.escape(order.number)}/$"))
    page.get_by_label(f"Units of {drill.sku} to ship now").fill("3")
    page.get_by_label(f"Units of {saw.sku} to ship now").fill("0")
    page.get_by_test_id("ship-carrier").fill("DPD")
    page.get_by_test_id("ship-tracking").fill("0000123456789")
    page.get_by_test_id("ship-submit").click()

    shipment = order.shipments.get()
    expect(page.get_by_test_id("message")).to_have_text(f"Shipped with dispatch note {shipment.number}.")
    expect(page.get_by_test_id("dispatch-note")).to_have_text(shipment.number)
    expect(page.get_by_test_id("shipment")).to_contain_text("0000123456789")
    expect(page.get_by_test_id("order-status")).to_have_text("In progress")
    drill_line = page.locator(f'[data-testid="line"][data-sku="{drill.sku}"]')
    expect(drill_line.get_by_test_id("shipped")).to_have_text("3")
    expect(drill_line.get_by_test_id("remaining")).to_have_text("2")
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS
