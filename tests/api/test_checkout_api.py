import json
from decimal import Decimal

import pytest

from tandem.billing.models import Payment, PaymentCallback
from tandem.billing.payments.providers import TestProvider
from tandem.customers.api_auth import api_token_create
from tandem.orders.models import Order
from tests.factories import (
    company_address,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
)

pytestmark = pytest.mark.django_db

ADDRESS = {
    "recipient": "Guest",
    "street": "Polna 1",
    "postal_code": "00-001",
    "city": "Kraków",
    "country": "PL",
}
JSON = {"content_type": "application/json"}


@pytest.fixture
def drill():
    make_delivery("courier", price_net="10.00")
    return make_product("Drill", gross="123.00", net="100.00", stock=5).variants.get()


def test_a_guest_cart_lives_in_the_session_and_reports_problems_per_field(client, drill):
    cart = client.post("/api/v1/cart/lines", {"sku": drill.sku, "quantity": 2}, **JSON)
    assert cart.status_code == 200
    [line] = cart.json()["lines"]
    assert (line["quantity"], line["total"], line["price"]["explanation"][0]) == (
        2,
        "246.00",
        "list price 123.00 PLN (gross)",
    )
    too_many = client.post("/api/v1/cart/lines", {"sku": drill.sku, "quantity": 9}, **JSON)
    assert too_many.status_code == 400 and too_many.json()["code"] == "insufficient_stock"
    zero = client.post("/api/v1/cart/lines", {"sku": drill.sku, "quantity": 0}, **JSON)
    assert zero.status_code == 422
    unknown = client.post("/api/v1/cart/lines", {"sku": "NOPE", "quantity": 1}, **JSON)
    problem = unknown.json()
    assert (
        unknown["Content-Type"] == "application/problem+json"
        and problem["request_id"] == unknown["X-Request-ID"]
    )
    assert {
        key: problem[key] for key in ("type", "title", "status", "code", "detail", "field", "errors")
    } == {
        "type": "urn:tandem:problem:unknown_sku",
        "title": "Bad Request",
        "status": 400,
        "code": "unknown_sku",
        "detail": "There is no product with SKU NOPE.",
        "field": "sku",
        "errors": [{"field": "sku", "code": "unknown_sku", "message": "There is no product with SKU NOPE."}],
    }
    removed = client.patch(f"/api/v1/cart/lines/{line['id']}", {"quantity": 0}, **JSON)
    assert removed.json()["lines"] == []


