"""The inbox and webhooks hear of orders through their domain events (``core.events``):
in-transaction subscribers, so the inbox rows and webhook deliveries commit or roll back
with the change itself. Orders never import messaging."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.core.events import Event, subscribe
from tandem.messaging.events import WebhookEvent
from tandem.messaging.services import (
    notify_users,
    order_approval_decided_notify,
    order_approval_requested_notify,
    order_notify,
    order_placed_notify,
    order_shipped_notify,
    order_status_notify,
    recurring_order_failed_notify,
)
from tandem.messaging.webhooks import event_emit


def _order_placed(event: Event) -> None:
    if event.payload.get("via") == "checkout":
        order_placed_notify(order=event.subject)
    else:  # placed by its last approval: the buyer heard it with the decision
        order_notify(order=event.subject, event=WebhookEvent.ORDER_PLACED)


def _approval_requested(event: Event) -> None:
    order_approval_requested_notify(order=event.subject, reasons=str(event.payload.get("reasons", "")))
    order_placed_notify(order=event.subject)  # the buyer's "waits for approval"


def _approval_decided(event: Event) -> None:
    order_approval_decided_notify(
        order=event.subject,
        approved=event.name == "order.approved",
        placed=bool(event.payload.get("placed")),
        actor=event.related.get("actor"),
        comment=str(event.payload.get("comment", "")),
    )


def _status_changed(event: Event) -> None:
    shipment = event.related.get("shipment")
    if event.payload.get("via") == "shipment":
        order_shipped_notify(
            order=event.subject,
            shipment=shipment,
            previous=event.payload["previous_status"],
            actor=event.related.get("actor"),
        )
        return
    order_status_notify(
        order=event.subject,
        previous=event.payload["previous_status"],
        actor=event.related.get("actor"),
        note=str(event.payload.get("note", "")),
        shipment=shipment,
        custom_status=event.related.get("custom_status"),
    )


REMINDER_TITLE = _("Invoice %(number)s is overdue")
REMINDER_BODY = _("%(amount)s is still to pay, %(days)s days after the due date.")


def _invoice_overdue(event: Event) -> None:
    """A payment reminder: the people who pay see it in their inboxes; integrations hear of it
    without the people (no e-mails or user ids in the webhook)."""
    invoice = event.subject
    event_emit(
        event=WebhookEvent.INVOICE_OVERDUE,
        payload={
            "invoice_id": invoice.pk,
            "number": invoice.number,
            "company_id": invoice.company_id,
            "step": event.payload["step"],
            "days_overdue": event.payload["days_overdue"],
            "due_date": event.payload["due_date"],
        },
    )
    notify_users(
        user_ids=event.payload["user_ids"],
        kind="invoice.overdue",
        title=REMINDER_TITLE,
        body=REMINDER_BODY,
        url=reverse("storefront:account"),
        order=invoice.order,
        params={
            "number": invoice.number,
            "amount": event.payload["overdue_amount"],
            "days": event.payload["days_overdue"],
        },
    )


def _recurring_failed(event: Event) -> None:
    recurring_order_failed_notify(recurring=event.subject)


def _forward(event: Event) -> None:
    """Domain events that integrations hear of as they are (no inbox message): their payload
    is the webhook's."""
    event_emit(event=event.name, payload=dict(event.payload))


FORWARDED = (
    WebhookEvent.INVOICE_ISSUED,
    WebhookEvent.PRODUCT_CHANGED,
    WebhookEvent.PRICE_LIST_CHANGED,
    WebhookEvent.STOCK_LOW,
)


def subscribe_notifications() -> None:
    for name in FORWARDED:
        subscribe(name, _forward)
    subscribe("order.placed", _order_placed)
    subscribe("order.approval_requested", _approval_requested)
    subscribe("order.approved", _approval_decided)
    subscribe("order.rejected", _approval_decided)
    for name in ("order.status_changed", "order.shipped", "order.cancelled"):
        subscribe(name, _status_changed)
    subscribe("recurring_order.failed", _recurring_failed)
    subscribe("invoice.overdue", _invoice_overdue)
