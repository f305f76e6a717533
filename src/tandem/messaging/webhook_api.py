"""Webhook endpoints managed by the integration itself (``webhooks:manage``): subscribe,
choose events, pause, rotate the secret, read the delivery log and replay a delivery. The
same rules as the admin (messaging.webhooks); merchant staff with the webhook rights."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tandem.core.errors import NotFound, PermissionDenied
from tandem.customers.api_auth import user_auth
from tandem.messaging.delivery import standard_webhooks_secret
from tandem.messaging.events import WebhookEvent
from tandem.messaging.models import WebhookDelivery, WebhookEndpoint
from tandem.messaging.webhooks import (
    webhook_delivery_replay,
    webhook_endpoint_save,
    webhook_secret_rotate,
    webhook_test_send,
)

router = Router(tags=["webhooks"], auth=user_auth)
MAX_ID = 2_147_483_647


class EventOut(Schema):
    code: str
    description: str


class EndpointIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    url: str = Field(max_length=500, pattern=r"^https?://\S+$", description="http:// or https://")
    events: list[str] = Field([], max_length=50, description="event codes; empty: every event")
    is_active: bool = True


class EndpointPatch(Schema):
    name: str = Field(None, min_length=1, max_length=120)
    url: str = Field(None, max_length=500, pattern=r"^https?://\S+$")
    events: list[str] = Field(None, max_length=50)
    is_active: bool = Field(None, description="false pauses deliveries")


class EndpointOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    is_active: bool
    created_at: datetime
    previous_secret_until: datetime | None = Field(description="the old secret still signs until then")


class SecretOut(EndpointOut):
    secret: str = Field(description="for X-Tandem-Signature; shown only now")
    standard_webhooks_secret: str = Field(description="the same key as Standard Webhooks libraries take it")


class DeliveryOut(Schema):
    id: int
    webhook_id: str = Field(description="the webhook-id header: the same on every attempt and replay")
    event: str
    status: str
    attempts: int
    response_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None


class DeliveryPage(Schema):
    count: int
    items: list[DeliveryOut]


class DeliveryQuery(Schema):
    status: Literal["pending", "delivered", "failed"] | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_ID)


def _staff(request: HttpRequest, action: str) -> None:
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm(f"messaging.{action}_webhookendpoint")):
        raise PermissionDenied(_("Only merchant staff with the webhook rights may manage webhooks."))


def _endpoint(request: HttpRequest, endpoint_id: int, action: str) -> WebhookEndpoint:
    _staff(request, action)
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first() if 0 < endpoint_id <= MAX_ID else None
    if endpoint is None:
        raise NotFound()
    return endpoint


def _with_secret(endpoint: WebhookEndpoint) -> dict:
    return {
        **EndpointOut.from_orm(endpoint).dict(),
        "secret": endpoint.secret,
        "standard_webhooks_secret": standard_webhooks_secret(endpoint.secret),
    }


def _delivery(delivery: WebhookDelivery) -> dict:
    return {**DeliveryOut.from_orm(delivery).dict(exclude={"webhook_id"}), "webhook_id": delivery.webhook_id}


@router.get("/events", response=list[EventOut])
def webhook_events(request: HttpRequest):
    """The events an endpoint can subscribe to (docs/api.md, "Webhooks")."""
    _staff(request, "view")
    return [
        {"code": code, "description": str(label)}
        for code, label in WebhookEvent.choices
        if code != WebhookEvent.TEST
    ]


@router.get("", response=list[EndpointOut])
def webhooks(request: HttpRequest):
    """Every webhook endpoint (secrets are never shown again after they are made)."""
    _staff(request, "view")
    return list(WebhookEndpoint.objects.order_by("name", "id"))


@router.post("", response={201: SecretOut})
def webhook_create(request: HttpRequest, payload: EndpointIn):
    """Subscribe a URL to events; the answer carries its signing secret, shown only once.
    Honours ``Idempotency-Key``."""
    _staff(request, "add")
    endpoint = webhook_endpoint_save(
        endpoint=WebhookEndpoint(), changes=payload.dict(), actor_id=request.user.pk
    )
    return Status(201, _with_secret(endpoint))


@router.get("/{endpoint_id}", response=EndpointOut)
def webhook(request: HttpRequest, endpoint_id: int):
    """One webhook endpoint."""
    return _endpoint(request, endpoint_id, "view")


@router.patch("/{endpoint_id}", response=EndpointOut)
def webhook_update(request: HttpRequest, endpoint_id: int, payload: EndpointPatch):
    """Change what is sent (name, URL, events; ``is_active: false`` pauses it); only the
    fields sent change."""
    endpoint = _endpoint(request, endpoint_id, "change")
    return webhook_endpoint_save(
        endpoint=endpoint, changes=payload.dict(exclude_unset=True), actor_id=request.user.pk
    )


@router.delete("/{endpoint_id}", response={204: None})
def webhook_delete(request: HttpRequest, endpoint_id: int):
    """Unsubscribe: the endpoint and its delivery log are removed."""
    _endpoint(request, endpoint_id, "delete").delete()
    return Status(204, None)


@router.post("/{endpoint_id}/rotate-secret", response=SecretOut)
def webhook_rotate_secret(request: HttpRequest, endpoint_id: int):
    """A new signing secret. For 24 hours each delivery's ``webhook-signature`` carries a
    second signature made with the old one, so the receiver switches without losing any."""
    endpoint = webhook_secret_rotate(endpoint=_endpoint(request, endpoint_id, "change"))
    return _with_secret(endpoint)


@router.post("/{endpoint_id}/test", response={202: list[DeliveryOut]})
def webhook_test(request: HttpRequest, endpoint_id: int):
    """Send a ``webhook.test`` event now (whatever the endpoint subscribes to)."""
    sent = webhook_test_send(endpoints=[_endpoint(request, endpoint_id, "change")])
    return Status(202, [_delivery(delivery) for delivery in sent])


@router.get("/{endpoint_id}/deliveries", response=DeliveryPage)
def webhook_deliveries(request: HttpRequest, endpoint_id: int, params: Query[DeliveryQuery]):
    """The endpoint's delivery log, newest first: each attempt's answer, what is pending."""
    endpoint = _endpoint(request, endpoint_id, "view")
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-id")
    if params.status:
        deliveries = deliveries.filter(status=params.status)
    page = deliveries[params.offset : params.offset + params.limit]
    return {"count": deliveries.count(), "items": [_delivery(delivery) for delivery in page]}


@router.post("/deliveries/{delivery_id}/replay", response={202: DeliveryOut})
def webhook_replay(request: HttpRequest, delivery_id: int):
    """Send a delivery again — delivered, failed or pending — with the same ``webhook-id``."""
    _staff(request, "change")
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first() if 0 < delivery_id <= MAX_ID else None
    if delivery is None:
        raise NotFound()
    webhook_delivery_replay(delivery=delivery)
    return Status(202, _delivery(delivery))
