"""Webhook endpoints managed over the API by the integration itself: subscribe, pause,
rotate the secret with an overlap, read the delivery log, replay — and the domain events
(catalog, stock, invoices) that now reach webhooks."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks import Webhook

from tandem.customers.api_auth import api_token_create
from tandem.inventory.services import StockRequest, stock_reserve
from tandem.messaging.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.factories import make_category, make_company, make_company_user, make_product, standard_tax

pytestmark = pytest.mark.django_db


def _key(user, scopes) -> dict:
    _token, key = api_token_create(user=user, name="integration", scopes=scopes)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def manager(staff_admin):
    return _key(staff_admin, ["webhooks:manage"])


def _subscribe(client, manager, url, events=()) -> dict:
    response = client.post(
        "/api/v1/webhooks",
        {"name": "ERP", "url": url, "events": list(events)},
        content_type="application/json",
        **manager,
    )
    assert response.status_code == 201, response.content
    return response.json()


def _verify(secret: str, headers: dict, body: bytes) -> dict:
    sent = {name: headers[name] for name in ("webhook-id", "webhook-timestamp", "webhook-signature")}
    return Webhook(secret).verify(body, sent)


def test_an_integration_subscribes_and_hears_of_its_products(
    client, staff_admin, manager, receiver, django_capture_on_commit_callbacks
):
    created = _subscribe(client, manager, receiver.url, ["product.changed"])
    assert created["secret"] and created["standard_webhooks_secret"].startswith("whsec_")
    assert client.get("/api/v1/webhooks", **manager).json()[0].keys() == {
        "id",
        "name",
        "url",
        "events",
        "is_active",
        "created_at",
        "previous_secret_until",
    }  # the secret is shown once
    standard_tax()
    make_category("Cables", slug="cables")
    writer = _key(staff_admin, ["catalog:write"])
    item = {
        "external_id": "ERP-1",
        "name": "Cable",
        "category": "cables",
        "variants": [{"sku": "CAB-1", "tax_class": "standard"}],
    }

    with django_capture_on_commit_callbacks(execute=True):
        client.put("/api/v1/products", {"items": [item]}, content_type="application/json", **writer)

    [(_path, headers, body)] = receiver.requests
    message = _verify(created["standard_webhooks_secret"], headers, body)
    assert message["event"] == "product.changed"
    product_id = client.put(
        "/api/v1/products", {"items": [item]}, content_type="application/json", **writer
    ).json()["items"][0]["id"]
    assert message["data"] == {
        "products": [{"id": product_id, "external_id": "ERP-1", "created": True}],
        "source": "api",
    }
    assert len(receiver.requests) == 1  # the same payload again changed nothing: no event


def test_stock_and_invoice_events_reach_webhooks(
    client, manager, receiver, django_capture_on_commit_callbacks
):
    _subscribe(client, manager, receiver.url, ["stock.low"])
    variant = make_product(stock=6).variants.get()
    with django_capture_on_commit_callbacks(execute=True):
        stock_reserve(requests=[StockRequest(variant_id=variant.pk, quantity=2)], reference="ORDER-1")
    [(_path, headers, body)] = receiver.requests
    assert json.loads(body)["data"] == {"variant_id": variant.pk, "available": 4, "threshold": 5}


def test_patch_changes_only_what_is_sent_and_pauses(
    client, manager, receiver, django_capture_on_commit_callbacks
):
    created = _subscribe(client, manager, receiver.url, ["stock.low"])

    response = client.patch(
        f"/api/v1/webhooks/{created['id']}", {"is_active": False}, content_type="application/json", **manager
    )

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["url"], response.json()["events"]) == (
        "ERP",
        receiver.url,
        ["stock.low"],
    )
    variant = make_product(stock=6).variants.get()
    with django_capture_on_commit_callbacks(execute=True):
        stock_reserve(requests=[StockRequest(variant_id=variant.pk, quantity=2)], reference="ORDER-1")
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_a_rotated_secret_signs_next_to_the_old_one_for_a_day(
    client, manager, receiver, django_capture_on_commit_callbacks
):
    created = _subscribe(client, manager, receiver.url)

    rotated = client.post(f"/api/v1/webhooks/{created['id']}/rotate-secret", **manager).json()

    assert rotated["secret"] != created["secret"]
    assert rotated["previous_secret_until"] is not None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/v1/webhooks/{created['id']}/test", **manager)
    [(_path, headers, body)] = receiver.requests
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (created["standard_webhooks_secret"], rotated["standard_webhooks_secret"]):
        assert _verify(secret, headers, body)["event"] == "webhook.test"  # old and new receivers both verify

    WebhookEndpoint.objects.update(previous_secret_until=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/v1/webhooks/{created['id']}/test", **manager)
    assert len(receiver.requests[1][1]["webhook-signature"].split(" ")) == 1


def test_the_delivery_log_and_a_replay_with_the_same_webhook_id(
    client, manager, receiver, django_capture_on_commit_callbacks
):
    created = _subscribe(client, manager, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        [sent] = client.post(f"/api/v1/webhooks/{created['id']}/test", **manager).json()

    log = client.get(f"/api/v1/webhooks/{created['id']}/deliveries?status=delivered", **manager).json()

    assert log["count"] == 1
    assert (log["items"][0]["webhook_id"], log["items"][0]["status"]) == (sent["webhook_id"], "delivered")
    with django_capture_on_commit_callbacks(execute=True):
        replay = client.post(f"/api/v1/webhooks/deliveries/{sent['id']}/replay", **manager)
    assert replay.status_code == 202
    assert [headers["webhook-id"] for _path, headers, _body in receiver.requests] == [sent["webhook_id"]] * 2
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_refusals(client, manager, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    response = client.post(
        "/api/v1/webhooks",
        {"name": "x", "url": "http://127.0.0.1:9/h"},
        content_type="application/json",
        **manager,
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "url"
    response = client.post(
        "/api/v1/webhooks",
        {"name": "x", "url": "https://erp.example.com/h", "events": ["order.eaten"]},
        content_type="application/json",
        **manager,
    )
    assert response.json()["code"] == "event_unknown"
    assert (
        client.post(
            "/api/v1/webhooks", {"name": "x", "url": "ftp://x"}, content_type="application/json", **manager
        ).status_code
        == 422
    )
    assert client.get("/api/v1/webhooks/999", **manager).status_code == 404
    assert client.get("/api/v1/webhooks/99999999999", **manager).status_code == 404

    buyer = make_company_user(make_company())
    assert client.get("/api/v1/webhooks", **_key(buyer, ["webhooks:manage"])).status_code == 403
    other_scope = client.get("/api/v1/webhooks", **_key(buyer, ["orders:read"]))
    assert other_scope.status_code == 403 and other_scope.json()["code"] == "insufficient_scope"


def test_the_event_list(client, manager):
    codes = {event["code"] for event in client.get("/api/v1/webhooks/events", **manager).json()}
    assert {"order.placed", "product.changed", "stock.low", "invoice.issued", "price_list.changed"} <= codes
    assert "webhook.test" not in codes
