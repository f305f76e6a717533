"""An order's life: the one place ``Order.status`` changes.

Each transition names the stages it may start from, the stage it ends in and the domain
event it publishes. ``order_transition`` checks the move against this table (an illegal one
raises OrderStatusError saying what is possible), applies its effect on stock (a
cancellation releases what the order holds; nothing may have shipped), writes the
``OrderEvent`` with who did it (and for which company, when staff act for a customer) and
publishes the event through the outbox, all in the caller's transaction on the locked order.
Who may ask for a move is decided by the services that call it (``orders.services``,
``orders.approvals``, ``orders.shipments``, ``orders.housekeeping``).

    pending_approval ──place──▶ placed ──confirm──▶ confirmed
            │ reject, expire       │  ╲                 │
            ▼                      │   start ──▶ in_progress ◀── ship_part
        cancelled ◀──cancel────────┘                  │
                                              ship ──▶ shipped ──deliver──▶ delivered
                                                          └──────complete──────▶ completed
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tandem.core.events import event_publish
from tandem.customers.models import User
from tandem.inventory.services import stock_release
from tandem.orders.errors import OrderStatusError
from tandem.orders.models import Order, OrderEvent, OrderStatus

S = OrderStatus
OPEN = frozenset({S.PLACED, S.CONFIRMED, S.IN_PROGRESS})


@dataclass(frozen=True, slots=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    event: str


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("place", frozenset({S.PENDING_APPROVAL}), S.PLACED, "order.placed"),
        Transition("reject", frozenset({S.PENDING_APPROVAL}), S.CANCELLED, "order.rejected"),
        Transition("expire", frozenset({S.PENDING_APPROVAL}), S.CANCELLED, "order.cancelled"),
        Transition("cancel_unpaid", frozenset({S.PLACED}), S.CANCELLED, "order.cancelled"),
        Transition("cancel", frozenset({S.DRAFT, S.PENDING_APPROVAL} | OPEN), S.CANCELLED, "order.cancelled"),
        Transition("confirm", frozenset({S.PLACED}), S.CONFIRMED, "order.status_changed"),
        Transition("start", frozenset({S.PLACED, S.CONFIRMED}), S.IN_PROGRESS, "order.status_changed"),
        Transition("ship_part", OPEN, S.IN_PROGRESS, "order.shipped"),
        Transition("ship", OPEN, S.SHIPPED, "order.shipped"),
        Transition("deliver", frozenset({S.SHIPPED}), S.DELIVERED, "order.status_changed"),
        Transition("complete", frozenset({S.SHIPPED, S.DELIVERED}), S.COMPLETED, "order.status_changed"),
    )
}
# The stage a person may ask for (staff, a customer cancelling, a merchant status) → its transition.
# Placing and shipping in part happen only through approvals and shipments.
REQUESTABLE: dict[str, str] = {
    "confirm": S.CONFIRMED,
    "start": S.IN_PROGRESS,
    "ship": S.SHIPPED,
    "deliver": S.DELIVERED,
    "complete": S.COMPLETED,
    "cancel": S.CANCELLED,
}
TRANSITION_TO: dict[str, str] = {target: name for name, target in REQUESTABLE.items()}


def next_stages(status: str) -> set[str]:
    """The stages a person may move an order in ``status`` to."""
    return {target for name, target in REQUESTABLE.items() if status in TRANSITIONS[name].sources}


def transition_for(status: str, target: str) -> Transition:
    """The transition that takes an order in ``status`` to the requested ``target`` stage;
    OrderStatusError (saying which stages are possible) when there is none."""
    name = TRANSITION_TO.get(target)
    if name is None or status not in TRANSITIONS[name].sources:
        possible = ", ".join(str(S(stage).label) for stage in S.values if stage in next_stages(status))
        target_label = S(target).label if target in S.values else target[:30]
        raise OrderStatusError(
            _("An order that is “%(current)s” cannot become “%(target)s”; it can become: %(possible)s.")
            % {
                "current": S(status).label,
                "target": target_label,
                "possible": possible or _("nothing, its status is final"),
            }
        )
    return TRANSITIONS[name]


def order_transition(
    order: Order,
    name: str,
    *,
    actor: User | None = None,
    kind: str = "status",
    note: str = "",
    data: Mapping[str, object] | None = None,
    related: Mapping[str, object] | None = None,
) -> str:
    """Move ``order`` (locked by the caller, in its transaction) along the transition
    ``name``; returns the stage it left. ``kind`` and ``note`` go on the OrderEvent, ``data``
    on the event and into the domain event's payload, ``related`` (a shipment, a merchant
    status) to the in-transaction subscribers."""
    transition = TRANSITIONS[name]
    previous = order.status
    if previous not in transition.sources:
        if name in REQUESTABLE:
            transition_for(previous, transition.target)  # raises, saying what is possible
        raise OrderStatusError(
            _("An order that is “%(current)s” cannot do that now.") % {"current": S(previous).label}
        )
    if transition.target == S.CANCELLED:
        if order.lines.filter(shipped__gt=0).exists():
            raise OrderStatusError(
                _("Part of this order has left the warehouse; it can no longer be cancelled as a whole.")
            )
        _release_stock(order, actor)
    order.status = transition.target
    order.save(update_fields=["status", "updated_at"])
    OrderEvent.objects.create(
        order=order,
        kind=kind,
        status=order.status,
        actor=actor,
        on_behalf_of=order.company if actor is not None and actor.is_staff and order.company_id else None,
        message=note.strip()[:2000],
        data={"from": previous, **(data or {})},
    )
    order_event_publish(
        transition.event,
        order,
        actor=actor,
        related=related,
        previous_status=previous,
        transition=name,
        note=note.strip()[:2000],
        **(data or {}),
    )
    return previous


def order_event_publish(
    name: str,
    order: Order,
    *,
    actor: User | None = None,
    related: Mapping[str, object] | None = None,
    **payload: object,
) -> None:
    """Publish an order's domain event: every payload carries the order's id, number and
    status and who acted, plus ``payload``; the subscribers in the transaction also get the
    order, the actor and ``related``."""
    event_publish(
        name,
        {
            "order_id": order.pk,
            "number": order.number,
            "status": order.status,
            "actor_id": actor.pk if actor is not None else None,
            **payload,
        },
        subject=order,
        related={"actor": actor, **(related or {})},
    )


def _release_stock(order: Order, actor: User | None) -> None:
    """Give the order's reserved units back (StockMismatch when the rows do not hold them)."""
    held = [
        (line.variant_id, line.reserved) for line in order.lines.all() if line.variant_id and line.reserved
    ]
    if held:
        stock_release(
            reservations=[(variant_id, reserved) for variant_id, reserved in held if variant_id is not None],
            reference=f"order:{order.number}",
            actor_id=actor.pk if actor is not None else None,
        )
        order.lines.update(reserved={})  # what a line holds now; the history is in the movements
