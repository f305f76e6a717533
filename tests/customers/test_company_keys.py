"""API keys a company admin makes for the company's own systems: on the company page and
over the API, within a customer's scopes and the chosen user's rights."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.customers.api_auth import api_token_create
from tandem.customers.models import ApiToken, CompanyRole
from tests.factories import make_company, make_company_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme():
    company = make_company("ACME")
    admin = make_company_user(company, CompanyRole.ADMIN, email="boss@acme.test")
    buyer = make_company_user(company, CompanyRole.BUYER, email="purchasing@acme.test")
    return company, admin, buyer


def _bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_admin_makes_a_key_on_the_company_page_and_sees_it_once(client, acme):
    _company, admin, buyer = acme
    client.force_login(admin)

    response = client.post(
        "/account/company/api-keys/",
        {"name": "Purchasing system", "user_id": buyer.pk, "scopes": ["orders:read", "catalog:read"]},
        follow=True,
    )

    shown = response.context["new_api_key"]
    assert shown["name"] == "Purchasing system" and shown["key"].startswith("tdm_")
    assert b'data-testid="new-api-key"' in response.content
    assert client.get("/account/company/").context["new_api_key"] is None  # once
    key = ApiToken.objects.get(name="Purchasing system")
    assert (key.user, sorted(key.scopes)) == (buyer, ["catalog:read", "orders:read"])
    client.logout()
    assert client.get("/api/v1/orders", **_bearer(shown["key"])).status_code == 200  # as the buyer
    refused = client.post("/api/v1/cart/lines", {}, content_type="application/json", **_bearer(shown["key"]))
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"


def test_revoke_and_rotate(client, acme):
    _company, admin, buyer = acme
    client.force_login(admin)
    created = client.post(
        "/api/v1/account/company/api-keys",
        {"name": "ERP", "user_id": buyer.pk, "scopes": ["orders:read"]},
        content_type="application/json",
    ).json()
    rotated = client.post(f"/api/v1/account/company/api-keys/{created['id']}/rotate").json()
    client.logout()
    assert client.get("/api/v1/orders", **_bearer(rotated["key"])).status_code == 200
    assert client.get("/api/v1/orders", **_bearer(created["key"])).status_code == 200  # 24 hours of overlap

    client.force_login(admin)
    assert client.post(f"/account/company/api-keys/{rotated['id']}/revoke/").status_code == 302
    client.logout()
    assert client.get("/api/v1/orders", **_bearer(rotated["key"])).status_code == 401


def test_what_a_company_key_may_not_be(client, acme):
    _company, admin, buyer = acme
    stranger = make_company_user(make_company("Other"), CompanyRole.BUYER)
    client.force_login(admin)

    def create(**fields):
        body = {"name": "ERP", "user_id": buyer.pk, "scopes": ["orders:read"], **fields}
        return client.post("/api/v1/account/company/api-keys", body, content_type="application/json")

    assert create(user_id=stranger.pk).json()["code"] == "user_invalid"
    assert create(scopes=["catalog:write"]).json()["code"] == "scope_not_allowed"
    assert create(scopes=["*"]).json()["code"] == "scope_not_allowed"
    assert create(expires_at=(timezone.now() - timedelta(days=1)).isoformat()).json()["code"] == "expiry_past"
    client.logout()

    _token, narrow = api_token_create(user=admin, name="admin's", scopes=["customers:write"])
    by_key = client.post(
        "/api/v1/account/company/api-keys",
        {"name": "ERP", "user_id": buyer.pk, "scopes": ["orders:write"]},
        content_type="application/json",
        **_bearer(narrow),
    )
    assert by_key.status_code == 400 and "orders:write" in by_key.json()["detail"]  # no more than it has

    client.force_login(buyer)  # not the admin
    assert client.get("/api/v1/account/company/api-keys").status_code == 403
    other_admin = make_company_user(make_company("Third"), CompanyRole.ADMIN)
    key = ApiToken.objects.create(
        user=buyer, name="x", prefix="tdm_x", key_hash="0" * 64, scopes=["orders:read"]
    )
    client.force_login(other_admin)
    assert client.delete(f"/api/v1/account/company/api-keys/{key.pk}").status_code == 404
    assert client.get("/api/v1/account/company/api-keys").json() == []
