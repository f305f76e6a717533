"""The order as the API returns it (checkout, orders, quotes, the rep's orders)."""

from decimal import Decimal

from ninja import Schema

from tandem.orders.models import Order


class OrderLineOut(Schema):
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


class OrderOut(Schema):
    number: str
    channel: str
    status: str
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
