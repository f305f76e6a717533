"""API rate limits: per key, per address without one, a 429 problem with Retry-After."""

import pytest

from tandem.core import rate_limit
from tandem.customers.api_auth import api_token_create
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_callers_without_a_key_are_limited_per_address(client, settings):
    settings.API_RATE_LIMIT_PER_IP = 3
    remaining = [client.get("/api/v1/catalog/categories")["RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]

    refused = client.get("/api/v1/catalog/categories")

    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert (
        client.get("/api/v1/catalog/categories", REMOTE_ADDR="10.0.0.9").status_code == 200
    )  # another address
    assert client.get("/").status_code == 200  # pages are not the API's limit


def test_a_key_is_limited_wherever_it_calls_from_and_alone(client, settings):
    settings.API_RATE_LIMIT_PER_KEY = 2
    _token, key = api_token_create(user=make_user("erp@shop.test"), name="ERP")
    _token, other = api_token_create(user=make_user("wms@shop.test"), name="WMS")

    def call(bearer: str, address: str):
        return client.get(
            "/api/v1/catalog/categories", HTTP_AUTHORIZATION=f"Bearer {bearer}", REMOTE_ADDR=address
        )

    assert [call(key, "10.0.0.1").status_code, call(key, "10.0.0.2").status_code] == [200, 200]
    assert call(key, "10.0.0.3").status_code == 429
    assert call(other, "10.0.0.1").status_code == 200


def test_the_next_minute_counts_again(client, settings, monkeypatch):
    settings.API_RATE_LIMIT_PER_IP = 1
    now = 1_800_000_000.0
    monkeypatch.setattr(rate_limit.time, "time", lambda: now)
    assert client.get("/api/v1/catalog/categories").status_code == 200
    refused = client.get("/api/v1/catalog/categories")
    assert refused.status_code == 429 and refused["Retry-After"] == str(60 - int(now % 60))

    now += 60
    assert client.get("/api/v1/catalog/categories").status_code == 200


def test_no_limit_when_set_to_zero(client, settings):
    settings.API_RATE_LIMIT_PER_IP = 0
    assert all(client.get("/api/v1/catalog/categories").status_code == 200 for _ in range(5))
