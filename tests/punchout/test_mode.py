"""Punchout mode holds the browser to shopping: the buyer's account (quotes, orders, the
company's users, keys and punchout secrets) stays closed until the cart is transferred."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from tandem.customers.roles import staff_roles_sync
from tandem.orders.models import Order
from tandem.punchout.models import PunchoutCredential
from tandem.quotes.services import (
    OfferLineInput,
    OfferTerms,
    RequestedLine,
    offer_draft_save,
    offer_send,
    quote_request,
)
from tests.factories import user_context
from tests.punchout.conftest import connect
from tests.punchout.test_oci import add, oci_login
from tests.quotes.conftest import staff

pytestmark = pytest.mark.django_db

GUARD = "tandem.punchout.middleware.PunchoutModeMiddleware"


def test_the_punchout_guard_is_installed():
    assert GUARD in settings.MIDDLEWARE


def sent_offer(shop):
    """ACME's buyer asked for two drills; their rep offers them at 90.00."""
    staff_roles_sync()
    rep = staff("quoting-rep@shop.test", "Sales rep")
    shop.acme.sales_rep = rep
    shop.acme.save()
    quote = quote_request(
        user=shop.buyer,
        context=user_context(shop.buyer),
        message="Two drills",
        lines=[RequestedLine(shop.drill.sku, "2", "")],
    )
    offer_draft_save(
        rep=rep,
        quote=quote,
        lines=[OfferLineInput(shop.drill.sku, 2, unit_price="90.00")],
        terms=OfferTerms(
            valid_until=timezone.localdate() + timedelta(days=7),
            delivery_terms="",
            payment_terms="",
            notes="",
        ),
    )
    offer_send(rep=rep, quote=quote)
    return quote


def test_a_punchout_browser_cannot_accept_a_quote_and_order_past_the_procurement_system(client, shop):
    quote = sent_offer(shop)
    _credential, password = connect(shop, protocol="oci", identity="acme-sap")
    oci_login(client, "acme-sap", password)

    response = client.post(
        f"/account/quotes/{quote.pk}/offers/1/accept/",
        {"address_id": shop.address.pk, "delivery_method": "courier", "payment_method": "on_account"},
    )

    assert response.status_code == 403
    assert not Order.objects.exists()


def test_a_punchout_browser_signed_in_as_the_company_admin_cannot_rotate_the_punchout_secret(client, shop):
    credential, password = connect(shop, protocol="oci", identity="acme-sap", buyer=shop.admin)
    oci_login(client, "acme-sap", password)
    before = credential.secret_hash

    response = client.post(f"/account/company/punchout/{credential.pk}/rotate/")

    assert response.status_code == 403
    assert PunchoutCredential.objects.get(pk=credential.pk).secret_hash == before


@pytest.mark.parametrize(
    "path",
    [
        "/account/",
        "/account/orders/",
        "/account/company/",
        "/account/company/feeds/",
        "/account/quotes/",
        "/account/lists/",
        "/admin/",
        "/api/v1/punchout/credentials",
        "/api/v1/orders",
    ],
)
def test_the_buyers_account_is_closed_in_punchout_mode(client, shop, path):
    _credential, password = connect(shop, protocol="oci", identity="acme-sap", buyer=shop.admin)
    oci_login(client, "acme-sap", password)

    assert client.get(path).status_code == 403


def test_the_api_answers_a_problem_in_punchout_mode(client, shop):
    _credential, password = connect(shop, protocol="oci", identity="acme-sap")
    oci_login(client, "acme-sap", password)

    response = client.get("/api/v1/orders")

    assert (response.status_code, response.json()["code"]) == (403, "punchout_mode")


@pytest.mark.parametrize("path", ["/", "/cart/", "/compare/", "/search/?q=drill", "/quick-order/"])
def test_shopping_stays_open_in_punchout_mode(client, shop, path):
    _credential, password = connect(shop, protocol="oci", identity="acme-sap")
    oci_login(client, "acme-sap", password)

    assert client.get(path).status_code == 200


def test_the_cart_fills_and_goes_back_in_punchout_mode(client, shop):
    _credential, password = connect(shop, protocol="oci", identity="acme-sap")
    oci_login(client, "acme-sap", password)

    added = add(client, shop.drill.sku, 2)
    product = client.get(shop.drill.product.get_absolute_url())
    transferred = client.post("/punchout/transfer/")

    assert (added.status_code < 300, product.status_code, transferred.status_code) == (True, 200, 200)


def test_after_the_transfer_the_account_is_the_buyers_again(client, shop):
    _credential, password = connect(shop, protocol="oci", identity="acme-sap")
    oci_login(client, "acme-sap", password)
    add(client, shop.drill.sku, 1)
    client.post("/punchout/transfer/")
    client.force_login(shop.buyer)

    assert client.get("/account/orders/").status_code == 200
