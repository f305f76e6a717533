"""Browser tests of buying: a guest pays online with a coupon, a company quick-orders by CSV
on account, and an order over the company's credit limit is refused with the amount."""

import re
from decimal import Decimal

from playwright.sync_api import Page, expect

from tandem.customers.models import CompanyRole
from tandem.inventory.models import StockItem
from tandem.orders.models import Order, PaymentStatus
from tandem.pricing.models import Promotion
from tests.factories import (
    PASSWORD,
    company_address,
    make_company,
    make_company_user,
    make_coupon,
    make_delivery,
    make_product,
)


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("account-link")).to_be_visible()


def test_a_guest_buys_with_a_coupon_and_pays_through_the_test_gateway(page: Page, live_server, shop):
    make_delivery("courier", price_net="10.00")  # 12.30 PLN gross at 23 %
    make_coupon("SAVE10", value="10", usage_limit=5)
    product = make_product("Makita Impact driver MK-3", gross="123.00", net="100.00", stock=5)

    page.goto(f"{live_server.url}{product.get_absolute_url()}")
    form = page.get_by_test_id("add-to-cart")
    form.get_by_label("Quantity").fill("1")
    form.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text("Added 1 × ")).to_be_visible()
    expect(page.get_by_test_id("cart-count")).to_have_text("1")

    page.get_by_test_id("cart-link").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    page.get_by_test_id("coupon-input").fill("save10")  # codes are case-insensitive
    page.get_by_test_id("apply-coupon").click()
    expect(page.get_by_test_id("coupon-code")).to_have_text("SAVE10")
    expect(page.get_by_test_id("discount")).to_contain_text("−12.30 PLN")
    expect(page.get_by_test_id("total-gross")).to_have_text("110.70 PLN")  # delivery comes at checkout

    page.get_by_test_id("to-checkout").click()
    expect(page).to_have_url(re.compile(r"/checkout/$"))
    # 110.70 goods after the discount + 12.30 delivery
    expect(page.get_by_test_id("delivery-price")).to_have_text("12.30 PLN")
    expect(page.get_by_test_id("total-gross")).to_have_text("123.00 PLN")
    page.get_by_label("E-mail").fill("guest@shop.test")
    page.get_by_label("Recipient").fill("Ewa Gość")
    page.get_by_label("Street and number").fill("Polna 1")
    page.get_by_label("Postal code").fill("30-001")
    page.get_by_label("City").fill("Kraków")
    page.get_by_label("Online payment").check()
    page.get_by_test_id("place-order").click()

    expect(page.get_by_test_id("test-gateway")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/pay/test/[0-9a-f-]{36}/"))
    expect(page.get_by_test_id("gateway-amount")).to_have_text("123.00 PLN")
    page.get_by_test_id("gateway-pay").click()

    order = Order.objects.get()
    expect(page).to_have_url(re.compile(rf"/order/{order.token}/\?returned=1$"))
    expect(page.get_by_test_id("payment-status")).to_contain_text("Payment received", timeout=10_000)
    expect(page.get_by_test_id("order-total")).to_have_text("123.00 PLN")
    expect(page.get_by_test_id("order-heading")).to_contain_text(order.number)

    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID
    assert (order.total_gross, order.discount_total) == (Decimal("123.00"), Decimal("12.30"))
    assert (order.email, order.coupon_code) == ("guest@shop.test", "SAVE10")
    assert order.shipping_address["city"] == "Kraków"
    assert Promotion.objects.get(code="SAVE10").times_used == 1


def test_a_company_buyer_quick_orders_a_csv_and_orders_on_account(page: Page, live_server, shop, tmp_path):
    make_delivery("courier", price_net="10.00")
    company = make_company("ACME Narzędzia Sp. z o.o.", credit_limit=Decimal("5000.00"))
    company_address(company)
    make_company_user(company, CompanyRole.BUYER, email="buyer@acme.test")
    sku = make_product("Bosch Angle grinder BO-5", gross="123.00", net="100.00", stock=20).variants.get().sku

    log_in(page, live_server.url, "buyer@acme.test")
    page.get_by_role("link", name="Quick order").click()
    expect(page).to_have_url(re.compile(r"/quick-order/$"))

    # A file with an unknown SKU: nothing is silently dropped, each line is reported.
    bad = tmp_path / "bad.csv"
    bad.write_text(f"sku;quantity\n{sku};1\nNO-SUCH-SKU;2\n", encoding="utf-8")
    page.get_by_test_id("quick-order-file").set_input_files(bad)
    page.get_by_test_id("quick-order-upload").click()
    expect(page.get_by_test_id("quick-order-summary")).to_contain_text("1 added, 1 not added.")
    report = page.get_by_test_id("quick-order-report")
    expect(report.get_by_test_id("quick-order-row").filter(has_text="NO-SUCH-SKU")).to_contain_text(
        "Unknown SKU."
    )
    expect(report.get_by_test_id("quick-order-row").filter(has_text=sku)).to_contain_text("added")

    # A clean file: everything is added and the buyer lands in the cart (1 + 2 = 3 units).
    good = tmp_path / "order.csv"
    good.write_text(f"sku;quantity\n{sku};2\n", encoding="utf-8")
    page.get_by_test_id("quick-order-file").set_input_files(good)
    page.get_by_test_id("quick-order-upload").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    line = page.get_by_test_id("cart-line")
    expect(line).to_have_count(1)
    expect(line.get_by_test_id("line-quantity")).to_have_value("3")
    expect(page.get_by_test_id("total-net")).to_have_text("300.00 PLN")

    page.get_by_test_id("to-checkout").click()
    expect(page.get_by_test_id("credit-position")).to_contain_text("5,000.00 PLN")
    expect(page.get_by_label("Delivery address")).to_contain_text("Dock 4")
    expect(page.get_by_role("radio", name=re.compile(r"^On account"))).to_be_checked()
    # 300.00 goods + 10.00 delivery, net; 23 % VAT = 71.30
    expect(page.get_by_test_id("total-net")).to_have_text("310.00 PLN")
    expect(page.get_by_test_id("total-gross")).to_have_text("381.30 PLN")
    page.get_by_label("Your PO number").fill("PO-2024-117")
    page.get_by_test_id("place-order").click()

    expect(page).to_have_url(re.compile(r"/order/[0-9a-f-]{36}/$"))
    order = Order.objects.get()
    expect(page.get_by_test_id("order-heading")).to_contain_text(order.number)
    expect(page.get_by_test_id("order-number")).to_have_attribute("data-number", order.number)
    expect(page.get_by_test_id("payment-status")).to_contain_text("On account")
    expect(page.get_by_test_id("payment-status")).to_contain_text("30 days (Net 30 days)")
    expect(page.get_by_test_id("order-total")).to_have_text("381.30 PLN")
    expect(page.get_by_text("PO number: PO-2024-117")).to_be_visible()

    assert (order.company, order.po_number, order.payment_status) == (
        company,
        "PO-2024-117",
        PaymentStatus.ON_ACCOUNT,
    )
    assert (order.total_net, order.total_gross) == (Decimal("310.00"), Decimal("381.30"))
    assert list(order.lines.values_list("sku", "quantity")) == [(sku, 3)]
    assert order.shipping_address["street"] == "Dock 4"


def test_an_order_on_account_over_the_credit_limit_is_refused_with_the_excess(page: Page, live_server, shop):
    make_delivery("courier", price_net="10.00")
    company = make_company("ACME Narzędzia Sp. z o.o.", credit_limit=Decimal("100.00"))
    company_address(company)
    make_company_user(company, CompanyRole.BUYER, email="buyer@acme.test")
    product = make_product("Bosch Angle grinder BO-5", gross="123.00", net="100.00", stock=20)

    log_in(page, live_server.url, "buyer@acme.test")
    page.goto(f"{live_server.url}{product.get_absolute_url()}")
    page.get_by_test_id("add-to-cart").get_by_role("button", name="Add to cart").click()
    expect(page.get_by_test_id("cart-count")).to_have_text("1")
    page.goto(f"{live_server.url}/checkout/")
    expect(page.get_by_test_id("credit-position")).to_contain_text("available: 100.00 PLN")
    # 100.00 goods + 10.00 delivery = 110.00 net, 135.30 gross: 35.30 over the limit.
    expect(page.get_by_test_id("total-gross")).to_have_text("135.30 PLN")
    expect(page.get_by_role("radio", name=re.compile(r"^On account"))).to_be_checked()
    page.get_by_test_id("place-order").click()

    expect(page.get_by_test_id("checkout-errors")).to_contain_text(
        "This order of 135.30 PLN exceeds your available credit of 100.00 PLN by 35.30 PLN."
    )
    expect(page).to_have_url(re.compile(r"/checkout/$"))  # still at checkout, the cart kept
    expect(page.get_by_test_id("total-gross")).to_have_text("135.30 PLN")
    assert not Order.objects.exists()
    assert StockItem.objects.get(variant__product=product).reserved == 0
