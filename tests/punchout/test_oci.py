"""SAP's side of OCI punchout, played with the test client: sign in with the connection's user
name and password, shop, transfer the cart back to the HOOK_URL."""

from decimal import Decimal

import pytest
from lxml import html

from tandem.customers.selectors import company_context_for
from tandem.orders.models import Order
from tandem.pricing.selectors import prices_for_variants
from tandem.punchout.models import PunchoutSession, SessionStatus
from tests.punchout.conftest import HOOK_URL, connect

pytestmark = pytest.mark.django_db


def oci_login(client, username: str, password: str, hook_url: str = HOOK_URL, method: str = "get"):
    return getattr(client, method)(
        "/punchout/oci/", {"USERNAME": username, "PASSWORD": password, "HOOK_URL": hook_url, "language": "en"}
    )


def add(client, sku: str, quantity: int):
    return client.post(
        "/api/v1/cart/lines", {"sku": sku, "quantity": quantity}, content_type="application/json"
    )


def returned_fields(response) -> dict[str, str]:
    form = html.fromstring(response.content).xpath("//form[@data-punchout-return]")[0]
    assert form.get("action") == HOOK_URL
    return {field.get("name"): field.get("value") for field in form.xpath(".//input[@type='hidden']")}


def test_the_cart_goes_back_to_sap_with_the_companys_prices_units_and_skus(client, shop):
    _credential, password = connect(shop, protocol="oci", identity="acme-sap", vendor_number="V-900")

    assert oci_login(client, "acme-sap", password).status_code == 302
    assert add(client, shop.drill.sku, 3).status_code < 300
    assert add(client, shop.special.sku, 2).status_code < 300
    response = client.post("/punchout/transfer/")

    assert response.status_code == 200
    fields = returned_fields(response)
    context = company_context_for(shop.acme, user_id=shop.buyer.pk, language="en")
    prices = prices_for_variants(
        context, [(shop.drill.pk, shop.drill.tax_class_id), (shop.special.pk, shop.special.tax_class_id)]
    )
    assert {name: fields[name] for name in fields if name.endswith("[1]")} == {
        "NEW_ITEM-DESCRIPTION[1]": "Cordless drill — Variant 1",
        "NEW_ITEM-QUANTITY[1]": "3",
        "NEW_ITEM-UNIT[1]": "PCE",
        "NEW_ITEM-PRICE[1]": str(prices[shop.drill.pk].unit_net),
        "NEW_ITEM-PRICEUNIT[1]": "1",
        "NEW_ITEM-CURRENCY[1]": "PLN",
        "NEW_ITEM-VENDORMAT[1]": "DRILL-18V",
        "NEW_ITEM-MATGROUP[1]": shop.drill.product.category.slug,
        "NEW_ITEM-VENDOR[1]": "V-900",
        "NEW_ITEM-LEADTIME[1]": "",
        "NEW_ITEM-EXT_PRODUCT_ID[1]": "5901234123457",
    }
    assert prices[shop.drill.pk].unit_net == Decimal("100.00")
    assert (fields["NEW_ITEM-PRICE[2]"], fields["NEW_ITEM-UNIT[2]"], fields["NEW_ITEM-VENDORMAT[2]"]) == (
        str(prices[shop.special.pk].unit_net),
        "BX",
        shop.special.sku,
    )
    assert "NEW_ITEM-LONGTEXT_1:132[]" in fields
    assert "form-action 'self' https://sap.acme.example" in response["Content-Security-Policy"]
    session = PunchoutSession.objects.get()
    assert (session.status, session.lines_transferred) == (SessionStatus.TRANSFERRED, 2)


def test_the_transfer_page_submits_itself_from_a_static_script_not_an_inline_one(client, shop):
    _credential, password = connect(shop, protocol="oci", identity="acme-sap")
    oci_login(client, "acme-sap", password)
    add(client, shop.drill.sku, 1)

    page = html.fromstring(client.post("/punchout/transfer/").content)

    assert [script.get("src") for script in page.xpath("//script")] == ["/static/punchout/transfer.js"]
    assert all(not (script.text or "").strip() for script in page.xpath("//script"))
    assert page.xpath("//form[@data-punchout-return]//button[@type='submit']")


def test_after_the_transfer_the_browser_is_signed_out(client, shop):
    _credential, password = connect(shop, protocol="oci", identity="acme-sap")
    oci_login(client, "acme-sap", password)
    add(client, shop.drill.sku, 1)

    client.post("/punchout/transfer/")

    assert "_auth_user_id" not in client.session


