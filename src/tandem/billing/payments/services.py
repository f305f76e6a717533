"""Billing writes: online payment notifications (more arrive with invoices)."""

import logging

from django.db import transaction
from django.utils import timezone

from tandem.billing.documents.automatic import invoice_on_payment
from tandem.billing.errors import OnlinePaymentUnavailable, PaymentNotificationRejected
from tandem.billing.models import Payment, PaymentCallback, PaymentStatusChoices
from tandem.billing.payments.providers import InvalidNotification, online_provider, provider_for
from tandem.billing.receivables.services import online_payment_booked
from tandem.core.identifiers import is_uuid
from tandem.orders.models import Order, OrderEvent, PaymentStatus

logger = logging.getLogger("tandem.payments")


def _log(
    provider: str, outcome: str, body: bytes, *, event_id: str | None = None, payment: Payment | None = None
) -> None:
    PaymentCallback.objects.create(
        provider=provider,
        outcome=outcome,
        event_id=event_id,
        payment=payment,
        payload=body.decode("utf-8", "replace")[: 10000 if payment else 2000],
    )
    if outcome != "accepted":
        logger.warning("payment notification from %s rejected: %s", provider, outcome)


def payment_notification_handle(*, provider_code: str, body: bytes, signature: str) -> str:
    """Apply a provider's notification once. Returns "accepted" or "duplicate" (a replay of
    an event already applied, or a payment already settled: nothing changes). Raises
    PaymentNotificationRejected for a bad signature, an unknown payment or an amount or
    currency that differs from the order's; the order is left unchanged and the attempt
    is logged."""
    provider = provider_for(provider_code)
    if provider is None:
        raise PaymentNotificationRejected("Unknown payment provider.", code="unknown_provider")
    try:
        notification = provider.verify(body=body, signature=signature)
    except InvalidNotification as error:
        _log(provider_code, str(error), body)
        raise PaymentNotificationRejected("The notification failed verification.", code=str(error)) from error
    rejection = None
    with transaction.atomic():
        outcome, payment = _apply(provider_code, notification, body)
        if outcome in ("unknown_payment", "amount_mismatch"):
            rejection = (outcome, payment)
            transaction.set_rollback(True)
    if rejection is not None:
        # Logged outside the rolled-back transaction, so the attempt is kept.
        outcome, payment = rejection
        _log(provider_code, outcome, body, event_id=notification.event_id, payment=payment)
        raise PaymentNotificationRejected(
            "The amount does not match the order." if outcome == "amount_mismatch" else "Unknown payment.",
            code=outcome,
        )
    return outcome


def _apply(provider_code: str, notification, body: bytes) -> tuple[str, Payment | None]:
    payment = (
        Payment.objects.select_for_update()
        .filter(reference=notification.reference, provider=provider_code)
        .first()
        if is_uuid(notification.reference)
        else None
    )
    if payment is None:
        return "unknown_payment", None
    if PaymentCallback.objects.filter(
        provider=provider_code, event_id=notification.event_id, outcome="accepted"
    ).exists():
        _log(provider_code, "replay", body, event_id=notification.event_id, payment=payment)
        return "duplicate", payment
    if notification.amount != payment.amount or notification.currency != payment.currency:
        return "amount_mismatch", payment
    # pending → paid/failed, and failed → paid (the money can arrive after a failure was
    # reported); anything else is settled already and changes nothing.
    if payment.status == PaymentStatusChoices.PAID or (
        payment.status == PaymentStatusChoices.FAILED and notification.status != "paid"
    ):
        _log(provider_code, "already_settled", body, event_id=notification.event_id, payment=payment)
        return "duplicate", payment
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    if notification.status == "paid" and order.payment_status == PaymentStatus.PAID:
        # Paid twice (e.g. a retry after a late confirmation): staff refund or keep as credit.
        OrderEvent.objects.create(
            order=order,
            kind="payment_duplicate",
            message="A second payment arrived for an order already paid.",
            data={"payment": str(payment.reference), "amount": str(notification.amount)},
        )
    paid = notification.status == "paid"
    payment.status = PaymentStatusChoices.PAID if paid else PaymentStatusChoices.FAILED
    payment.provider_transaction = notification.transaction_id
    payment.confirmed_at = timezone.now()
    payment.save(update_fields=["status", "provider_transaction", "confirmed_at"])
    if paid or order.payment_status == PaymentStatus.AWAITING:
        Order.objects.filter(pk=order.pk).update(
            payment_status=PaymentStatus.PAID if paid else PaymentStatus.FAILED
        )
    online_payment_booked(payment)  # a company's order: recorded among its received payments
    OrderEvent.objects.create(
        order_id=payment.order_id,
        kind="payment_paid" if paid else "payment_failed",
        data={
            "provider": provider_code,
            "transaction": notification.transaction_id,
            "amount": str(notification.amount),
        },
    )
    invoice_on_payment(order)  # INVOICE_RETAIL_ON = "payment" (only an order now paid)
    _log(provider_code, "accepted", body, event_id=notification.event_id, payment=payment)
    return "accepted", payment


def payment_open(order: Order) -> Payment:
    """A new online payment of the order's total with the enabled provider (call inside the
    order's transaction). Raises OnlinePaymentUnavailable when no provider is enabled."""
    provider = online_provider()
    if provider is None:
        raise OnlinePaymentUnavailable()
    return Payment.objects.create(
        order=order, provider=provider.code, amount=order.total_gross, currency=order.currency
    )


def payment_retry(*, order: Order) -> Payment:
    """A new attempt after a failed online payment."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.payment_status != PaymentStatus.FAILED:
            pending = order.payments.filter(status=PaymentStatusChoices.PENDING).first()
            return pending or order.payments.first()
        payment = payment_open(order)
        Order.objects.filter(pk=order.pk).update(payment_status=PaymentStatus.AWAITING)
        return payment
