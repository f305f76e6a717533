"""Order writes after placement: status changes (with stock), cancellation, reorder.

Every change is one transaction on the locked order row and leaves an OrderEvent with
who made it (and for which company, when staff act for a customer).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.billing.auto_invoicing import invoice_on_shipment
from tandem.cart.models import Cart, CartLine
from tandem.cart.services import QuickOrderReport, QuickOrderRow, quick_order_add
from tandem.core.context import CustomerContext
from tandem.core.errors import NotFound, PermissionDenied
from tandem.core.tasks import send_email
from tandem.customers.auth import membership_of
from tandem.customers.models import CompanyRole, User
from tandem.inventory.services import stock_release
from tandem.messaging.services import order_status_notify
from tandem.orders.errors import OrderStatusError
from tandem.orders.models import CustomStatus, Order, OrderEvent, OrderStatus
from tandem.orders.shipments import ShipmentRequest, ship_lines
from tandem.pricing import engine
from tandem.pricing.selectors import variant_pricing

S = OrderStatus
# The core stages and where each may go next (merchant statuses map onto these).
NEXT_STATUSES: dict[str, set[str]] = {
    S.DRAFT: {S.PENDING_APPROVAL, S.PLACED, S.CANCELLED},
    S.PENDING_APPROVAL: {S.CANCELLED},  # placed only by its approvers (orders.approvals)
    S.PLACED: {S.CONFIRMED, S.IN_PROGRESS, S.SHIPPED, S.CANCELLED},
    S.CONFIRMED: {S.IN_PROGRESS, S.SHIPPED, S.CANCELLED},
    S.IN_PROGRESS: {S.SHIPPED, S.CANCELLED},
    S.SHIPPED: {S.DELIVERED, S.COMPLETED},
    S.DELIVERED: {S.COMPLETED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}
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
        return (membership is not None and membership.company_id == order.company_id
                and membership.role in (CompanyRole.ADMIN, CompanyRole.BUYER)
                and (membership.role == CompanyRole.ADMIN or order.user_id == user.pk))
    return order.user_id == user.pk


def may_cancel(user: User, order: Order) -> bool:
    """Whether this user may cancel this order now (what the order page offers)."""
    return (S.CANCELLED in NEXT_STATUSES[order.status] and may_change_status(user, order, S.CANCELLED)
            and not any(line.shipped for line in order.lines.all()))


def order_status_change(
    *, order: Order, status: str, actor: User, note: str = "", custom_status: CustomStatus | None = None,
) -> Order:
    """Move the order to ``status``. Cancelling releases its reserved stock; shipping takes
    the reserved units out of the warehouse. Raises OrderStatusError for a move the order
    cannot make and PermissionDenied for one this user may not make; nothing changes then.
    The buyer's inbox and webhooks hear of it (``custom_status``: the merchant status the
    move is for, whose name the buyer is told)."""
    if status not in NEXT_STATUSES:
        raise OrderStatusError(_("Unknown status %(status)s.") % {"status": status[:30]}, field="status")
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order.pk).first()
        if order is None:
            raise NotFound()
        if not may_change_status(actor, order, status):
            raise PermissionDenied(_("You cannot change this order's status."))
        if status not in NEXT_STATUSES[order.status]:
            possible = ", ".join(str(S(next_status).label) for next_status in S.values
                                 if next_status in NEXT_STATUSES[order.status])
            raise OrderStatusError(
                _("An order that is “%(current)s” cannot become “%(target)s”; it can become: %(possible)s.")
                % {"current": order.get_status_display(), "target": S(status).label,
                   "possible": possible or _("nothing, its status is final")})
        if status == S.CANCELLED:
            if order.lines.filter(shipped__gt=0).exists():
                raise OrderStatusError(_("Part of this order has left the warehouse; it can no longer be "
                                         "cancelled as a whole."))
            release_reservations(order, actor)
        shipment = None
        if status == S.SHIPPED and order.lines.filter(shipped__lt=F("quantity")).exists():
            # Marking an order shipped ships everything still to go, with its dispatch note.
            shipment = ship_lines(order, actor, ShipmentRequest(quantities={}))
            invoice_on_shipment(shipment)  # INVOICE_COMPANY_ON = "shipment", as for any shipment
        previous = order.status
        order.status = status
        order.save(update_fields=["status", "updated_at"])
        OrderEvent.objects.create(
            order=order, kind="status", status=status, actor=actor,
            on_behalf_of=order.company if actor.is_staff and order.company_id else None,
            message=note.strip()[:2000], data={"from": previous},
        )
        order_status_notify(order=order, previous=previous, actor=actor, note=note, shipment=shipment,
                            custom_status=custom_status)
    return order


def order_cancel(*, order: Order, actor: User, reason: str = "") -> Order:
    return order_status_change(order=order, status=S.CANCELLED, actor=actor, note=reason)


def release_reservations(order: Order, actor: User | None = None) -> None:
    """Give an order's reserved units back to the warehouses (call under the order lock);
    StockMismatch when the stock rows do not hold them (nothing is released then)."""
    stock_release(reservations=[(line.variant_id, line.reserved) for line in order.lines.all()
                                if line.variant_id and line.reserved],
                  reference=f"order:{order.number}", actor_id=actor.pk if actor is not None else None)
    order.lines.update(reserved={})  # what a line holds now; the history is in the movements


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
    report = quick_order_add(cart=cart, context=context, rows=[
        QuickOrderRow(line=index, sku=line.sku, quantity=str(line.quantity))
        for index, line in enumerate(lines, start=1)])
    added = {result.sku.upper() for result in report.added}
    again = [line for line in lines if line.variant_id and line.sku.upper() in added]
    inputs = variant_pricing(context, [(line.variant_id, line.variant.tax_class_id) for line in again])
    # Priced at the quantity now in the cart (the order's plus what was there already),
    # which is what the customer will pay: a tier may apply that the order alone did not reach.
    in_cart = dict(CartLine.objects.filter(cart=cart, variant_id__in=[line.variant_id for line in again])
                   .values_list("variant_id", "quantity"))
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
        current = Order.objects.select_for_update(of=("self",)).select_related("custom_status").get(
            pk=order.pk)
        if current.custom_status is not None:
            allowed = current.custom_status.allowed_next.all()
            if allowed.exists() and not allowed.filter(pk=custom_status.pk).exists():
                raise OrderStatusError(
                    _("An order that is “%(current)s” cannot become “%(target)s”; it can become: "
                      "%(possible)s.") % {
                        "current": current.custom_status.tr("name"), "target": custom_status.tr("name"),
                        "possible": ", ".join(status.tr("name") for status in allowed)})
        # Set first, so the status change below already reports the merchant status.
        Order.objects.filter(pk=current.pk).update(custom_status=custom_status)
        if custom_status.stage != current.status:
            current = order_status_change(order=current, status=custom_status.stage, actor=actor, note=note,
                                          custom_status=custom_status)
            current.custom_status = custom_status
        else:
            current.custom_status = custom_status
            order_status_notify(order=current, previous=current.status, actor=actor, note=note,
                                custom_status=custom_status)
        OrderEvent.objects.create(order=current, kind="custom_status", status=current.status, actor=actor,
                                  message=note.strip()[:2000], data={"custom_status": custom_status.code})
        if custom_status.notify_customer and custom_status.visible_to_customer:
            transaction.on_commit(lambda: _custom_status_email(current.pk, custom_status.pk, note))
    return current


def _custom_status_email(order_id: int, status_id: int, note: str) -> None:
    order = Order.objects.get(pk=order_id)
    status = CustomStatus.objects.get(pk=status_id)
    with translation.override(order.language):
        context = Context({"order": order, "status": status.tr("name", order.language), "note": note,
                           "shop_name": settings.SHOP_NAME}, autoescape=False)
        subject = Template(status.tr("email_subject", order.language) or "{{ order.number }}: {{ status }}")
        body = Template(status.tr("email_body", order.language)
                        or "{{ order.number }}: {{ status }}\n{{ note }}")
        send_email.enqueue(subject=" ".join(subject.render(context).split())[:200],
                           body=body.render(context), to=[order.email])
