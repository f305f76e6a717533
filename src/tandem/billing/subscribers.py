"""Billing hears of orders through their domain events (``core.events``): in-transaction
subscribers, so an invoice issued by itself commits or rolls back with the placement or
shipment that triggered it. Orders never import billing."""

import logging

from tandem.billing.documents.automatic import invoice_on_placement, invoice_on_shipment
from tandem.billing.errors import OnlinePaymentUnavailable
from tandem.billing.payments.services import payment_open
from tandem.billing.receivables.reminders import reminder_email
from tandem.core.events import Event, subscribe
from tandem.orders.models import Order, PaymentMethod

logger = logging.getLogger("tandem.billing")


def _order_placed(event: Event) -> None:
    order: Order = event.subject
    if event.payload.get("via") != "checkout":
        _open_payment_after_approval(order)
    invoice_on_placement(order)  # INVOICE_RETAIL_ON / INVOICE_COMPANY_ON = "placement"


def _open_payment_after_approval(order: Order) -> None:
    """Online payment is held while an order waits for approval; it opens now. When online
    payment has been switched off meanwhile, the order stays awaiting payment for the shop
    to settle (the decision itself stands)."""
    if order.payment_method != PaymentMethod.ONLINE or order.payments.exists():
        return
    try:
        payment_open(order)
    except OnlinePaymentUnavailable:
        logger.warning("order %s approved, but no online payment provider is enabled", order.number)


def _order_shipped(event: Event) -> None:
    shipment = event.related.get("shipment")
    if shipment is not None:
        invoice_on_shipment(shipment)  # INVOICE_COMPANY_ON = "shipment"


def subscribe_billing() -> None:
    subscribe("order.placed", _order_placed)
    subscribe("order.shipped", _order_shipped)
    subscribe("invoice.overdue", reminder_email, after_commit=True)
