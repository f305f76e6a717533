"""Sending one webhook delivery: sign the body, POST it, record the answer, schedule the
next attempt. Only http(s) URLs, no redirects followed, a short timeout."""

import hashlib
import hmac
import http.client
import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from tandem.messaging.models import DeliveryStatus, WebhookDelivery

logger = logging.getLogger(__name__)

# Attempt n+1 waits 1, 4, 16, 64 … minutes after attempt n (at most 6 hours).
RETRY_FIRST_DELAY = timedelta(minutes=1)
RETRY_FACTOR = 4
RETRY_MAX_DELAY = timedelta(hours=6)
ALLOWED_SCHEMES = ("http", "https")


def webhook_body(delivery: WebhookDelivery) -> bytes:
    """The exact bytes that are sent and signed."""
    envelope = {"id": delivery.pk, "event": delivery.event, "created_at": delivery.created_at.isoformat(),
                "data": delivery.payload}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def webhook_signature(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the body with the endpoint's secret>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def retry_delay(attempts: int) -> timedelta:
    return min(RETRY_FIRST_DELAY * RETRY_FACTOR ** max(attempts - 1, 0), RETRY_MAX_DELAY)


def attempt_lease() -> timedelta:
    """How long an attempt may be under way before the retry sweep may start another."""
    return timedelta(seconds=settings.WEBHOOK_TIMEOUT * 2 + 60)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer (a failed delivery), never followed: the body and its
    signature go only where the merchant said."""

    def redirect_request(self, *args, **kwargs):
        return None


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the delivery; (HTTP status or None, error text or "")."""
    endpoint = delivery.endpoint
    if urlsplit(endpoint.url).scheme.lower() not in ALLOWED_SCHEMES:
        return None, "Only http:// and https:// URLs are allowed."
    body = webhook_body(delivery)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        endpoint.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "User-Agent": "Tandem-Webhooks/1",
            "X-Tandem-Event": delivery.event, "X-Tandem-Delivery": str(delivery.pk),
            "X-Tandem-Signature": webhook_signature(endpoint.secret, body)})
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        with error:
            answer = error.read(300).decode(errors="replace").strip()
        return error.code, f"HTTP {error.code}: {answer}".strip(": ")
    except urllib.error.URLError as error:
        return None, str(error.reason)
    except (OSError, ValueError, http.client.HTTPException) as error:
        return None, str(error) or type(error).__name__


def webhook_delivery_attempt(*, delivery_id: int, attempt: int) -> str:
    """Make attempt number ``attempt`` of a pending delivery and record the result; returns
    the delivery's status, or "" when it was not this call's to make. The attempt is
    claimed with a conditional update, so two workers (or a sweep that ran twice) never
    send the same attempt twice."""
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, attempts=attempt - 1,
    ).update(attempts=attempt, next_attempt_at=timezone.now() + attempt_lease())
    if not claimed:
        return ""
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    code, error = _post(delivery)
    now = timezone.now()
    if code is not None and 200 <= code < 300:
        result = {"status": DeliveryStatus.DELIVERED, "delivered_at": now, "next_attempt_at": None}
    elif attempt >= settings.WEBHOOK_MAX_ATTEMPTS:
        result = {"status": DeliveryStatus.FAILED, "next_attempt_at": None}
        logger.warning("webhook delivery %s to %s failed after %s attempts: %s", delivery.pk,
                       delivery.endpoint.url, attempt, error)
    else:
        result = {"status": DeliveryStatus.PENDING, "next_attempt_at": now + retry_delay(attempt)}
    WebhookDelivery.objects.filter(pk=delivery_id, attempts=attempt).update(
        response_code=code, last_error=error[:1000], **result)
    return result["status"]
