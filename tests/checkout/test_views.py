"""The cart, checkout, confirmation and test-gateway pages through the Django test client."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from tandem.billing.models import Payment, PaymentCallback
from tandem.cart.models import CartLine
from tandem.customers.models import CompanyRole
from tandem.orders.models import Order
from tests.factories import (
    PASSWORD,
    company_address,
    make_company,
    make_company_user,
    make_coupon,
    make_delivery,
    make_product,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def drill():
    return make_product("Cordless drill", gross="123.00", net="100.00", stock=7).variants.get()


@pytest.fixture(autouse=True)
def courier(db):
    return make_delivery("courier", price_net="10.00")


def checkout_form(client) -> dict:
    page = client.get("/checkout/")
    assert page.status_code == 200, page
    return {"submission": re.search(r'name="submission" value="(\w+)"', page.text).group(1)}


def test_the_product_page_form_adds_to_the_cart_and_the_header_counts_it(client, drill):
    page = client.get(drill.product.get_absolute_url())
    assert 'data-testid="add-to-cart"' in page.text
    response = client.post("/cart/add/", {"sku": drill.sku, "quantity": "2"}, follow=True)
    assert "Added 2 × " in response.text
    assert 'data-testid="cart-count">1<' in response.text
    assert "246.00 PLN" in response.text and "list price 123.00 PLN (gross)" in response.text


def test_a_bad_quantity_in_the_cart_gives_a_message_not_an_error(client, drill):
    for quantity in ("-3", "1.5", "99999999999999", "x"):
        response = client.post("/cart/add/", {"sku": drill.sku, "quantity": quantity}, follow=True)
        assert response.status_code == 200
        assert 'class="message error"' in response.text
    assert "cart-empty" in client.get("/cart/").text


@pytest.mark.django_db(transaction=True)
def test_a_guest_checks_out_with_a_coupon_and_pays_by_bank_transfer(client, drill):
    make_coupon("SAVE10", value="10")
    client.post("/cart/add/", {"sku": drill.sku, "quantity": "1"})
    client.post("/cart/coupon/", {"code": "save10"})
    assert "−12.30 PLN" in client.get("/cart/").text
    data = {
        **checkout_form(client),
        "email": "guest@shop.test",
        "delivery_method": "courier",
        "payment_method": "bank_transfer",
        "recipient": "Guest Person",
        "street": "Polna 1",
        "postal_code": "00-001",
        "city": "Kraków",
        "country": "PL",
    }
    response = client.post("/checkout/", data)
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/order/{order.token}/"
    page = client.get(response["Location"])
    assert order.number in page.text and "PL61 1090" in page.text
    assert order.total_gross == Decimal("123.00")  # 110.70 goods + 12.30 delivery
    assert order.email == "guest@shop.test" and mail.outbox[0].to == ["guest@shop.test"]
    # the same form submitted again (double click) makes no second order
    client.post("/checkout/", data)
    assert Order.objects.count() == 1


def test_missing_address_fields_are_reported_on_the_form(client, drill):
    client.post("/cart/add/", {"sku": drill.sku, "quantity": "1"})
    response = client.post(
        "/checkout/",
        {
            **checkout_form(client),
            "email": "guest@shop.test",
            "delivery_method": "courier",
            "payment_method": "bank_transfer",
            "recipient": "Guest",
            "country": "PL",
        },
    )
    assert response.status_code == 200
    assert "The delivery address is incomplete: street" in response.text
    assert not Order.objects.exists()


def test_online_payment_goes_through_the_test_gateway_and_back(client, drill):
    client.post("/cart/add/", {"sku": drill.sku, "quantity": "1"})
    response = client.post(
        "/checkout/",
        {
            **checkout_form(client),
            "email": "guest@shop.test",
            "delivery_method": "courier",
            "payment_method": "online",
            "recipient": "Guest",
            "street": "Polna 1",
            "postal_code": "00-001",
            "city": "Kraków",
            "country": "PL",
        },
    )
    payment = Payment.objects.get()
    assert response["Location"].startswith(f"/pay/test/{payment.reference}/")
    gateway = client.get(response["Location"])
    assert "135.30 PLN" in gateway.text
    back = client.post(response["Location"], {"outcome": "pay"})
    assert back["Location"] == f"/order/{payment.order.token}/?returned=1"
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.order.payment_status == "paid"
    assert "Payment received" in client.get(back["Location"]).text
    assert PaymentCallback.objects.get().outcome == "accepted"


def test_a_declined_payment_can_be_tried_again(client, drill):
    client.post("/cart/add/", {"sku": drill.sku, "quantity": "1"})
    response = client.post(
        "/checkout/",
        {
            **checkout_form(client),
            "email": "guest@shop.test",
            "delivery_method": "courier",
            "payment_method": "online",
            "recipient": "Guest",
            "street": "Polna 1",
            "postal_code": "00-001",
            "city": "Kraków",
            "country": "PL",
        },
    )
    client.post(response["Location"], {"outcome": "decline"})
    order = Order.objects.get()
    assert order.payment_status == "failed"
    retry = client.post(f"/order/{order.token}/pay/")
    assert retry["Location"].startswith("/pay/test/")
    assert Payment.objects.filter(status="pending").count() == 1


def test_a_guest_cart_follows_the_customer_through_login(client, drill):
    user = make_user("anna@shop.test")
    client.post("/cart/add/", {"sku": drill.sku, "quantity": "2"})
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert dict(user.cart.lines.values_list("variant__sku", "quantity")) == {drill.sku: 2}


def test_a_company_buyer_orders_on_account_to_a_company_address(client, drill):
    company = make_company("ACME", credit_limit=Decimal("5000"))
    address = company_address(company)
    buyer = make_company_user(company, CompanyRole.BUYER)
    client.force_login(buyer)
    client.post("/cart/add/", {"sku": drill.sku, "quantity": "3"})
    page = client.get("/checkout/")
    assert "Credit limit" in page.text and "Dock 4" in page.text and "On account" in page.text
    response = client.post(
        "/checkout/",
        {
            **checkout_form(client),
            "email": buyer.email,
            "delivery_method": "courier",
            "payment_method": "on_account",
            "address_id": address.pk,
            "po_number": "PO-1",
        },
    )
    order = Order.objects.get()
    assert response["Location"] == f"/order/{order.token}/"
    assert (order.po_number, order.total_net, order.company) == ("PO-1", Decimal("310.00"), company)
    assert "Net 30 days" in client.get(response["Location"]).text


def test_a_company_order_over_the_limit_shows_by_how_much(client, drill):
    company = make_company("ACME", credit_limit=Decimal("100"))
    address = company_address(company)
    client.force_login(make_company_user(company, CompanyRole.BUYER))
    client.post("/cart/add/", {"sku": drill.sku, "quantity": "1"})
    response = client.post(
        "/checkout/",
        {
            **checkout_form(client),
            "delivery_method": "courier",
            "payment_method": "on_account",
            "address_id": address.pk,
        },
    )
    assert response.status_code == 200
    assert "exceeds your available credit of 100.00 PLN by 35.30 PLN" in response.text
    assert not Order.objects.exists()


def test_an_accountant_is_sent_back_from_checkout(client, drill):
    company = make_company("ACME", credit_limit=Decimal("100"))
    client.force_login(make_company_user(company, CompanyRole.ACCOUNTANT))
    client.post("/cart/add/", {"sku": drill.sku, "quantity": "1"})
    response = client.get("/checkout/", follow=True)
    assert "cannot place orders" in response.text


def test_the_quick_order_page_reports_each_line(client, drill):
    company = make_company("ACME")
    client.force_login(make_company_user(company, CompanyRole.BUYER))
    response = client.post("/quick-order/", {"pad": f"{drill.sku} 2\nNOPE 1\n"}, follow=True)
    assert "1 added, 1 not added." in response.text and "Unknown SKU." in response.text
    upload = client.post("/quick-order/", {"file": _file("order.csv", f"sku;quantity\n{drill.sku};1\n")})
    assert upload.status_code == 302
    assert client.get("/cart/").text.count('data-testid="cart-line"') == 1


def test_a_broken_quick_order_file_is_explained(client):
    response = client.post("/quick-order/", {"file": _file("order.xlsx", "not a workbook")})
    assert response.status_code == 200 and "not a readable XLSX" in response.text


def test_an_unknown_order_or_payment_page_is_a_404(client):
    assert client.get("/order/not-a-token/").status_code == 404
    assert client.get("/order/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/pay/test/00000000-0000-0000-0000-000000000000/").status_code == 404


def _file(name: str, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode())


def test_reloading_a_quick_order_report_does_not_add_again(client, drill):
    client.force_login(make_company_user(make_company("ACME"), CompanyRole.BUYER))
    report = client.post("/quick-order/", {"pad": f"{drill.sku} 2\nNOPE 1\n"}, follow=True)
    assert "1 added, 1 not added." in report.text
    again = client.get("/quick-order/")
    assert "1 added, 1 not added." not in again.text
    assert [line.quantity for line in CartLine.objects.all()] == [2]


def test_a_company_buyer_can_ask_at_checkout_for_the_order_to_repeat(client, drill):
    """Ticking "repeat every 2 weeks" keeps the order as a recurring one, first due in two weeks."""
    from datetime import timedelta

    from django.utils import timezone

    from tandem.orders.models import RecurringOrder

    company = make_company("ACME", credit_limit=Decimal("5000"))
    address = company_address(company)
    client.force_login(make_company_user(company, CompanyRole.BUYER))
    client.post("/cart/add/", {"sku": drill.sku, "quantity": "3"})
    assert 'data-testid="repeat"' in client.get("/checkout/").text
    client.post(
        "/checkout/",
        {
            **checkout_form(client),
            "delivery_method": "courier",
            "payment_method": "on_account",
            "address_id": address.pk,
            "repeat_every": "2",
            "repeat_unit": "week",
        },
    )
    order = Order.objects.get()
    recurring = RecurringOrder.objects.get()
    assert recurring.items == [
        {"variant_id": drill.pk, "sku": drill.sku, "quantity": 3, "unit_price": "100.00"}
    ]
    assert recurring.next_run == timezone.localdate() + timedelta(weeks=2)
    assert (recurring.every, recurring.unit, recurring.payment_method) == (2, "week", order.payment_method)


def test_a_guest_is_not_offered_a_recurring_order(client, drill):
    client.post("/cart/add/", {"sku": drill.sku, "quantity": "1"})
    assert 'data-testid="repeat"' not in client.get("/checkout/").text


def test_a_retail_customers_saved_address_is_chosen_already_and_the_order_goes_there(client, drill):
    from tandem.customers.models import Address

    anna = make_user("anna@shop.test")
    Address.objects.create(
        user=anna,
        recipient="Anna Office",
        street="Biurowa 1",
        postal_code="00-001",
        city="Warszawa",
        country="PL",
    )
    home = Address.objects.create(
        user=anna,
        recipient="Anna Nowak",
        street="Polna 2",
        postal_code="00-950",
        city="Warszawa",
        country="PL",
        is_default=True,
    )
    client.force_login(anna)
    client.post("/cart/add/", {"sku": drill.sku, "quantity": "1"})
    page = client.get("/checkout/").text
    assert f'<option value="{home.pk}" selected>' in page
    response = client.post(
        "/checkout/",
        {
            **checkout_form(client),
            "delivery_method": "courier",
            "payment_method": "bank_transfer",
            "address_id": home.pk,
        },
    )
    order = Order.objects.get()
    assert response["Location"] == f"/order/{order.token}/"
    assert order.shipping_address["street"] == "Polna 2"


def test_the_customers_order_page_has_all_it_takes_to_reconcile_in_their_language(client, drill):
    """Lines, the discount, delivery and its price, the address, VAT per rate, the total and,
    for an unpaid bank transfer, where to pay — amounts as Polish writes them."""
    make_coupon("SAVE10", value="10")
    anna = make_user("anna@shop.test")
    client.force_login(anna)
    client.post("/cart/add/", {"sku": drill.sku, "quantity": "1"})
    client.post("/cart/coupon/", {"code": "save10"})
    client.post(
        "/checkout/",
        {
            **checkout_form(client),
            "delivery_method": "courier",
            "payment_method": "bank_transfer",
            "recipient": "Anna Nowak",
            "street": "Polna 1",
            "postal_code": "00-001",
            "city": "Kraków",
            "country": "PL",
        },
    )
    order = Order.objects.get()
    client.cookies["django_language"] = "pl"
    page = client.get(f"/account/orders/{order.number}/").text
    assert "SAVE10" in page and "−12,30 PLN" in page  # the discount, localised
    assert "Polna 1" in page and "Kraków" in page  # the address
    assert "12,30 PLN" in page  # delivery
    assert "VAT 23 %" in page or "23 %" in page
    assert 'data-testid="transfer-instructions"' in page and "PL61 1090" in page
    assert "123,00 PLN" in page
