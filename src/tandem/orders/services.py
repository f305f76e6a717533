"""Order writes after placement: status changes (with stock), cancellation, reorder.

Every change is one transaction on the locked order row and leaves an OrderEvent with
who made it (and for which company, when staff act for a customer).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.cart.models import Cart, CartLine
from tandem.cart.services import QuickOrderReport, QuickOrderRow, quick_order_add
from tandem.core.context import CustomerContext
from tandem.core.errors import NotFound, PermissionDenied
from tandem.customers.auth import membership_of
from tandem.customers.models import CompanyRole, User
from tandem.orders.errors import OrderStatusError
from tandem.orders.models import CustomStatus, Order, OrderEvent, OrderStatus
from tandem.orders.selectors import orders_managed_by
from tandem.orders.shipments import ShipmentRequest, ship_lines
from tandem.orders.transitions import next_stages, order_event_publish, order_transition, transition_for
from tandem.pricing import engine
from tandem.pricing.selectors import variant_pricing

S = OrderStatus
# Before this stage a customer may still cancel their own order.
CUSTOMER_CANCELLABLE = {S.PENDING_APPROVAL, S.PLACED}


def may_change_status(user: User, order: Order, status: str) -> bool:
    """Staff with the right to change orders move them along; a customer (the buyer, or
    their company's admin) may only cancel an order that nobody has confirmed yet.
    Accountants never."""
    if user.has_perm("orders.change_order"):
        return True
    if status != S.CANCELLED or order.status not in CUSTOMER_CANCELLABLE:
        return False
    membership = membership_of(user)
    if order.company_id:
        return (
            membership is not None
            and membership.company_id == order.company_id
            and membership.role in (CompanyRole.ADMIN, CompanyRole.BUYER)
            and (membership.role == CompanyRole.ADMIN or order.user_id == user.pk)
        )
    return order.user_id == user.pk


def may_cancel(user: User, order: Order) -> bool:
    """Whether this user may cancel this order now (what the order page offers)."""
    return (
        S.CANCELLED in next_stages(order.status)
        and may_change_status(user, order, S.CANCELLED)
        and not any(line.shipped for line in order.lines.all())
    )


def order_status_change(
    *,
    order: Order,
    status: str,
    actor: User,
    note: str = "",
    custom_status: CustomStatus | None = None,
) -> Order:
    """Move the order to the stage ``status`` (``orders.transitions``). Cancelling releases its
    reserved stock; marking it shipped ships everything still to go, with its dispatch note.
    Raises OrderStatusError for a move the order cannot make and PermissionDenied for one
    this user may not make; nothing changes then. ``custom_status``: the merchant status the
    move is for (the customer is told its name)."""
    if status not in S.values:
        raise OrderStatusError(_("Unknown status %(status)s.") % {"status": status[:30]}, field="status")
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order.pk).first()
        if order is None:
            raise NotFound()
        if not may_change_status(actor, order, status):
            raise PermissionDenied(_("You cannot change this order's status."))
        transition = transition_for(order.status, status)
        related: dict[str, object] = {"custom_status": custom_status}
        data: dict[str, object] = {"custom_status_id": custom_status.pk if custom_status else None}
        if transition.name == "ship" and order.lines.filter(shipped__lt=F("quantity")).exists():
            shipment = ship_lines(order, actor, ShipmentRequest(quantities={}))
            related["shipment"], data["shipment_id"] = shipment, shipment.pk
        order_transition(order, transition.name, actor=actor, note=note, data=data, related=related)
    return order


def order_cancel(*, order: Order, actor: User, reason: str = "") -> Order:
    return order_status_change(order=order, status=S.CANCELLED, actor=actor, note=reason)


@dataclass(frozen=True, slots=True)
class PriceChange:
    sku: str
    name: str
    was: Decimal
    now: Decimal


@dataclass(slots=True)
class ReorderReport:
    added: QuickOrderReport
    price_changes: list[PriceChange] = field(default_factory=list)


def order_reorder(*, order: Order, cart: Cart, context: CustomerContext) -> ReorderReport:
    """Put a past order's lines into the cart at today's prices: the same checks as a quick
    order (what is no longer available or breaks a rule is reported, not added), and the
    lines whose unit price differs from the order's."""
    lines = list(order.lines.select_related("variant"))
    report = quick_order_add(
        cart=cart,
        context=context,
        rows=[
            QuickOrderRow(line=index, sku=line.sku, quantity=str(line.quantity))
            for index, line in enumerate(lines, start=1)
        ],
    )
    added = {result.sku.upper() for result in report.added}
    again = [line for line in lines if line.variant_id and line.sku.upper() in added]
    inputs = variant_pricing(context, [(line.variant_id, line.variant.tax_class_id) for line in again])
    # Priced at the quantity now in the cart (the order's plus what was there already),
    # which is what the customer will pay: a tier may apply that the order alone did not reach.
    in_cart = dict(
        CartLine.objects.filter(cart=cart, variant_id__in=[line.variant_id for line in again]).values_list(
            "variant_id", "quantity"
        )
    )
    changes = []
    for line in again:
        quantity = in_cart.get(line.variant_id, line.quantity)
        price = engine.resolve_one(context, inputs[line.variant_id], quantity)
        was = line.unit_net if order.is_b2b else line.unit_gross
        if price is not None and price.unit_display != was:
            changes.append(PriceChange(sku=line.sku, name=line.name, was=was, now=price.unit_display))
    return ReorderReport(added=report, price_changes=changes)


def order_custom_status_set(
    *, order: Order, custom_status: CustomStatus, actor: User, note: str = ""
) -> Order:
    """Give the order a merchant status. Its core stage moves with it under the core rules
    (stock released on cancel, shipped on ship); a status not allowed after the current
    one is refused. The customer is e-mailed when the status says so."""
    if not actor.has_perm("orders.change_order"):
        raise PermissionDenied(_("You cannot change this order's status."))
    with transaction.atomic():
        current = (
            Order.objects.select_for_update(of=("self",)).select_related("custom_status").get(pk=order.pk)
        )
        if current.custom_status is not None:
            allowed = current.custom_status.allowed_next.all()
            if allowed.exists() and not allowed.filter(pk=custom_status.pk).exists():
                raise OrderStatusError(
                    _(
                        "An order that is “%(current)s” cannot become “%(target)s”; it can become: "
                        "%(possible)s."
                    )
                    % {
                        "current": current.custom_status.tr("name"),
                        "target": custom_status.tr("name"),
                        "possible": ", ".join(status.tr("name") for status in allowed),
                    }
                )
        # Set first, so the status change below already reports the merchant status.
        Order.objects.filter(pk=current.pk).update(custom_status=custom_status)
        current.custom_status = custom_status
        OrderEvent.objects.create(
            order=current,
            kind="custom_status",
            status=current.status,
            actor=actor,
            message=note.strip()[:2000],
            data={"custom_status": custom_status.code},
        )
        if custom_status.stage != current.status:
            current = order_status_change(
                order=current, status=custom_status.stage, actor=actor, note=note, custom_status=custom_status
            )
            current.custom_status = custom_status
        else:  # the stage stays: only the merchant status is news
            order_event_publish(
                "order.status_changed",
                current,
                actor=actor,
                related={"custom_status": custom_status},
                previous_status=current.status,
                transition=None,
                note=note.strip()[:2000],
                custom_status_id=custom_status.pk,
            )
    return current


@dataclass(frozen=True, slots=True)
class Acknowledged:
    numbers: list[str]  # now marked taken (those taken before are not again)
    unknown: list[str]  # not an order this user manages


def orders_acknowledge(*, user: User, numbers: list[str]) -> Acknowledged:
    """An integration says it has taken these orders (the ERP booked them): each is marked
    taken once, and ``GET /orders/changes?exported=false`` leaves it out from then on. The
    order's ``updated_at`` stays — taking it is not a change the feed should serve again."""
    if not (user.is_staff and user.has_perm("orders.change_order")):
        raise PermissionDenied(_("Only staff who may change orders can acknowledge them."))
    wanted = list(dict.fromkeys(number.strip() for number in numbers))
    managed = orders_managed_by(user).filter(number__in=wanted)
    found = set(managed.values_list("number", flat=True))
    fresh = list(managed.filter(exported_at__isnull=True).values_list("number", flat=True))
    Order.objects.filter(number__in=fresh, exported_at__isnull=True).update(
        exported_at=timezone.now(), updated_at=F("updated_at")
    )
    return Acknowledged(numbers=sorted(fresh), unknown=[number for number in wanted if number not in found])
