import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.messaging.admin import WebhookEndpointForm
from tandem.messaging.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tandem.messaging.webhooks import event_emit, webhook_deliveries_retry, webhook_delivery_retry

pytestmark = pytest.mark.django_db


def emit(captured, event="order.placed", payload=None):
    with captured(execute=True), transaction.atomic():
        return event_emit(event=event, payload=payload or {"number": "B2C-1"})


def retry_until_done(rounds: int) -> None:
    """Run the retry sweep as if each time the backoff had passed."""
    for round_number in range(1, rounds + 1):
        webhook_deliveries_retry(now=timezone.now() + timedelta(days=round_number))


def test_an_event_is_posted_signed_with_the_endpoints_secret(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    """The signature covers the timestamp and the body: "<X-Tandem-Timestamp>.<body>"."""
    delivery = emit(django_capture_on_commit_callbacks, payload={"number": "B2C-1", "total": "12.30"})[0]
    [(path, headers, body)] = receiver.requests
    timestamp = headers["X-Tandem-Timestamp"]
    signed = timestamp.encode() + b"." + body
    expected = "sha256=" + hmac.new(endpoint.secret.encode(), signed, hashlib.sha256).hexdigest()
    assert path == "/hooks/tandem"
    assert abs(int(timestamp) - time.time()) < 5
    assert (headers["X-Tandem-Event"], headers["X-Tandem-Delivery"]) == ("order.placed", str(delivery.pk))
    assert hmac.compare_digest(headers["X-Tandem-Signature"], expected)
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {
        "id": delivery.pk,
        "event": "order.placed",
        "created_at": json.loads(body)["created_at"],
        "data": {"number": "B2C-1", "total": "12.30"},
    }
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.DELIVERED, 1, 200)


def test_a_standard_webhooks_library_verifies_the_delivery(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    """Receivers verify with the official ``standardwebhooks`` library and the secret the
    admin shows for it; a forged body fails."""
    from standardwebhooks import Webhook
    from standardwebhooks.webhooks import WebhookVerificationError

    from tandem.messaging.delivery import standard_webhooks_secret

    delivery = emit(django_capture_on_commit_callbacks)[0]
    [(_path, headers, body)] = receiver.requests
    verifier = Webhook(standard_webhooks_secret(endpoint.secret))
    sent = {name: headers[name] for name in ("webhook-id", "webhook-timestamp", "webhook-signature")}
    assert verifier.verify(body, sent)["event"] == "order.placed"
    with pytest.raises(WebhookVerificationError):
        verifier.verify(body.replace(b"B2C-1", b"B2C-2"), sent)
    assert sent["webhook-id"] == f"tandem-delivery-{delivery.pk}"  # the delivery's: the same on retries


def test_only_active_endpoints_listening_to_the_event_get_it(receiver, django_capture_on_commit_callbacks):
    everything = WebhookEndpoint.objects.create(name="All", url=receiver.url)
    shipping = WebhookEndpoint.objects.create(name="WMS", url=receiver.url, events=["order.shipped"])
    WebhookEndpoint.objects.create(name="Off", url=receiver.url, is_active=False)
    placed = emit(django_capture_on_commit_callbacks, "order.placed")
    shipped = emit(django_capture_on_commit_callbacks, "order.shipped")
    assert [d.endpoint for d in placed] == [everything]
    assert {d.endpoint for d in shipped} == {everything, shipping}
    assert len(receiver.requests) == 3


def test_nothing_is_sent_for_a_rolled_back_transaction(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        event_emit(event="order.placed", payload={"number": "B2C-1"})
        raise RuntimeError("the change failed")
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_for_a_rolled_back_transaction_on_a_real_commit(receiver):
    WebhookEndpoint.objects.create(name="ERP", url=receiver.url)
    with pytest.raises(RuntimeError), transaction.atomic():
        event_emit(event="order.placed", payload={"number": "B2C-1"})
        raise RuntimeError("the change failed")
    with transaction.atomic():
        event_emit(event="order.cancelled", payload={"number": "B2C-2"})
    assert [headers["X-Tandem-Event"] for _path, headers, _body in receiver.requests] == ["order.cancelled"]


def test_a_delivery_to_an_endpoint_switched_off_meanwhile_fails_unsent(endpoint, receiver):
    """Recorded while the endpoint was active, due when it no longer is: never sent, and
    failed at once rather than retried."""
    with transaction.atomic():
        delivery = event_emit(event="order.placed", payload={})[0]  # commit callbacks never run here
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    assert webhook_deliveries_retry(now=timezone.now() + timedelta(hours=1)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.FAILED, 0, None)
    assert delivery.last_error == "Not sent: the endpoint is switched off."
    assert receiver.requests == []


def test_an_unknown_event_is_a_programming_error(endpoint):
    with pytest.raises(ValueError, match="order.exploded"):
        event_emit(event="order.exploded", payload={})


def test_a_failing_receiver_is_retried_with_growing_pauses_then_marked_failed(
    endpoint, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.status = 500
    delivery = emit(django_capture_on_commit_callbacks)[0]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.PENDING, 1, 500)
    assert "receiver is down" in delivery.last_error
    first_pause = delivery.next_attempt_at - timezone.now()
    assert webhook_deliveries_retry() == 0  # not due yet
    retry_until_done(1)
    delivery.refresh_from_db()
    second_pause = delivery.next_attempt_at - timezone.now()
    assert delivery.attempts == 2 and second_pause > first_pause * 3
    retry_until_done(3)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.FAILED, 3, None)
    assert len(receiver.requests) == 3


def test_a_refused_connection_counts_as_a_failed_attempt(
    closed_port_url, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    WebhookEndpoint.objects.create(name="Gone", url=closed_port_url)
    delivery = emit(django_capture_on_commit_callbacks)[0]
    retry_until_done(2)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.FAILED, 2, None)
    assert "refused" in delivery.last_error.lower()


def test_a_receiver_that_comes_back_gets_the_delivery(endpoint, receiver, django_capture_on_commit_callbacks):
    receiver.status = 503
    delivery = emit(django_capture_on_commit_callbacks)[0]
    receiver.status = 204
    retry_until_done(1)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.DELIVERED, 2, "")
    assert len({headers["X-Tandem-Delivery"] for _path, headers, _body in receiver.requests}) == 1


