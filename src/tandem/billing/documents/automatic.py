"""Invoices that issue themselves, at the moment the settings name.

Retail orders follow ``INVOICE_RETAIL_ON``: "payment" (default: a prepaid order is invoiced
when its payment is confirmed), "placement" (when it is placed) or "manual". Company orders
follow ``INVOICE_COMPANY_ON``: "shipment" (default: each shipment is invoiced when it leaves,
whatever the payment method), "placement" (the whole order when it is placed) or "manual".
Finance staff can always issue the rest by hand (admin action, API).

Each hook runs inside the transaction of the event that calls it (placement, payment,
shipment), so the invoice and its event commit or roll back together. An order that cannot
be invoiced (waiting for approval, invoiced already) is skipped: issuing an invoice never
refuses the placement, payment or shipment that triggered it.
"""

import logging

from django.conf import settings

from tandem.billing.documents.issuing import NOT_INVOICEABLE, invoice_issue
from tandem.billing.errors import InvoiceError
from tandem.billing.models import Invoice
from tandem.orders.models import Order, OrderEvent, PaymentStatus, Shipment

logger = logging.getLogger("tandem.billing")

RETAIL_MOMENTS = ("placement", "payment", "manual")
COMPANY_MOMENTS = ("placement", "shipment", "manual")


def invoicing_moment(order: Order) -> str:
    """When ``order`` is invoiced by itself: "placement", "payment", "shipment" or "manual"
    (an unknown setting value counts as "manual": nothing is issued by mistake)."""
    if order.company_id:
        moment, allowed = settings.INVOICE_COMPANY_ON, COMPANY_MOMENTS
    else:
        moment, allowed = settings.INVOICE_RETAIL_ON, RETAIL_MOMENTS
    return moment if moment in allowed else "manual"


def invoice_on_placement(order: Order) -> Invoice | None:
    """Invoice a just-placed order when its channel's moment is "placement" (an order that
    waits for approval is not invoiceable yet)."""
    if invoicing_moment(order) != "placement" or order.status in NOT_INVOICEABLE:
        return None
    return _issue(order)


def invoice_on_payment(order: Order) -> Invoice | None:
    """Invoice a retail order whose payment was just confirmed, when the moment is "payment"."""
    order = Order.objects.filter(pk=order.pk).first()
    if (
        order is None
        or invoicing_moment(order) != "payment"
        or order.invoiced
        or order.payment_status != PaymentStatus.PAID
        or order.status in NOT_INVOICEABLE
    ):
        return None
    return _issue(order)


def invoice_on_shipment(shipment: Shipment) -> Invoice | None:
    """Invoice the units of a shipment that just left, when the order's moment is "shipment"."""
    order = shipment.order
    if invoicing_moment(order) != "shipment" or order.status in NOT_INVOICEABLE:
        return None
    return _issue(order, shipment=shipment)


def _issue(order: Order, *, shipment: Shipment | None = None) -> Invoice | None:
    try:
        invoice = invoice_issue(order=order, actor=None, shipment=shipment)
    except InvoiceError as error:
        # e.g. a shipment of units that finance invoiced by hand already: nothing more to issue
        logger.info("order %s not invoiced automatically: %s", order.number, error.code)
        return None
    OrderEvent.objects.create(
        order_id=order.pk,
        kind="invoice",
        message=invoice.number,
        data={"invoice": invoice.pk, "shipment": shipment.pk if shipment else None},
    )
    return invoice
