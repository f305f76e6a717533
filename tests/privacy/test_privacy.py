"""GDPR: consents recorded as given, a person's copy of their data, erasure that keeps
what the accounting law requires and removes the rest, on the page, the API and the admin."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from tandem.checkout.services import order_place
from tandem.core.models import AuditEntry
from tandem.customers import two_factor
from tandem.customers.api_auth import api_token_create
from tandem.customers.models import Address, Consent, User
from tandem.orders.models import Order, OrderStatus
from tandem.privacy.models import PrivacyRequest, RequestKind, RequestStatus
from tandem.privacy.services import personal_data_erase, personal_data_retention_apply
from tests.checkout.conftest import retail_details
from tests.factories import PASSWORD, b2c_context, make_cart, make_delivery, make_product, make_user

pytestmark = pytest.mark.django_db


def place_order(user: User, email: str | None = None) -> Order:
    make_delivery("courier")
    drill = make_product("Ferrum drill", gross="499.00", stock=10).variants.get()
    return order_place(
        cart=make_cart(lines=[(drill, 1)]),
        context=b2c_context(),
        acting_user=user,
        details=retail_details(email=email or user.email),
    )


def signed_in(user: User) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": user.email, "password": PASSWORD}).status_code == 302
    return client


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_registration_records_each_consent_with_its_version_and_address(client, settings):
    settings.TERMS_VERSION, settings.PRIVACY_POLICY_VERSION = "T-7", "P-3"
    client.post(
        "/accounts/register/",
        {
            "full_name": "Anna Nowak",
            "email": "anna@shop.test",
            "password": "a-long-enough-password",
            "accept_terms": "on",
        },
        REMOTE_ADDR="203.0.113.9",
    )
    consents = {c.kind: c for c in Consent.objects.filter(user__email="anna@shop.test")}
    assert {kind: (c.version, c.granted, c.source) for kind, c in consents.items()} == {
        "terms": ("T-7", True, "registration"),
        "privacy": ("P-3", True, "registration"),
        "marketing_email": ("", False, "registration"),
    }
    assert consents["terms"].ip_address == "203.0.113.9"


def test_offers_by_e_mail_are_given_and_withdrawn_and_every_change_is_kept(client):
    user = make_user("anna@shop.test")
    client.force_login(user)
    client.post("/account/privacy/marketing/", {"granted": "1"})
    assert "Yes" in client.get("/account/privacy/").content.decode()
    token = api_token_create(user=user, name="script")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.post(
        "/api/v1/account/privacy/consents",
        {"kind": "marketing_email", "granted": False},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["source"] == "api"
    assert [c["granted"] for c in api.get("/api/v1/account/privacy/consents").json()] == [False]
    assert list(Consent.objects.filter(user=user).values_list("granted", flat=True).order_by("pk")) == [
        True,
        False,
    ]
    assert AuditEntry.objects.filter(action="consent.withdrawn", actor=user).exists()
    refused = api.post(
        "/api/v1/account/privacy/consents",
        {"kind": "terms", "granted": False},
        content_type="application/json",
    )
    assert refused.status_code == 422


def test_a_copy_holds_the_persons_data_and_nobody_elses_and_no_secrets():
    anna = make_user("anna@shop.test", full_name="Anna Nowak", phone="+48 600 100 200")
    Address.objects.create(
        user=anna, recipient="Anna Nowak", street="Polna 1", postal_code="00-001", city="Warszawa"
    )
    order = place_order(anna)
    other = place_order(make_user("piotr@shop.test"))
    device = two_factor.two_factor_begin(anna)
    two_factor.two_factor_confirm(user=anna, code=two_factor.totp_code(device.secret, two_factor.totp_step()))
    _token, key = api_token_create(user=anna, name="script")

    client = Client()
    client.force_login(anna)
    response = client.post("/account/privacy/export/")
    assert response["Content-Type"] == "application/zip"
    files = unzip(response.content)
    data = json.loads(files["data.json"])["tables"]
    assert data["customers.user"][0]["phone"] == "+48 600 100 200"
    assert [row["street"] for row in data["customers.address"]] == ["Polna 1"]
    assert [row["number"] for row in data["orders.order"]] == [order.number]
    assert len(data["orders.orderline"]) == 1 and "customers.signedinsession" in data
    assert order.number in files["orders.csv"] and other.number not in "".join(files.values())
    everything = "".join(files.values())
    assert anna.password not in everything and device.secret not in everything and key not in everything
    assert '"password"' not in files["data.json"] and '"secret"' not in files["data.json"]
    assert AuditEntry.objects.filter(action="privacy.exported", actor=anna).exists()

    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert order.number in unzip(api.get("/api/v1/account/privacy/export").content)["orders.csv"]


def test_erasure_waits_for_orders_in_progress_then_anonymises_and_keeps_the_books():
    anna = make_user("anna@shop.test", full_name="Anna Nowak", phone="+48 600 100 200")
    Address.objects.create(
        user=anna, recipient="Anna Nowak", street="Polna 1", postal_code="00-001", city="Warszawa"
    )
    order = place_order(anna)
    client, elsewhere = signed_in(anna), signed_in(anna)

    page = client.get("/account/privacy/").content.decode()
    assert f"Orders in progress: {order.number}" in page
    client.post("/account/privacy/erase/", {"password": PASSWORD, "confirm": "on"})
    anna.refresh_from_db()
    assert anna.erased_at is None and anna.email == "anna@shop.test"

    Order.objects.filter(pk=order.pk).update(status=OrderStatus.DELIVERED)
    wrong = client.post("/account/privacy/erase/", {"password": "not-it", "confirm": "on"})
    assert wrong.status_code == 302
    anna.refresh_from_db()
    assert anna.erased_at is None

    response = client.post("/account/privacy/erase/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and response.url == "/"
    anna.refresh_from_db()
    assert anna.erased_at is not None and not anna.is_active
    assert (anna.email, anna.full_name, anna.phone) == (f"erased-{anna.pk}@erased.invalid", "", "")
    assert not anna.has_usable_password() and not Address.objects.filter(user=anna).exists()
    for browser in (client, elsewhere):
        assert SESSION_KEY not in browser.session or browser.get("/account/").status_code == 302
    again = Client()
    assert (
        again.post("/accounts/login/", {"username": "anna@shop.test", "password": PASSWORD}).status_code
        == 200
    )
    assert SESSION_KEY not in again.session  # the old e-mail and password sign nobody in
    order.refresh_from_db()
    assert order.number and order.email == "anna@shop.test"  # the books keep the order as it was
    entry = AuditEntry.objects.get(action="privacy.erased")
    assert entry.changes["orders_kept"] == 1 and entry.changes["by_the_person"] is True


def test_erasure_over_the_api_needs_the_password_and_says_why_it_waits():
    anna = make_user("anna@shop.test")
    order = place_order(anna)
    _token, key = api_token_create(user=anna, name="script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = "/api/v1/account/privacy/erasure"
    wrong = api.post(url, {"password": "nope"}, content_type="application/json")
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_password"
    waiting = api.post(url, {"password": PASSWORD}, content_type="application/json")
    assert waiting.status_code == 409 and order.number in waiting.json()["message"]
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    done = api.post(url, {"password": PASSWORD}, content_type="application/json")
    assert done.status_code == 200 and done.json()["orders_kept"] == 1
    assert api.get("/api/v1/account/privacy/consents").status_code == 401  # the token went with the account


def test_after_the_retention_period_kept_orders_lose_the_buyers_details(settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = 5
    anna = make_user("anna@shop.test")
    old, recent = place_order(anna), place_order(anna)
    Order.objects.filter(pk__in=[old.pk, recent.pk]).update(status=OrderStatus.COMPLETED)
    Order.objects.filter(pk=old.pk).update(placed_at=timezone.now() - timedelta(days=5 * 366))
    personal_data_erase(user=anna, actor=anna)
    assert personal_data_retention_apply() == (
        "privacy retention: 1 orders and 0 invoices of erased accounts anonymised"
    )
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.email.endswith("@erased.invalid") and old.buyer["name"] == "—"
    assert "street" not in old.shipping_address and old.number
    assert recent.email == "anna@shop.test" and recent.shipping_address["street"]


def test_staff_carry_out_a_request_from_the_admin():
    admin = make_user("admin@shop.test", is_staff=True, is_superuser=True)
    anna = make_user("anna@shop.test")
    place_order(anna)
    staff = Client()
    staff.force_login(admin)
    export = PrivacyRequest.objects.create(user=anna, kind=RequestKind.EXPORT, note="e-mail of 3 Dec")
    response = staff.post(
        "/admin/privacy/privacyrequest/", {"action": "carry_out", "_selected_action": [export.pk]}
    )
    assert (
        response["Content-Type"] == "application/zip"
        and "anna@shop.test" in unzip(response.content)["data.json"]
    )
    export.refresh_from_db()
    assert export.status == RequestStatus.DONE and export.handled_by == admin

    erasure = PrivacyRequest.objects.create(user=anna, kind=RequestKind.ERASURE)
    staff.post("/admin/privacy/privacyrequest/", {"action": "carry_out", "_selected_action": [erasure.pk]})
    erasure.refresh_from_db()
    assert erasure.status == RequestStatus.REFUSED and "Orders in progress" in erasure.outcome
    anna.refresh_from_db()
    assert anna.erased_at is None


def test_a_copy_leaves_out_other_peoples_data():
    from tandem.customers import company_users
    from tandem.customers.models import CompanyRole
    from tests.factories import make_company, make_company_user

    boss = make_company_user(make_company(), CompanyRole.ADMIN, email="boss@firm.test")
    company_users.company_user_invite(
        admin=boss, email="colleague.private@mail.test", terms=company_users.MemberTerms(role="buyer")
    )
    everything = "".join(unzip(_export(boss)).values())
    assert "colleague.private@mail.test" not in everything


def _export(user: User) -> bytes:
    from tandem.privacy.services import personal_data_export

    return personal_data_export(user=user, actor=user)


def test_erasure_keeps_what_colleagues_share_and_never_leaves_a_company_without_an_admin():
    from tandem.cart.models import ShoppingList
    from tandem.customers.models import CompanyRole, Invitation
    from tandem.privacy.services import ErasureRefused
    from tests.factories import make_company, make_company_user

    company = make_company()
    boss = make_company_user(company, CompanyRole.ADMIN, email="boss@firm.test")
    bob = make_company_user(company, CompanyRole.ADMIN, email="bob@firm.test")
    Invitation.objects.create(
        company=company,
        email="bob@firm.test",
        role="admin",
        token_hash="x" * 64,
        accepted_by=bob,
        expires_at=timezone.now(),
    )
    ShoppingList.objects.create(owner=bob, company=company, name="Monthly", shared=True)
    ShoppingList.objects.create(owner=bob, company=company, name="Mine")
    personal_data_erase(user=bob, actor=bob)
    assert list(ShoppingList.objects.values_list("name", flat=True)) == ["Monthly"]
    assert not Invitation.objects.filter(email="bob@firm.test").exists()
    with pytest.raises(ErasureRefused) as refused:  # boss is now the only admin
        personal_data_erase(user=boss, actor=boss)
    assert "only admin" in str(refused.value.message)


def test_the_password_asked_before_erasure_is_throttled_like_a_sign_in(settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    anna = make_user("anna@shop.test")
    client = Client()
    client.force_login(anna)
    for n in range(3):
        client.post("/account/privacy/erase/", {"password": f"guess-{n}", "confirm": "on"})
    page = client.post("/account/privacy/erase/", {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert "Too many failed attempts" in page.content.decode()
    anna.refresh_from_db()
    assert anna.erased_at is None
