"""The order as the API returns it (checkout, orders, quotes, the rep's orders): what an
ERP needs to book it — times, the company and its VAT ID, the buyer and delivery addresses,
the delivery method's code, custom status, shipments, line and variant ids."""

from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet
from ninja import Field, Schema

from tandem.orders.models import Order, Shipment

# What OrderOut reads besides the order row: fetch it with the orders, not per order.
ORDER_OUT_PREFETCH = ("lines", "shipments__lines__order_line")


def orders_for_output(orders: QuerySet[Order]) -> QuerySet[Order]:
    return orders.select_related("custom_status").prefetch_related(*ORDER_OUT_PREFETCH)


class OrderLineOut(Schema):
    id: int
    variant_id: int | None
    sku: str
    name: str
    quantity: int
    unit_net: Decimal
    unit_gross: Decimal
    tax_rate: Decimal
    discount: Decimal
    line_net: Decimal
    price_source: str
    price_explanation: list[str]
    backordered: int


class ShipmentLineOut(Schema):
    line_id: int
    sku: str
    quantity: int


class ShipmentOut(Schema):
    number: str
    carrier: str
    tracking_number: str
    shipped_at: datetime
    lines: list[ShipmentLineOut]

    @staticmethod
    def of(shipment: Shipment) -> "ShipmentOut":
        """A shipment with its lines (prefetch ``lines__order_line`` when there are many)."""
        return ShipmentOut(
            number=shipment.number,
            carrier=shipment.carrier,
            tracking_number=shipment.tracking_number,
            shipped_at=shipment.shipped_at,
            lines=[
                ShipmentLineOut(line_id=item.order_line_id, sku=item.order_line.sku, quantity=item.quantity)
                for item in shipment.lines.all()
            ],
        )


class CustomStatusOut(Schema):
    code: str
    name: str


class OrderOut(Schema):
    number: str
    channel: str
    status: str
    custom_status: CustomStatusOut | None = None
    created_at: datetime | None = None
    placed_at: datetime | None = None
    updated_at: datetime | None = None
    exported_at: datetime | None = Field(None, description="when an integration acknowledged taking it")
    company_id: int | None = None
    vat_id: str = ""
    buyer: dict = {}
    shipping_address: dict = {}
    delivery_method_code: str = ""
    shipments: list[ShipmentOut] = []
    currency: str
    email: str
    po_number: str
    payment_method: str
    payment_status: str
    payment_terms: str
    payment_url: str | None = None
    delivery_method: str
    delivery_net: Decimal
    discount_total: Decimal
    total_net: Decimal
    total_tax: Decimal
    total_gross: Decimal
    reverse_charge: bool
    tax_summary: list[dict]
    lines: list[OrderLineOut]

    @staticmethod
    def of(order: Order, payment_url: str | None = None) -> "OrderOut":
        return OrderOut(
            number=order.number,
            channel=order.channel,
            status=order.status,
            custom_status=CustomStatusOut(code=order.custom_status.code, name=order.custom_status.tr("name"))
            if order.custom_status_id
            else None,
            created_at=order.created_at,
            placed_at=order.placed_at,
            updated_at=order.updated_at,
            exported_at=order.exported_at,
            company_id=order.company_id,
            vat_id=(order.buyer or {}).get("vat_id", ""),
            buyer=order.buyer or {},
            shipping_address=order.shipping_address or {},
            delivery_method_code=order.delivery_code,
            shipments=[ShipmentOut.of(shipment) for shipment in order.shipments.all()],
            currency=order.currency,
            email=order.email,
            po_number=order.po_number,
            payment_method=order.payment_method,
            payment_status=order.payment_status,
            payment_terms=order.payment_terms,
            payment_url=payment_url,
            delivery_method=order.delivery_method,
            delivery_net=order.delivery_net,
            discount_total=order.discount_total,
            total_net=order.total_net,
            total_tax=order.total_tax,
            total_gross=order.total_gross,
            reverse_charge=order.reverse_charge,
            tax_summary=order.tax_summary,
            lines=[
                OrderLineOut(
                    id=line.pk,
                    variant_id=line.variant_id,
                    sku=line.sku,
                    name=line.name,
                    quantity=line.quantity,
                    unit_net=line.unit_net,
                    unit_gross=line.unit_gross,
                    tax_rate=line.tax_rate,
                    discount=line.discount,
                    line_net=line.line_net,
                    price_source=line.price_source,
                    price_explanation=line.price_explanation,
                    backordered=line.backordered,
                )
                for line in order.lines.all()
            ],
        )
