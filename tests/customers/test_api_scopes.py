"""API keys act within their scopes and their user's rights, expire, and rotate."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tandem.api import api
from tandem.customers.api_auth import api_token_create, api_token_rotate
from tandem.customers.api_scopes import scope_needed
from tests.factories import make_company, make_company_user, make_user

pytestmark = pytest.mark.django_db

# Operations a key is never asked about: the provider's signed payment notification.
NO_KEY = {("POST", "/payments/notify/{provider}")}


def test_every_api_operation_names_the_scope_a_key_needs():
    missing = [
        (method, prefix + path)
        for prefix, router in api._routers
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
        if (method, prefix + path) not in NO_KEY and scope_needed(method, prefix + path) is None
    ]
    assert missing == []


def keyed(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_key_does_only_what_its_scopes_allow_and_names_the_missing_one():
    buyer = make_company_user(make_company(), email="buyer@acme.test")
    _token, key = api_token_create(user=buyer, name="Procurement", scopes=["orders:read", "catalog:read"])
    client = keyed(key)
    assert client.get("/api/v1/orders").status_code == 200
    assert client.get("/api/v1/catalog/products").status_code == 200
    refused = client.get("/api/v1/invoices")
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
    assert "documents:read" in refused.json()["detail"]
    assert (
        client.post(
            "/api/v1/cart/lines", {"sku": "X", "quantity": 1}, content_type="application/json"
        ).json()["code"]
        == "insufficient_scope"
    )  # a write needs orders:write


def test_a_key_never_does_more_than_its_user():
    buyer = make_company_user(make_company(), email="buyer@acme.test")
    _token, key = api_token_create(user=buyer, name="All", scopes=["payments:write"])
    response = keyed(key).post("/api/v1/payments", {}, content_type="application/json")
    assert response.status_code in (403, 422) and response.json()["code"] != "insufficient_scope"


def test_an_expired_key_is_refused_and_a_rotated_one_overlaps_for_a_day():
    user = make_user("erp@shop.test")
    old, old_key = api_token_create(user=user, name="ERP", scopes=["orders:read"])
    new, new_key = api_token_rotate(token=old, actor=user)
    assert keyed(old_key).get("/api/v1/orders").status_code == 200  # still works for the overlap
    assert keyed(new_key).get("/api/v1/orders").status_code == 200 and new.scopes == ["orders:read"]
    old.expires_at = timezone.now() - timedelta(seconds=1)
    old.save()
    expired = keyed(old_key).get("/api/v1/orders")
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
