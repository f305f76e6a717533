"""Every API error is an RFC 9457 problem with a stable code and the request's id."""

import logging

import pytest
from django.test import Client

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:200]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["code"], body["type"]) == (status, code, f"urn:tandem:problem:{code}")
    assert body["title"] and body["detail"] and body["request_id"] == response["X-Request-ID"]
    return body


def test_errors_of_every_kind_share_one_shape(client, settings):
    assert_problem(client.get("/api/v1/no-such-thing"), 404, "not_found")  # Django's own 404
    assert_problem(client.delete("/api/v1/catalog/categories"), 405, "method_not_allowed")
    assert_problem(client.get("/api/v1/orders"), 401, "not_authenticated")
    body = assert_problem(client.get("/api/v1/catalog/products?page=0"), 422, "validation_error")
    assert body["errors"][0]["field"] == "page" and body["errors"][0]["message"]
    bad_json = client.post("/api/v1/cart/lines", "{not json", content_type="application/json")
    assert_problem(bad_json, 400, bad_json.json()["code"])
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    big = client.post(
        "/api/v1/cart/lines", {"sku": "X" * 500, "quantity": 1}, content_type="application/json"
    )
    assert big.status_code in (400, 413) and big["Content-Type"] == "application/problem+json"


def test_a_crash_is_a_problem_with_the_id_in_the_log(client, monkeypatch, caplog):
    from tandem.catalog import selectors

    def broken():
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "all_categories", broken)
    with caplog.at_level(logging.ERROR, logger="tandem"):
        response = Client(HTTP_X_REQUEST_ID="trace-42").get("/api/v1/catalog/categories")
    body = assert_problem(response, 500, "server_error")
    assert body["request_id"] == "trace-42" and "fire" not in body["detail"]
    assert any(getattr(record, "request_id", "") == "trace-42" for record in caplog.records)


def test_every_response_has_a_request_id_and_an_odd_one_sent_is_replaced(client):
    page = client.get("/")
    assert len(page["X-Request-ID"]) == 32
    odd = client.get("/api/v1/catalog/categories", HTTP_X_REQUEST_ID="<script>")
    assert odd["X-Request-ID"] != "<script>" and len(odd["X-Request-ID"]) == 32


def test_the_openapi_document_describes_every_operation_and_its_errors(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["schemas"]["Problem"]["required"][:3] == ["type", "title", "status"]
    undescribed, without_errors = [], []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if not operation.get("description"):
                undescribed.append(f"{method.upper()} {path}")
            example = operation["responses"].get("422", {}).get("content", {}).get("application/problem+json")
            if not example or example["example"]["code"] != "validation_error":
                without_errors.append(f"{method.upper()} {path}")
    assert undescribed == [] and without_errors == []


def test_a_retry_takes_over_a_first_attempt_that_never_answered(client, settings):
    """A server killed mid-request leaves its key "in progress": a retry is told to wait while
    the first may still be running, and runs the request once it cannot be."""
    from datetime import timedelta

    from django.utils import timezone

    from tandem.core.models import IdempotentRequest

    settings.IDEMPOTENCY_ABANDONED_SECONDS = 90
    user = make_user("anna@shop.test")
    client.force_login(user)

    def create(key: str):
        return client.post(
            "/api/v1/lists", {"name": "Site A"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
        )

    first = create("list-1")
    assert first.status_code == 200
    IdempotentRequest.objects.update(status_code=None, body=b"")  # as if its server had died
    waiting = create("list-1")
    assert (waiting.status_code, waiting.json()["code"]) == (409, "idempotency_key_in_progress")
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(seconds=91))
    first_attempt = IdempotentRequest.objects.get().attempt
    retried = create("list-1")
    assert IdempotentRequest.objects.get().attempt != first_attempt  # the first can no longer touch it
    assert retried.status_code == 200 and "Idempotent-Replayed" not in retried
    assert create("list-1")["Idempotent-Replayed"] == "true"  # answered now, and kept
