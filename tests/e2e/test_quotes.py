"""Browser test of a negotiation: the buyer asks for a quote from the cart, the rep sends an
offer, the buyer asks for a better price, the rep sends revision 2, the buyer accepts it and
gets an order at the offer's prices."""

import re
from decimal import Decimal

from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from tandem.customers.models import CompanyRole
from tandem.customers.roles import staff_roles_sync
from tandem.orders.models import Order
from tandem.quotes.models import OfferStatus, Quote
from tests.e2e.test_self_service import add_to_cart, log_in
from tests.factories import (
    company_address,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
)


def send_offer(page: Page, base_url: str, quote: Quote, price: str) -> None:
    page.goto(f"{base_url}/rep/quotes/{quote.pk}/")
    row = page.get_by_test_id("builder-input").first
    row.get_by_label("Offer price (net)").fill(price)
    page.get_by_test_id("send-offer").click()
    expect(page.get_by_test_id("message").first).to_contain_text("is sent to the customer")


def test_a_quote_is_negotiated_in_two_revisions_and_accepted_into_an_order(
    page: Page, live_server, new_context, transactional_db
):
    staff_roles_sync()  # the test database is emptied between browser tests, groups included
    make_delivery("courier", price_net="0.00")
    rep = make_user("rep@shop.test", is_staff=True, full_name="Jan Kowalski")
    rep.groups.set(Group.objects.filter(name="Sales rep"))
    company = make_company("Łódź Budowa Sp. z o.o.", credit_limit=Decimal("100000.00"), sales_rep=rep)
    company_address(company)
    make_company_user(company, CompanyRole.BUYER, email="buyer@lodz.test", full_name="Bob Buyer")
    product = make_product("Wiertarka udarowa HD-20", gross=None, net="100.00", stock=500)

    log_in(page, live_server.url, "buyer@lodz.test")
    add_to_cart(page, live_server.url, product, 20)
    page.goto(f"{live_server.url}/cart/")
    page.get_by_text("Request a quote for these items").click()
    page.get_by_label("Message to your sales rep (optional)").fill("20 drills for the Łódź site, best price?")
    page.get_by_test_id("request-quote").click()
    expect(page.get_by_test_id("quote-status")).to_have_attribute("data-status", "requested")
    quote = Quote.objects.get()

    rep_page = new_context().new_page()
    log_in(rep_page, live_server.url, "rep@shop.test")
    rep_page.goto(f"{live_server.url}/rep/quotes/")
    expect(rep_page.get_by_test_id("quote-row")).to_contain_text("Łódź Budowa")
    send_offer(rep_page, live_server.url, quote, "95.00")

    page.reload()
    offer = page.get_by_test_id("current-offer")
    expect(offer).to_contain_text("revision 1")
    expect(page.get_by_test_id("offer-total")).to_have_text("2,337.00 PLN")  # 1,900.00 net + 23 % VAT
    page.get_by_test_id("comment-text").fill("Could you do 90.00?")
    page.get_by_test_id("ask-changes").click()
    expect(page.get_by_test_id("quote-status")).to_have_attribute("data-status", "changes_requested")

    rep_page.goto(f"{live_server.url}/rep/quotes/{quote.pk}/")
    expect(rep_page.get_by_text("Could you do 90.00?")).to_be_visible()
    send_offer(rep_page, live_server.url, quote, "90.00")

    page.reload()
    expect(page.get_by_test_id("current-offer")).to_contain_text("revision 2")
    expect(page.get_by_test_id("offer-total")).to_have_text("2,214.00 PLN")
    latest = page.locator('[data-testid="revision"][data-revision="2"]')  # open: what changed from rev. 1
    expect(latest.get_by_test_id("change")).to_contain_text("95.00 PLN → 90.00 PLN")
    page.get_by_test_id("accept-offer").click()

    expect(page).to_have_url(re.compile(r"/account/orders/[0-9-]+/$"))
    order = Order.objects.get()
    line = order.lines.get()
    assert (line.quantity, line.unit_net, order.total_gross) == (20, Decimal("90.00"), Decimal("2214.00"))
    assert quote.offers.get(revision=1).status == OfferStatus.SUPERSEDED
    assert quote.offers.get(revision=2).status == OfferStatus.ACCEPTED
