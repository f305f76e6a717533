"""Browser tests of a company's self-service: an order over the buyer's limit waits for an
approver, an admin invites a colleague who joins and orders, and a reorder reports the prices
that changed since the order."""

import re
from decimal import Decimal

from django.conf import settings
from django.core import mail
from playwright.sync_api import Page, expect

from tandem.cart.models import CartLine
from tandem.checkout.services import order_place
from tandem.customers.models import CompanyRole, CompanyUser, User
from tandem.orders.models import ApprovalStatus, Order, OrderStatus, PaymentStatus
from tandem.pricing.models import BasePrice
from tests.checkout.conftest import company_details
from tests.factories import (
    PASSWORD,
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    user_context,
)

NEW_PASSWORD = "long-enough-password-1"


def log_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Sign in; staff, who must use two-factor sign-in, set up their authenticator on the way."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    if "/account/security/two-factor/" in page.url:
        set_up_authenticator(page)
    expect(page.get_by_test_id("account-link")).to_be_visible()


def set_up_authenticator(page: Page) -> None:
    """On the setup page: read the key as a person types it into their app, type the app's
    code, note the recovery codes and go on."""
    from tandem.customers.two_factor import totp_code, totp_step

    expect(page.get_by_test_id("totp-qr").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(totp_code(secret, totp_step()))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("button", name="I have saved them").click()


def add_to_cart(page: Page, base_url: str, product, quantity: int) -> None:
    page.goto(f"{base_url}{product.get_absolute_url()}")
    form = page.get_by_test_id("add-to-cart")
    form.get_by_label("Quantity").fill(str(quantity))
    form.get_by_role("button", name="Add to cart").click()
    sku = product.variants.get().sku
    name = product.name
    expect(page.get_by_text(f"Added {quantity} × {name} ({sku}) to your cart.")).to_be_visible()
    expect(page.get_by_test_id("cart-count")).to_have_text("1")  # the badge counts lines


def place_order_on_account(page: Page, base_url: str) -> str:
    """Checkout with the company's defaults (on account, its delivery address); the number."""
    page.goto(f"{base_url}/checkout/")
    expect(page.get_by_role("radio", name=re.compile(r"^On account"))).to_be_checked()
    expect(page.get_by_label("Delivery address")).to_contain_text("Dock 4")
    page.get_by_test_id("place-order").click()
    expect(page).to_have_url(re.compile(r"/order/[0-9a-f-]{36}/$"))
    number = page.get_by_test_id("order-number").get_attribute("data-number")
    assert number
    return number


def test_an_order_over_the_buyers_limit_waits_until_an_approver_approves_it(
    page: Page, live_server, new_context, transactional_db
):
    make_delivery("courier", price_net="10.00")
    company = make_company("ACME Narzędzia Sp. z o.o.", credit_limit=Decimal("10000.00"))
    company_address(company)
    buyer = make_company_user(
        company,
        CompanyRole.BUYER,
        email="buyer@acme.test",
        full_name="Bob Buyer",
        spending_limit_per_order=Decimal("1000"),
    )
    make_company_user(company, CompanyRole.APPROVER, email="approver@acme.test", full_name="Alice Approver")
    product = make_product("Bosch Angle grinder BO-5", gross=None, net="500.00", stock=20)

    # 2 × 500.00 + 10.00 delivery = 1,010.00 net, 1,242.30 gross: over the 1,000.00 limit.
    log_in(page, live_server.url, "buyer@acme.test")
    add_to_cart(page, live_server.url, product, 2)
    page.goto(f"{live_server.url}/checkout/")
    expect(page.get_by_test_id("total-gross")).to_have_text("1,242.30 PLN")
    number = place_order_on_account(page, live_server.url)
    expect(page.get_by_test_id("order-total")).to_have_text("1,242.30 PLN")

    order = Order.objects.get(number=number)
    assert (order.user, order.status, order.total_gross) == (
        buyer,
        OrderStatus.PENDING_APPROVAL,
        Decimal("1242.30"),
    )
    # The approver is told; the buyer gets the usual confirmation.
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["approver@acme.test"], f"Order {number} waits for your approval"),
        (["buyer@acme.test"], f"{settings.SHOP_NAME}: order {number} received"),
    ]
    assert f"Bob Buyer placed order {number} for 1,242.30 PLN. It waits for your decision." in (
        mail.outbox[0].body
    )
    page.goto(f"{live_server.url}/account/orders/{number}/")
    expect(page.get_by_test_id("order-status")).to_have_text("Awaiting approval")
    expect(page.get_by_test_id("order-approvals")).to_contain_text(
        "1. Waiting — over the buyer's limit of 1,000.00 PLN per order"
    )

    approver_page = new_context().new_page()
    log_in(approver_page, live_server.url, "approver@acme.test")
    approver_page.goto(f"{live_server.url}/account/approvals/")
    waiting = approver_page.get_by_test_id("approval")
    expect(waiting).to_have_count(1)
    expect(waiting).to_have_attribute("data-number", number)
    expect(waiting).to_contain_text("Bob")
    expect(waiting).to_contain_text("1,242.30 PLN")
    waiting.get_by_label("Comment").fill("OK, the grinders are for the Gdańsk site.")
    waiting.get_by_test_id("approve").click()

    expect(approver_page).to_have_url(re.compile(r"/account/approvals/$"))
    expect(approver_page.get_by_text(f"Order {number} approved.")).to_be_visible()
    expect(approver_page.get_by_test_id("no-approvals")).to_have_text("Nothing is waiting for your decision.")
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.PLACED, PaymentStatus.ON_ACCOUNT)
    approval = order.approvals.get()
    assert (approval.status, approval.decided_by.email, approval.comment) == (
        ApprovalStatus.APPROVED,
        "approver@acme.test",
        "OK, the grinders are for the Gdańsk site.",
    )

    decided = mail.outbox[-1]
    assert (decided.to, decided.subject) == (["buyer@acme.test"], f"Order {number} is approved")
    assert f"Your order {number} is approved and placed." in decided.body
    page.reload()
    expect(page.get_by_test_id("order-status")).to_have_text("Placed")
    expect(page.get_by_test_id("order-approvals")).to_contain_text(
        "1. Approved — over the buyer's limit of 1,000.00 PLN per order · Alice: "
        "OK, the grinders are for the Gdańsk site."
    )


