"""Browser test of the assistant: the ACME buyer asks in Polish where their last order is,
gets its number and status, asks for a person, and the rep reads the question (with the
conversation before it) in the rep panel."""

import re
from decimal import Decimal

from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from tandem.checkout.services import order_place
from tandem.customers.roles import staff_roles_sync
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


def test_the_buyer_asks_for_the_last_order_then_for_a_person_and_the_rep_reads_it(
    page: Page, live_server, transactional_db, browser
):
    staff_roles_sync()
    make_delivery("courier", price_net="0.00")
    rep = make_user("rep@shop.test", is_staff=True, full_name="Rita Rep")
    rep.groups.set(Group.objects.filter(name="Sales rep"))
    acme = make_company("ACME Narzędzia Sp. z o.o.", credit_limit=Decimal("100000"), sales_rep=rep)
    buyer = make_company_user(acme, email="buyer@acme.test")
    drill = make_product("Ferrum Cordless drill FE-1", net="330.00", gross=None, stock=20).variants.get()
    order = order_place(
        cart=make_cart(user=buyer, lines=[(drill, 2)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(acme).pk),
    )

    log_in(page, live_server.url, "buyer@acme.test")
    panel = page.get_by_test_id("assistant")
    panel.locator("summary").click()
    panel.get_by_role("textbox").fill("gdzie jest moje ostatnie zamówienie?")
    panel.get_by_role("button", name="Send").click()
    exchange = page.get_by_test_id("assistant-exchange").last
    expect(exchange).to_have_attribute("data-intent", "order_status")
    expect(exchange).to_contain_text(order.number)
    expect(exchange).to_contain_text("złożone", ignore_case=True)

    panel.get_by_role("textbox").fill("chcę porozmawiać z człowiekiem")
    panel.get_by_role("button", name="Send").click()
    handover = page.get_by_test_id("assistant-exchange").last
    expect(handover).to_have_attribute("data-intent", "handover")
    handover.get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/account/messages/\d+/$"))

    rep_page = browser.new_context().new_page()
    log_in(rep_page, live_server.url, "rep@shop.test")
    rep_page.goto(f"{live_server.url}/rep/messages/")
    rep_page.get_by_role("link", name="Question from the assistant").first.click()
    expect(rep_page.locator("body")).to_contain_text("chcę porozmawiać z człowiekiem")
    expect(rep_page.locator("body")).to_contain_text("gdzie jest moje ostatnie zamówienie?")