def test_the_shop_shows_the_punchout_banner_and_no_checkout_link(client, shop):
    _credential, password = connect(shop, protocol="oci", identity="acme-sap", name="SAP S/4HANA")
    oci_login(client, "acme-sap", password)
    add(client, shop.drill.sku, 1)

    home = client.get("/").content.decode()
    cart = client.get("/cart/").content.decode()

    assert "Punchout session — transfer your cart to SAP S/4HANA" in home
    assert 'data-testid="punchout-transfer"' in cart
    assert 'data-testid="to-checkout"' not in cart


def test_the_checkout_refuses_in_punchout_mode(client, shop):
    _credential, password = connect(shop, protocol="oci", identity="acme-sap")
    oci_login(client, "acme-sap", password)
    add(client, shop.drill.sku, 1)

    page = client.get("/checkout/")
    api = client.post(
        "/api/v1/checkout",
        {"delivery_method": "courier", "payment_method": "on_account", "address_id": shop.address.pk},
        content_type="application/json",
    )

    # the punchout guard answers first; the checkout would refuse a punchout cart too
    assert page.status_code == 403 and "punchout" in page.content.decode().lower()
    assert (api.status_code, api.json()["code"]) == (403, "punchout_mode")
    assert not Order.objects.exists()


def test_the_punchout_cart_is_not_the_buyers_own_cart(client, shop):
    _credential, password = connect(shop, protocol="oci", identity="acme-sap")
    oci_login(client, "acme-sap", password)

    add(client, shop.drill.sku, 1)

    assert not hasattr(shop.buyer, "cart") or shop.buyer.cart.lines.count() == 0
    assert PunchoutSession.objects.get().cart.lines.count() == 1


@pytest.mark.parametrize(
    ("username", "password", "hook_url", "status"),
    [
        ("acme-sap", "wrong", HOOK_URL, 401),
        ("nobody", "", HOOK_URL, 401),
        ("acme-sap", None, "javascript:alert(1)", 400),
        ("acme-sap", None, "ftp://sap.acme.example/", 400),
        ("acme-sap", None, "https://user:pw@sap.acme.example/", 400),
    ],
    ids=["wrong-password", "unknown-user", "script-hook", "ftp-hook", "credentials-in-hook"],
)
def test_a_bad_login_opens_no_session(client, shop, username, password, hook_url, status):
    _credential, secret = connect(shop, protocol="oci", identity="acme-sap")

    response = oci_login(client, username, secret if password is None else password, hook_url)

    assert response.status_code == status
    assert not PunchoutSession.objects.exists()
    assert "_auth_user_id" not in client.session


def test_lowercase_parameters_by_post_are_accepted(client, shop):
    _credential, password = connect(shop, protocol="oci", identity="acme-sap")

    response = client.post(
        "/punchout/oci/", {"username": "acme-sap", "password": password, "hook_url": HOOK_URL}
    )

    assert response.status_code == 302
    assert PunchoutSession.objects.get().return_url == HOOK_URL


def test_a_switched_off_connection_cannot_sign_in(client, shop):
    credential, password = connect(shop, protocol="oci", identity="acme-sap")
    credential.is_active = False
    credential.save()

    assert oci_login(client, "acme-sap", password).status_code == 401


def test_another_companys_connection_shops_with_that_companys_assortment(client, shop):
    _credential, password = connect(shop, protocol="oci", identity="other-sap", buyer=shop.other_buyer)
    oci_login(client, "other-sap", password)

    refused = add(client, shop.special.sku, 1)
    add(client, shop.drill.sku, 1)
    fields = returned_fields(client.post("/punchout/transfer/"))

    assert refused.status_code == 400  # "not available" (the API does not tell it exists)
    assert [value for name, value in fields.items() if name.startswith("NEW_ITEM-VENDORMAT")] == ["DRILL-18V"]


def test_the_checkout_itself_refuses_a_punchout_cart_behind_the_guard(client, shop, settings):
    """Defence in depth: without the punchout guard the checkout still refuses the cart."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("PunchoutModeMiddleware")]
    _credential, password = connect(shop, protocol="oci", identity="acme-sap")
    oci_login(client, "acme-sap", password)
    add(client, shop.drill.sku, 1)
    page = client.get("/checkout/")
    api = client.post(
        "/api/v1/checkout",
        {"delivery_method": "courier", "payment_method": "on_account", "address_id": shop.address.pk},
        content_type="application/json",
    )
    assert (page.status_code, page["Location"]) == (302, "/cart/")
    assert (api.status_code, api.json()["code"]) == (409, "punchout_cart")
    assert not Order.objects.exists()
