from decimal import Decimal

import pytest

from tandem.checkout.services import order_place
from tandem.customers.models import CompanyRole
from tests.checkout.conftest import company_details
from tests.factories import (
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    user_context,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def company_order():
    make_delivery("courier")
    company = make_company("ACME", credit_limit=Decimal("10000"))
    buyer = make_company_user(company, CompanyRole.BUYER)
    variant = make_product("Drill", net="10.00", gross=None, stock=10).variants.get()
    order = order_place(
        cart=make_cart(user=buyer, lines=[(variant, 2)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(company).pk),
    )
    return order, company, buyer, variant


def test_a_colleague_finds_the_companys_order_by_sku_and_po(client, company_order):
    order, company, _buyer, variant = company_order
    client.force_login(make_company_user(company, CompanyRole.ACCOUNTANT))
    for query in (variant.sku, "PO-77", order.number, "drill"):
        assert order.number in client.get("/account/orders/", {"q": query}).text, query
    assert order.number not in client.get("/account/orders/", {"q": "nothing-like-it"}).text
    assert order.number not in client.get("/account/orders/", {"status": "shipped"}).text


def test_another_companys_order_is_a_404(client, company_order):
    order, _company, _buyer, _variant = company_order
    client.force_login(make_company_user(make_company("Other")))
    assert client.get(f"/account/orders/{order.number}/").status_code == 404
    assert client.post(f"/account/orders/{order.number}/cancel/").status_code == 404
    assert order.number not in client.get("/account/orders/").text


def test_the_buyer_cancels_and_reorders_from_the_order_page(client, company_order):
    order, _company, buyer, variant = company_order
    client.force_login(buyer)
    page = client.get(f"/account/orders/{order.number}/")
    assert 'data-testid="cancel-order"' in page.text and "Why this price?" in page.text
    client.post(f"/account/orders/{order.number}/cancel/")
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert 'data-testid="cancel-order"' not in client.get(f"/account/orders/{order.number}/").text
    report = client.post(f"/account/orders/{order.number}/reorder/", follow=True)
    assert "1 added, 0 not added." in report.text
    assert buyer.cart.lines.get().variant == variant


def test_orders_over_the_api_search_and_status(client, company_order):
    order, _company, buyer, variant = company_order
    client.force_login(buyer)
    found = client.get("/api/v1/orders", {"q": variant.sku}).json()
    assert [item["number"] for item in found] == [order.number]
    refused = client.post(
        f"/api/v1/orders/{order.number}/status", {"status": "shipped"}, content_type="application/json"
    )
    assert refused.status_code == 403
    cancelled = client.post(
        f"/api/v1/orders/{order.number}/status", {"status": "cancelled"}, content_type="application/json"
    )
    assert cancelled.json()["status"] == "cancelled"
    again = client.post(
        f"/api/v1/orders/{order.number}/status", {"status": "placed"}, content_type="application/json"
    )
    assert again.status_code in (403, 409)


def test_the_order_history_exports_to_csv_and_xlsx_with_the_same_filters(client, company_order):
    import io

    from openpyxl import load_workbook

    order, _company, buyer, variant = company_order
    client.force_login(buyer)
    csv_text = b"".join(client.get("/account/orders/export.csv", {"q": variant.sku}).streaming_content)
    header, row = csv_text.decode("utf-8-sig").splitlines()
    assert header.startswith("Number,Date,Status") and row.startswith(f"{order.number},")
    assert row.endswith(",30.00,6.90,36.90,PLN")  # goods 20.00 + courier 10.00 net, 23 % VAT
    book = load_workbook(io.BytesIO(client.get("/account/orders/export.xlsx").content))
    assert book.active["A2"].value == order.number
    empty = b"".join(client.get("/account/orders/export.csv", {"q": "nothing"}).streaming_content)
    assert len(empty.decode("utf-8-sig").splitlines()) == 1


def test_a_past_order_is_saved_as_a_shopping_list(client, company_order):
    order, _company, buyer, variant = company_order
    client.force_login(buyer)
    response = client.post(f"/account/orders/{order.number}/save-as-list/")
    assert response.status_code == 302
    saved = buyer.shopping_lists.get()
    assert saved.name == order.number and saved.lines.get().variant == variant


def test_reloading_the_reorder_result_does_not_add_again(client, company_order):
    order, _company, buyer, variant = company_order
    client.force_login(buyer)
    result = client.post(f"/account/orders/{order.number}/reorder/", follow=True)
    assert "1 added, 0 not added." in result.text
    client.get(f"/account/orders/{order.number}/reorder/result/")
    assert buyer.cart.lines.get().quantity == 2


def test_exports_neutralise_formulas_and_control_characters(client, company_order):
    order, _company, buyer, _variant = company_order
    type(order).objects.filter(pk=order.pk).update(po_number='=HYPERLINK("x")\x01')
    client.force_login(buyer)
    content = b"".join(client.get("/account/orders/export.csv").streaming_content)
    row = content.decode("utf-8-sig").splitlines()[1]
    assert "'=HYPERLINK" in row and "\x01" not in row
    assert client.get("/account/orders/export.xlsx").status_code == 200