def test_an_admin_invites_a_colleague_who_joins_and_orders_on_account(
    page: Page, live_server, new_context, transactional_db
):
    make_delivery("courier", price_net="10.00")
    company = make_company("ACME Narzędzia Sp. z o.o.", credit_limit=Decimal("10000.00"))
    company_address(company)
    make_company_user(company, CompanyRole.ADMIN, email="admin@acme.test", full_name="Adam Admin")
    product = make_product("Bosch Angle grinder BO-5", gross=None, net="100.00", stock=20)

    log_in(page, live_server.url, "admin@acme.test")
    page.goto(f"{live_server.url}/account/company/")
    invite = page.get_by_test_id("invite-form")
    invite.get_by_label("E-mail").fill("Nina.New@ACME.test")
    invite.get_by_label("Role").select_option(label="Buyer")
    invite.get_by_role("button", name="Send invitation").click()
    expect(page).to_have_url(re.compile(r"/account/company/$"))
    expect(page.get_by_text("Invitation sent to Nina.New@ACME.test.")).to_be_visible()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nina.new@acme.test"]
    assert "Adam Admin invites you to the ACME Narzędzia Sp. z o.o. account as: Buyer." in message.body
    path = re.search(r"/invite/[\w-]+/", message.body).group(0)

    newcomer = new_context().new_page()
    newcomer.goto(f"{live_server.url}{path}")
    expect(newcomer.get_by_role("heading", name="Join ACME Narzędzia Sp. z o.o.")).to_be_visible()
    expect(newcomer.get_by_text("nina.new@acme.test · Buyer")).to_be_visible()
    newcomer.get_by_label("Full name").fill("Nina Nowak")
    newcomer.get_by_label("Password").fill(NEW_PASSWORD)
    newcomer.get_by_test_id("accept-invitation").click()

    expect(newcomer).to_have_url(re.compile(r"/account/company/$"))
    expect(newcomer.get_by_text("Welcome to ACME Narzędzia Sp. z o.o.!")).to_be_visible()
    expect(newcomer.get_by_test_id("account-link")).to_have_text("Nina")
    expect(newcomer.get_by_test_id("company-terms")).to_contain_text("Your role: Buyer")
    nina = User.objects.get(email="nina.new@acme.test")
    assert nina.full_name == "Nina Nowak"
    assert CompanyUser.objects.get(user=nina).company == company

    # The link works once.
    used = new_context().new_page()
    used.goto(f"{live_server.url}{path}")
    expect(used.get_by_test_id("invitation-problem")).to_have_text(
        "This invitation has already been used. Log in instead."
    )

    add_to_cart(newcomer, live_server.url, product, 3)
    number = place_order_on_account(newcomer, live_server.url)
    # 3 × 100.00 + 10.00 delivery = 310.00 net, 381.30 gross
    expect(newcomer.get_by_test_id("order-total")).to_have_text("381.30 PLN")
    order = Order.objects.get(number=number)
    assert (order.placed_by, order.user, order.company, order.status) == (
        nina,
        nina,
        company,
        OrderStatus.PLACED,
    )
    assert order.total_gross == Decimal("381.30")
    assert list(order.lines.values_list("sku", "quantity")) == [(product.variants.get().sku, 3)]


