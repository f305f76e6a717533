"""The event catalogue: stable codes that webhooks (and inbox notifications) are named by,
and the payloads they carry. Codes never change meaning; new ones are only added."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.orders.models import Order, Shipment


class WebhookEvent(models.TextChoices):
    """What an integration (ERP, WMS, CRM) can subscribe to. Every order payload carries
    the order's current status, so mirroring statuses means listening to all ``order.*``."""

    ORDER_PLACED = "order.placed", _("Order placed (at checkout, or when its last approval is given)")
    ORDER_APPROVAL_REQUESTED = "order.approval_requested", _("Order waits for approval")
    ORDER_APPROVED = "order.approved", _("Order approved (one level)")
    ORDER_REJECTED = "order.rejected", _("Order rejected")
    ORDER_STATUS_CHANGED = "order.status_changed", _("Order status changed")
    ORDER_SHIPPED = "order.shipped", _("Order shipped (a shipment was made)")
    ORDER_CANCELLED = "order.cancelled", _("Order cancelled")
    RECURRING_ORDER_FAILED = "recurring_order.failed", _("Recurring order could not be placed")
    INVOICE_ISSUED = "invoice.issued", _("Invoice or credit note issued")
    INVOICE_OVERDUE = "invoice.overdue", _("Payment reminder sent for an overdue invoice")
    PRODUCT_CHANGED = "product.changed", _("Products created or changed (in the admin or through the API)")
    PRICE_LIST_CHANGED = "price_list.changed", _("Price list changed")
    STOCK_LOW = "stock.low", _("Stock of a variant fell to the low-stock threshold")
    TEST = "webhook.test", _("Test event (sent from the admin)")


def order_payload(order: Order) -> dict:
    """What an integration needs to act on an order, as plain JSON: amounts as strings
    (never floats), the buyer's VAT ID as on the order, and each line's progress."""
    custom_status = order.custom_status if order.custom_status_id else None
    return {
        "number": order.number,
        "channel": order.channel,
        "status": order.status,
        "custom_status": custom_status.code if custom_status is not None else None,
        "company_vat_id": ((order.buyer or {}).get("vat_id") or None) if order.company_id else None,
        "po_number": order.po_number,
        "payment_method": order.payment_method,
        "payment_status": order.payment_status,
        "currency": order.currency,
        "totals": {
            "net": str(order.total_net),
            "tax": str(order.total_tax),
            "gross": str(order.total_gross),
            "delivery": str(order.delivery_price),
            "discount": str(order.discount_total),
        },
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "shipped": line.shipped,
                "unit_net": str(line.unit_net),
                "line_net": str(line.line_net),
            }
            for line in order.lines.all()
        ],
        "created_at": order.created_at.isoformat() if order.created_at else None,
        "placed_at": order.placed_at.isoformat() if order.placed_at else None,
    }


def shipment_payload(shipment: Shipment) -> dict:
    """The shipment part of an ``order.shipped`` payload."""
    return {
        "number": shipment.number,
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "lines": [
            {"sku": line.order_line.sku, "quantity": line.quantity}
            for line in shipment.lines.select_related("order_line")
        ],
    }
