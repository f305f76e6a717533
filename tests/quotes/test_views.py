"""The quote pages of the client panel and the rep panel, and the quotes API."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.quotes.models import OfferStatus, Quote, QuoteStatus
from tests.factories import make_company, make_company_user
from tests.quotes.conftest import TODAY, offer, request, staff

pytestmark = pytest.mark.django_db


def test_a_buyer_requests_a_quote_on_the_page_with_a_file(client, shop):
    client.force_login(shop["buyer"])
    response = client.post(
        "/account/quotes/new/",
        {
            "lines": f"{shop['drill'].sku} 20 85,00\n\n{shop['saw'].sku}\t10",
            "message": "Delivery to the site, please.",
            "files": [SimpleUploadedFile("plan.pdf", b"%PDF-1.4", content_type="application/pdf")],
        },
    )
    quote = Quote.objects.get()
    assert response["Location"] == f"/account/quotes/{quote.pk}/"
    assert quote.requested_lines.count() == 2 and quote.attachments.count() == 1
    page = client.get(f"/account/quotes/{quote.pk}/")
    assert 'data-testid="awaiting-offer"' in page.text and "plan.pdf" in page.text
    download = client.get(f"/account/quotes/{quote.pk}/files/{quote.attachments.get().pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4"


def test_bad_lines_are_shown_with_their_line_numbers_and_the_input_kept(client, shop):
    client.force_login(shop["buyer"])
    response = client.post("/account/quotes/new/", {"lines": "NOPE 3\nx", "message": ""})
    assert response.status_code == 400 and "Line 1" in response.text and "Line 2" in response.text
    assert "NOPE 3" in response.text and not Quote.objects.exists()


def test_a_quote_from_the_cart(client, shop):
    client.force_login(shop["buyer"])
    client.post("/cart/add/", {"sku": shop["drill"].sku, "quantity": "5"})
    assert 'data-testid="quote-from-cart"' in client.get("/cart/").text
    response = client.post("/cart/request-quote/", {"message": "Better price for 5?"})
    quote = Quote.objects.get()
    assert response["Location"] == f"/account/quotes/{quote.pk}/"
    assert list(quote.requested_lines.values_list("quantity", flat=True)) == [5]


def test_the_buyer_reads_the_offer_and_accepts_it_on_the_page(client, shop):
    quote = request(shop)
    offer(shop, quote)
    client.force_login(shop["buyer"])
    page = client.get(f"/account/quotes/{quote.pk}/")
    assert 'data-testid="accept-form"' in page.text and "2,767.50" in page.text
    assert "70.00" not in page.text  # the purchase price never reaches the customer
    pdf = client.get(f"/account/quotes/{quote.pk}/offers/1.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    response = client.post(
        f"/account/quotes/{quote.pk}/offers/1/accept/",
        {
            "address_id": shop["address"].pk,
            "delivery_method": "courier",
            "payment_method": "on_account",
            "po_number": "PO-9",
        },
    )
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED
    assert response["Location"] == f"/account/orders/{quote.order.number}/"
    assert quote.order.po_number == "PO-9"


def test_another_company_gets_404_everywhere(client, shop):
    quote = request(shop)
    offer(shop, quote)
    client.force_login(make_company_user(make_company("Other"), "admin"))
    for url in (
        f"/account/quotes/{quote.pk}/",
        f"/account/quotes/{quote.pk}/offers/1.pdf",
        f"/api/v1/quotes/{quote.pk}",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/account/quotes/{quote.pk}/offers/1/accept/", {}).status_code == 404
    assert (
        client.post(
            f"/api/v1/quotes/{quote.pk}/offers/1/accept", {}, content_type="application/json"
        ).status_code
        == 404
    )


def test_the_rep_builds_and_sends_an_offer_in_the_builder(client, shop):
    quote = request(shop)
    client.force_login(shop["rep"])
    assert quote.number in client.get("/rep/quotes/").text
    page = client.get(f"/rep/quotes/{quote.pk}/")
    assert 'value="85.00"' in page.text  # the buyer's target price is the starting point
    form = {
        "sku": [shop["drill"].sku, shop["saw"].sku, ""],
        "quantity": ["20", "10", ""],
        "unit_price": ["90.00", "", ""],
        "discount_percent": ["", "10", ""],
        "valid_until": (TODAY + timedelta(days=10)).isoformat(),
        "delivery_terms": "3 days",
    }
    client.post(f"/rep/quotes/{quote.pk}/draft/", {**form, "action": "save"})
    page = client.get(f"/rep/quotes/{quote.pk}/")
    assert 'data-testid="builder-row"' in page.text and "22.2 %" in page.text  # margin on 90 over 70
    client.post(f"/rep/quotes/{quote.pk}/draft/", {**form, "action": "send"})
    assert quote.offers.get().status == OfferStatus.SENT


def test_a_price_under_the_floor_is_kept_as_a_draft_with_the_reason(client, shop):
    quote = request(shop)
    client.force_login(shop["rep"])
    response = client.post(
        f"/rep/quotes/{quote.pk}/draft/",
        {
            "sku": [shop["drill"].sku],
            "quantity": ["20"],
            "unit_price": ["60"],
            "discount_percent": [""],
            "valid_until": (TODAY + timedelta(days=10)).isoformat(),
            "action": "send",
        },
        follow=True,
    )
    assert "below the floor of 73.50" in response.text
    assert quote.offers.get().status == OfferStatus.DRAFT


def test_another_rep_and_customers_cannot_open_the_builder(client, shop):
    quote = request(shop)
    client.force_login(staff("other@shop.test", "Sales rep"))
    assert client.get(f"/rep/quotes/{quote.pk}/").status_code == 404
    client.force_login(shop["buyer"])
    assert client.get(f"/rep/quotes/{quote.pk}/").status_code == 403


def test_the_whole_negotiation_over_the_api(client, shop):
    client.force_login(shop["buyer"])
    created = client.post(
        "/api/v1/quotes",
        {"lines": [{"sku": shop["drill"].sku, "quantity": 20}], "message": "Site delivery"},
        content_type="application/json",
    )
    assert created.status_code == 201
    quote_id = created.json()["id"]
    client.force_login(shop["rep"])
    draft = client.put(
        f"/api/v1/quotes/{quote_id}/draft",
        {
            "lines": [{"sku": shop["drill"].sku, "quantity": 20, "unit_price": "60.00"}],
            "valid_until": (TODAY + timedelta(days=5)).isoformat(),
            "send": True,
        },
        content_type="application/json",
    )
    assert draft.status_code == 400 and draft.json()["code"] == "below_price_floor"
    assert draft.json()["lines"][0]["sku"] == shop["drill"].sku
    sent = client.put(
        f"/api/v1/quotes/{quote_id}/draft",
        {
            "lines": [{"sku": shop["drill"].sku, "quantity": 20, "discount_percent": "5"}],
            "valid_until": (TODAY + timedelta(days=5)).isoformat(),
            "send": True,
        },
        content_type="application/json",
    )
    assert sent.json()["status"] == "sent" and sent.json()["lines"][0]["unit_price"] == "95.00"
    client.force_login(shop["buyer"])
    assert (
        client.post(
            f"/api/v1/quotes/{quote_id}/comments", {"text": "OK"}, content_type="application/json"
        ).status_code
        == 201
    )
    body = {"address_id": shop["address"].pk}
    order = client.post(f"/api/v1/quotes/{quote_id}/offers/1/accept", body, content_type="application/json")
    assert order.status_code == 201 and order.json()["total_net"] == "1900.00"
    again = client.post(f"/api/v1/quotes/{quote_id}/offers/1/accept", body, content_type="application/json")
    assert again.json()["number"] == order.json()["number"]
    assert client.get(f"/api/v1/quotes/{quote_id}").json()["status"] == "accepted"
    pdf = client.get(f"/api/v1/quotes/{quote_id}/offers/1.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_huge_offset_is_a_clear_422_not_a_server_error(client, shop):
    client.force_login(shop["buyer"])
    for url in ("/api/v1/quotes", "/api/v1/resale-offers"):
        response = client.get(url, {"offset": "99999999999999999999"})
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "offset"