def test_a_reorder_puts_the_lines_in_the_cart_and_shows_the_changed_price(
    page: Page, live_server, transactional_db
):
    make_delivery("courier", price_net="10.00")
    company = make_company("ACME Narzędzia Sp. z o.o.", credit_limit=Decimal("10000.00"))
    address = company_address(company)
    buyer = make_company_user(company, CompanyRole.BUYER, email="buyer@acme.test")
    product = make_product("Bosch Angle grinder BO-5", gross=None, net="100.00", stock=20)
    variant = product.variants.get()
    order = order_place(
        cart=make_cart(user=buyer, lines=[(variant, 2)]),
        context=user_context(buyer),
        details=company_details(address.pk),
        acting_user=buyer,
    )
    assert (order.status, order.lines.get().unit_net) == (OrderStatus.PLACED, Decimal("100.00"))
    BasePrice.objects.filter(variant=variant).update(amount=Decimal("120.00"))

    log_in(page, live_server.url, "buyer@acme.test")
    page.goto(f"{live_server.url}/account/orders/{order.number}/")
    expect(page.get_by_test_id("order-status")).to_have_text("Placed")
    page.get_by_test_id("reorder").click()

    expect(page.get_by_role("heading", name=f"Order {order.number} again")).to_be_visible()
    expect(page.get_by_test_id("reorder-summary")).to_contain_text("1 added, 0 not added.")
    changes = page.get_by_test_id("reorder-price-changes")
    expect(changes).to_contain_text("Prices have changed since this order:")
    expect(changes.get_by_role("listitem")).to_have_text(
        f"{variant.sku} Bosch Angle grinder BO-5 – Variant 1: 100.00 PLN → 120.00 PLN"
    )
    expect(page.get_by_test_id("cart-count")).to_have_text("1")

    page.get_by_role("link", name="Go to the cart").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    line = page.get_by_test_id("cart-line")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("Bosch Angle grinder BO-5")
    expect(line.get_by_test_id("line-quantity")).to_have_value("2")
    expect(page.get_by_test_id("total-net")).to_have_text("240.00 PLN")  # today's price
    assert list(CartLine.objects.filter(cart__user=buyer).values_list("variant", "quantity")) == [
        (variant.pk, 2)
    ]