def test_checkout_over_the_api_is_idempotent_by_key(client, drill):
    client.post("/api/v1/cart/lines", {"sku": drill.sku, "quantity": 1}, **JSON)
    body = {
        "email": "guest@shop.test",
        "delivery_method": "courier",
        "payment_method": "online",
        "address": ADDRESS,
    }
    first = client.post("/api/v1/checkout", body, **JSON, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    order = first.json()
    assert order["total_gross"] == "135.30" and order["payment_url"].startswith("/pay/test/")
    again = client.post("/api/v1/checkout", body, **JSON, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again.json()["number"] == order["number"]
    assert Order.objects.count() == 1
    other = client.post(
        "/api/v1/checkout", {**body, "email": "else@shop.test"}, **JSON, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_checkout_with_an_empty_cart_is_a_clear_error(client, drill):
    response = client.post(
        "/api/v1/checkout",
        {"email": "a@b.pl", "delivery_method": "courier", "payment_method": "online", "address": ADDRESS},
        **JSON,
    )
    assert response.status_code == 400 and response.json()["code"] == "cart_empty"


def test_an_integration_quick_orders_and_orders_with_a_bearer_token(client, drill):
    company = make_company("ACME", credit_limit=Decimal("10000"))
    address = company_address(company)
    _token, key = api_token_create(user=make_company_user(company), name="ERP")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    report = client.post(
        "/api/v1/cart/quick-order",
        {
            "lines": [
                {"sku": drill.sku, "quantity": "2"},
                {"sku": drill.sku, "quantity": "1"},
                {"sku": "NOPE", "quantity": "1"},
                {"sku": drill.sku, "quantity": "1.5"},
            ]
        },
        **JSON,
        **auth,
    ).json()
    assert (report["added"], report["refused"]) == (1, 2)
    assert [(r["sku"], r["added"], r["code"]) for r in report["results"]] == [
        (drill.sku, True, ""),
        ("NOPE", False, "unknown_sku"),
        (drill.sku, False, "quantity_invalid"),
    ]
    assert report["cart"]["lines"][0]["quantity"] == 3 and report["cart"]["prices_include_tax"] is False
    order = client.post(
        "/api/v1/checkout",
        {
            "delivery_method": "courier",
            "payment_method": "on_account",
            "address_id": address.pk,
            "po_number": "ERP-1",
        },
        **JSON,
        **auth,
    )
    assert order.status_code == 201 and order.json()["po_number"] == "ERP-1"
    number = order.json()["number"]
    assert client.get(f"/api/v1/orders/{number}", **auth).json()["total_net"] == "310.00"
    # another company's user cannot see it
    _other, other_key = api_token_create(user=make_company_user(make_company("Other")), name="x")
    assert client.get(f"/api/v1/orders/{number}", HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code == 404


def test_a_wrong_token_is_refused(client):
    assert client.get("/api/v1/cart", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert client.get("/api/v1/orders").status_code == 401


def test_the_quick_order_file_endpoint_reads_csv(client, drill):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("order.csv", f"sku,quantity\n{drill.sku},2\n".encode())
    report = client.post("/api/v1/cart/quick-order/file", {"file": upload}).json()
    assert report["added"] == 1


def test_the_price_list_csv_lists_the_callers_prices(client, drill):
    rows = b"".join(client.get("/api/v1/catalog/price-list.csv").streaming_content).decode("utf-8-sig")
    header, line = rows.splitlines()[:2]
    assert header.startswith("sku,ean,name") and line.startswith(f"{drill.sku},") and ",123.00," in line


def test_the_price_list_csv_never_hands_a_spreadsheet_a_formula(client):
    make_product('=HYPERLINK("http://evil.example","click")', gross="10.00")
    rows = b"".join(client.get("/api/v1/catalog/price-list.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in rows and ',"=HYPERLINK' not in rows and ",=HYPERLINK" not in rows


# --- payment notifications -------------------------------------------------------------------


@pytest.fixture
def pending_payment(client, drill) -> Payment:
    client.post("/api/v1/cart/lines", {"sku": drill.sku, "quantity": 1}, **JSON)
    client.post(
        "/api/v1/checkout",
        {
            "email": "guest@shop.test",
            "delivery_method": "courier",
            "payment_method": "online",
            "address": ADDRESS,
        },
        **JSON,
    )
    return Payment.objects.get()


def notify(client, body: bytes, signature: str):
    return client.post("/api/v1/payments/notify/test", body, **JSON, HTTP_X_SIGNATURE=signature)


def signed(payment: Payment, *, event_id: str = "evt-1", amount: str | None = None) -> tuple[bytes, str]:
    provider = TestProvider()
    body = provider.notification_body(
        event_id=event_id,
        reference=str(payment.reference),
        status="paid",
        amount=Decimal(amount) if amount else payment.amount,
        currency=payment.currency,
    )
    return body, provider.sign(body)


def test_a_signed_notification_marks_the_order_paid_once(client, pending_payment):
    body, signature = signed(pending_payment)
    assert notify(client, body, signature).json() == {"outcome": "accepted"}
    assert notify(client, body, signature).json() == {"outcome": "duplicate"}  # replayed
    pending_payment.order.refresh_from_db()
    assert pending_payment.order.payment_status == "paid"
    assert pending_payment.order.events.filter(kind="payment_paid").count() == 1


@pytest.mark.parametrize(
    "tamper", ["signature", "amount", "body"], ids=["bad-signature", "wrong-amount", "edited"]
)
def test_a_tampered_notification_is_rejected_logged_and_changes_nothing(client, pending_payment, tamper):
    body, signature = signed(pending_payment, amount="1.00" if tamper == "amount" else None)
    if tamper == "signature":
        signature = "0" * 64
    if tamper == "body":
        body = body.replace(b'"paid"', b'"paid" ')
    response = notify(client, body, signature)
    assert response.status_code == 400
    pending_payment.refresh_from_db()
    assert pending_payment.status == "pending" and pending_payment.order.payment_status == "awaiting"
    assert PaymentCallback.objects.get().outcome in {"bad_signature", "amount_mismatch"}


def test_a_notification_for_an_unknown_payment_is_rejected(client):
    provider = TestProvider()
    body = json.dumps(
        {
            "event_id": "e",
            "reference": "00000000-0000-0000-0000-000000000000",
            "status": "paid",
            "amount": "1.00",
            "currency": "PLN",
        }
    ).encode()
    assert notify(client, body, provider.sign(body)).status_code == 400


def test_money_arriving_after_a_reported_failure_still_marks_the_order_paid(client, pending_payment):
    provider = TestProvider()
    failed = provider.notification_body(
        event_id="evt-f",
        reference=str(pending_payment.reference),
        status="failed",
        amount=pending_payment.amount,
        currency="PLN",
    )
    assert notify(client, failed, provider.sign(failed)).json() == {"outcome": "accepted"}
    body, signature = signed(pending_payment, event_id="evt-p")
    assert notify(client, body, signature).json() == {"outcome": "accepted"}
    pending_payment.order.refresh_from_db()
    assert pending_payment.order.payment_status == "paid"


def test_without_an_enabled_provider_online_payment_is_not_offered(client, drill, settings):
    settings.PAYMENT_TEST_ENABLED = False
    assert client.get("/api/v1/checkout/options").json()["payment_methods"] == ["bank_transfer"]
    client.post("/api/v1/cart/lines", {"sku": drill.sku, "quantity": 1}, **JSON)
    refused = client.post(
        "/api/v1/checkout",
        {"email": "a@b.pl", "delivery_method": "courier", "payment_method": "online", "address": ADDRESS},
        **JSON,
    )
    assert refused.json()["code"] == "payment_method_invalid"
    assert client.get("/pay/test/00000000-0000-0000-0000-000000000000/").status_code == 404
