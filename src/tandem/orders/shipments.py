"""Shipments: goods leave the warehouse for an order, all at once or in parts.

Each shipment takes its units out of the order's reservations (on hand and reserved both
drop) and gets a dispatch note number, gapless per year. An order is "shipped" when every
unit has left, "in progress" while some are still to go.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.errors import DomainError, PermissionDenied
from tandem.core.numbering import next_number
from tandem.customers.models import User
from tandem.inventory.errors import StockShortage
from tandem.inventory.services import stock_ship
from tandem.orders.models import Order, OrderLine, OrderStatus, Shipment, ShipmentLine
from tandem.orders.transitions import order_transition

SHIPPABLE = {OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS}


class ShipmentError(DomainError):
    """A shipment cannot be made as asked; nothing was changed."""

    code = "shipment_invalid"

    def __init__(self, message, *, code: str, lines: list[dict] | None = None):
        super().__init__(message, code=code)
        self.lines = lines or []


@dataclass(frozen=True, slots=True)
class ShipmentRequest:
    quantities: dict[str, int]  # SKU → units; empty: everything still to ship
    carrier: str = ""
    tracking_number: str = ""


def shipment_create(*, order: Order, actor: User, request: ShipmentRequest) -> Shipment:
    """Ship units of an order (staff with the right to change orders). Refuses, per line,
    more than is still to ship or more than the warehouses hold; the order row is locked,
    so two shipments at once cannot ship the same units."""
    if not actor.has_perm("orders.change_order"):
        raise PermissionDenied(_("You cannot ship orders."))
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status not in SHIPPABLE:
            raise ShipmentError(
                _("An order that is “%(status)s” cannot be shipped.")
                % {"status": order.get_status_display()},
                code="order_not_shippable",
            )
        shipment = ship_lines(order, actor, request)
        left = order.lines.filter(shipped__lt=F("quantity")).exists()
        order_transition(
            order,
            "ship_part" if left else "ship",
            actor=actor,
            kind="shipment",
            note=shipment.number,
            related={"shipment": shipment},
            data={
                "via": "shipment",
                "shipment_id": shipment.pk,
                "carrier": shipment.carrier,
                "tracking": shipment.tracking_number,
            },
        )
        Order.objects.filter(pk=order.pk).update()  # a new shipment is a change of the order
    return shipment


def ship_lines(order: Order, actor: User, request: ShipmentRequest) -> Shipment:
    """Make the shipment (call under the order's row lock)."""
    lines = list(order.lines.select_for_update())
    by_sku = {line.sku.upper(): line for line in lines}
    wanted: dict[int, int] = {}
    problems = []
    if request.quantities:
        for sku, quantity in request.quantities.items():
            line = by_sku.get(sku.strip().upper())
            if line is None:
                problems.append({"sku": sku, "message": _("Not on this order.")})
                continue
            left = line.quantity - line.shipped
            if quantity < 1 or wanted.get(line.pk, 0) + quantity > left:
                problems.append(
                    {
                        "sku": sku,
                        "message": _("Between 1 and %(left)s units are still to ship.") % {"left": left},
                    }
                )
            else:
                wanted[line.pk] = wanted.get(line.pk, 0) + quantity
    else:
        wanted = {line.pk: line.quantity - line.shipped for line in lines if line.shipped < line.quantity}
    if problems:
        raise ShipmentError(
            _("Some lines cannot be shipped as asked; see each line."),
            code="shipment_quantities",
            lines=problems,
        )
    if not wanted:
        raise ShipmentError(_("Everything on this order has been shipped already."), code="nothing_left")
    year = timezone.localdate().year
    shipment = Shipment.objects.create(
        order=order,
        number=f"WZ/{year}/{next_number(series='dispatch', year=year):05d}",
        carrier=request.carrier.strip()[:80],
        tracking_number=request.tracking_number.strip()[:80],
        created_by=actor,
    )
    for line in sorted((line for line in lines if line.pk in wanted), key=lambda line: line.variant_id or 0):
        taken = _take_stock(line, wanted[line.pk], f"shipment:{shipment.number}", actor)
        ShipmentLine.objects.create(
            shipment=shipment,
            order_line=line,
            quantity=wanted[line.pk],
            warehouses={str(k): v for k, v in taken.items()},
        )
    return shipment


def _take_stock(line: OrderLine, quantity: int, reference: str, actor: User | None) -> dict[int, int]:
    """Take ``quantity`` out of the line's reserved units first, then (for back-ordered
    units that have arrived since) out of free stock (``inventory.services.stock_ship``);
    refuse what is not there."""
    try:
        shipped = stock_ship(
            variant_id=line.variant_id,
            reserved=line.reserved,
            quantity=quantity,
            reference=reference,
            actor_id=actor.pk if actor is not None else None,
        )
    except StockShortage as shortage:
        raise ShipmentError(
            _("%(sku)s: only %(count)s units are in stock to ship.")
            % {"sku": line.sku, "count": shortage.available},
            code="not_in_stock",
            lines=[{"sku": line.sku, "message": _("not in stock yet")}],
        ) from shortage
    taken, reserved = shipped.taken, shipped.reserved_left
    line.reserved = {str(k): v for k, v in reserved.items() if v}
    line.shipped += quantity
    # what is still to ship beyond the units held for it is on back-order
    line.backordered = max(line.quantity - line.shipped - sum(line.reserved.values()), 0)
    line.save(update_fields=["reserved", "backordered", "shipped"])
    return taken