def test_a_redirect_is_not_followed(endpoint, receiver, django_capture_on_commit_callbacks):
    receiver.status = 302
    delivery = emit(django_capture_on_commit_callbacks)[0]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code) == (DeliveryStatus.PENDING, 302)


def test_a_failed_delivery_can_be_tried_once_more(
    endpoint, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.status = 500
    delivery = emit(django_capture_on_commit_callbacks)[0]
    receiver.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        assert webhook_delivery_retry(delivery=delivery) is True
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)
    assert webhook_delivery_retry(delivery=delivery) is False


def test_the_sweep_queues_each_due_delivery_once(endpoint, receiver):
    """A delivery whose first attempt was never sent (the queue was down) is sent by the
    sweep, and a second sweep right after does not send it again."""
    with transaction.atomic():
        delivery = event_emit(event="order.placed", payload={})[0]  # commit callbacks never run here
    later = timezone.now() + timedelta(hours=1)
    assert webhook_deliveries_retry(now=later) == 1
    assert webhook_deliveries_retry(now=later) == 0
    delivery.refresh_from_db()
    assert (delivery.status, len(receiver.requests)) == (DeliveryStatus.DELIVERED, 1)


@pytest.mark.parametrize(
    "url",
    ["ftp://erp.example/hook", "file:///etc/passwd", "javascript:alert(1)"],
    ids=["ftp", "file", "javascript"],
)
def test_only_http_and_https_urls_are_accepted(url):
    endpoint = WebhookEndpoint(name="Bad", url=url)
    with pytest.raises(ValidationError) as error:
        endpoint.full_clean()
    assert "url" in error.value.message_dict
    form = WebhookEndpointForm(data={"name": "Bad", "url": url, "is_active": "on"})
    assert not form.is_valid() and "url" in form.errors


def test_a_non_http_url_saved_past_validation_is_never_requested(django_capture_on_commit_callbacks):
    WebhookEndpoint.objects.create(name="Sneaky", url="file:///etc/passwd")
    delivery = emit(django_capture_on_commit_callbacks)[0]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code) == (DeliveryStatus.FAILED, None)
    assert delivery.last_error == "Not sent: Only http:// and https:// URLs are allowed."


def test_unknown_event_codes_are_refused():
    endpoint = WebhookEndpoint(name="ERP", url="https://erp.example/hook", events=["order.placed", "nope"])
    with pytest.raises(ValidationError):
        endpoint.full_clean()
