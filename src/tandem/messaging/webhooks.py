"""Webhooks, the hook point for integrations (ERP, WMS, CRM): events are written as
deliveries in the transaction that caused them and sent after it commits."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.audit import audit_record
from tandem.messaging.delivery import WebhookAddressRefused, attempt_lease, webhook_target
from tandem.messaging.errors import WebhookError
from tandem.messaging.events import WebhookEvent
from tandem.messaging.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, webhook_secret_new
from tandem.messaging.tasks import webhook_deliver

logger = logging.getLogger(__name__)


def event_emit(*, event: str, payload: dict) -> list[WebhookDelivery]:
    """Record ``event`` for every active endpoint that listens to it and send it once the
    surrounding transaction commits (call it inside that transaction): a rolled-back change
    is never announced, and deliveries whose sending never started are picked up by
    ``webhook_deliveries_retry``."""
    if event not in WebhookEvent.values:
        raise ValueError(f"Unknown webhook event {event!r}; add it to WebhookEvent first.")
    endpoints = [
        endpoint for endpoint in WebhookEndpoint.objects.filter(is_active=True) if endpoint.listens_to(event)
    ]
    return _deliveries_create(endpoints, event=event, payload=payload)


def webhook_test_send(*, endpoints: Iterable[WebhookEndpoint]) -> list[WebhookDelivery]:
    """Send a ``webhook.test`` event to these endpoints (whatever they subscribe to), so the
    merchant can check the receiver and its signature check."""
    with transaction.atomic():
        return _deliveries_create(
            list(endpoints), event=WebhookEvent.TEST, payload={"message": _("A test event from the shop.")}
        )


def webhook_delivery_retry(*, delivery: WebhookDelivery) -> bool:
    """Try a pending or failed delivery once more now (a failed one gets one more attempt);
    False for one that was delivered already."""
    with transaction.atomic():
        undelivered = WebhookDelivery.objects.filter(pk=delivery.pk).exclude(status=DeliveryStatus.DELIVERED)
        changed = undelivered.update(
            status=DeliveryStatus.PENDING, next_attempt_at=timezone.now() + attempt_lease()
        )
        if changed:
            attempts = WebhookDelivery.objects.values_list("attempts", flat=True).get(pk=delivery.pk)
            transaction.on_commit(lambda: _enqueue([(delivery.pk, attempts + 1)]), robust=True)
    return bool(changed)


def webhook_deliveries_retry(*, now: datetime | None = None, limit: int = 500) -> int:
    """Queue the next attempt of every pending delivery that is due (run by housekeeping
    or `tandem manage webhooks_retry` every few minutes); returns how many were queued."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", "attempts", "next_attempt_at")[:limit]
    )
    queued = []
    for delivery_id, attempts, when in due:
        # Push the due time on first, so a second sweep meanwhile does not queue it again.
        if WebhookDelivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, attempts=attempts, next_attempt_at=when
        ).update(next_attempt_at=now + attempt_lease()):
            queued.append((delivery_id, attempts + 1))
    _enqueue(queued)
    return len(queued)


def _deliveries_create(
    endpoints: list[WebhookEndpoint],
    *,
    event: str,
    payload: dict,
) -> list[WebhookDelivery]:
    if not endpoints:
        return []
    not_sent_by = timezone.now() + attempt_lease()
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(endpoint=endpoint, event=event, payload=payload, next_attempt_at=not_sent_by)
            for endpoint in endpoints
        ]
    )
    first_attempts = [(delivery.pk, 1) for delivery in deliveries]
    transaction.on_commit(lambda: _enqueue(first_attempts), robust=True)
    return deliveries


def _enqueue(attempts: list[tuple[int, int]]) -> None:
    for delivery_id, attempt in attempts:
        try:
            webhook_deliver.enqueue(delivery_id=delivery_id, attempt=attempt)
        except Exception:  # the queue is down: the retry sweep sends it later
            logger.exception("could not queue webhook delivery %s", delivery_id)


SECRET_OVERLAP = timedelta(hours=24)


def webhook_secret_rotate(
    *, endpoint: WebhookEndpoint, overlap: timedelta = SECRET_OVERLAP
) -> WebhookEndpoint:
    """A new signing secret; for ``overlap`` deliveries carry a second signature made with
    the old one, so the receiver can switch without losing a delivery."""
    now = timezone.now()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = now + overlap if overlap else None
    endpoint.secret = webhook_secret_new()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    return endpoint


def webhook_delivery_replay(*, delivery: WebhookDelivery) -> None:
    """Send a delivery again, delivered or not (the receiver lost it, or fixed its handler):
    the same ``webhook-id``, so a receiver that keeps the ids it handled can tell."""
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING, next_attempt_at=timezone.now() + attempt_lease()
        )
        attempts = WebhookDelivery.objects.values_list("attempts", flat=True).get(pk=delivery.pk)
        transaction.on_commit(lambda: _enqueue([(delivery.pk, attempts + 1)]), robust=True)
    delivery.refresh_from_db()


def webhook_url_refusal(url: str) -> str | None:
    """Why webhooks may not be sent to ``url`` (a loopback, private or link-local address),
    or None. A host that does not resolve yet is accepted: each delivery checks again."""
    try:
        webhook_target(url)
    except WebhookAddressRefused as refused:
        return str(refused)
    except OSError:
        return None
    return None


def webhook_endpoint_save(
    *, endpoint: WebhookEndpoint, changes: dict, actor_id: int | None
) -> WebhookEndpoint:
    """Create or change an endpoint with the fields in ``changes`` (only those): the URL's
    address is checked, the events must be known codes. WebhookError names the field."""
    if "url" in changes:
        refusal = webhook_url_refusal(changes["url"])
        if refusal:
            raise WebhookError(refusal, code="address_refused", field="url")
    unknown = [event for event in changes.get("events", []) if event not in WebhookEvent.values]
    if unknown:
        raise WebhookError(
            _("Unknown events: %(events)s.") % {"events": ", ".join(unknown)},
            code="event_unknown",
            field="events",
        )
    for name, value in changes.items():
        setattr(endpoint, name, value)
    created = endpoint.pk is None
    with transaction.atomic():
        endpoint.save()
        audit_record(
            action="webhook.created" if created else "webhook.changed",
            actor_id=actor_id,
            target=endpoint,
            changes={name: value for name, value in changes.items()},
        )
    return endpoint


def webhook_deliveries_by_status() -> list[tuple[tuple[str], float]]:
    """Deliveries per status (the metric ``tandem_webhook_deliveries``)."""
    counts = dict(WebhookDelivery.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return [((status,), float(counts.get(status, 0))) for status in DeliveryStatus.values]
