"""Notifications: the in-app inbox, and the order helpers that put a change in the right
inboxes and announce it to webhooks in one call.

Call the ``order_*_notify`` helpers inside the transaction that makes the change: the
inbox rows and webhook deliveries then commit (or roll back) with it, and webhooks are
sent after commit.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from tandem.core.money import format_money
from tandem.customers.models import CompanyRole, User
from tandem.messaging.events import WebhookEvent, order_payload, shipment_payload
from tandem.messaging.models import Notification
from tandem.messaging.selectors import company_member_ids, notification_for, unread_key
from tandem.messaging.webhooks import event_emit
from tandem.orders.models import (
    ApprovalStatus,
    CustomStatus,
    Order,
    OrderApproval,
    OrderStatus,
    RecurringOrder,
    Shipment,
)

Text = str | Promise


# --- the inbox -------------------------------------------------------------------------------


def notify_users(
    *,
    user_ids: Iterable[int | None],
    kind: str,
    title: Text,
    body: Text = "",
    url: str = "",
    order: Order | None = None,
    params: Mapping[str, object] | None = None,
) -> list[Notification]:
    """Put a notification in each (active) user's inbox. ``title`` and ``body`` are
    translatable texts (``gettext_lazy``) with ``%(name)s`` placeholders filled from
    ``params``; both are rendered in each user's own language (else the order's) and stored
    rendered, so the inbox never has to look anything up."""
    wanted = {user_id for user_id in user_ids if user_id}
    if not wanted:
        return []
    fallback = (order.language if order is not None else "") or settings.LANGUAGE_CODE
    by_language: dict[str, list[int]] = defaultdict(list)
    for user_id, language in User.objects.filter(pk__in=wanted, is_active=True).values_list("pk", "language"):
        by_language[language or fallback].append(user_id)
    rows = []
    for language, ids in sorted(by_language.items()):
        with translation.override(language):
            rendered_title, rendered_body = _render(title, params)[:200], _render(body, params)
        rows += [
            Notification(
                user_id=user_id,
                kind=kind[:40],
                title=rendered_title,
                body=rendered_body,
                url=url[:500],
                order=order,
            )
            for user_id in sorted(ids)
        ]
    created = Notification.objects.bulk_create(rows)
    _unread_forget(wanted)
    return created


def _unread_forget(user_ids: Iterable[int]) -> None:
    """The users' unread counts changed: read again (now, and once the change commits)."""
    keys = [unread_key(user_id) for user_id in user_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _render(text: Text, params: Mapping[str, object] | None) -> str:
    if not params:
        return str(text)
    return str(text) % {
        key: str(value) if isinstance(value, Promise) else value for key, value in params.items()
    }


def notification_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (again is harmless); NotFound for anyone else's."""
    notification = notification_for(user, notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        _unread_forget([user.pk])
    return notification


def notifications_read_all(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    marked = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(read_at=timezone.now())
    _unread_forget([user.pk])
    return marked


# --- orders ------------------------------------------------------------------------------------


_amount_lazy = lazy(format_money, str)  # formatted in each recipient's language


def order_url(order: Order) -> str:
    return reverse("orders:detail", args=[order.number])


def order_notify(
    *,
    order: Order,
    event: str | None,
    user_ids: Iterable[int | None] = (),
    title: Text = "",
    body: Text = "",
    params: Mapping[str, object] | None = None,
    extra: dict | None = None,
    url: str = "",
    kind: str = "",
) -> None:
    """The building block: announce ``event`` (None: no webhook) with the order's payload plus
    ``extra`` to webhooks, and, when ``title`` is given, tell ``user_ids`` in their inboxes with
    a link to the order (``kind``: the event's code unless given). ``params`` always has
    ``number`` and ``total``."""
    if event is not None:
        event_emit(event=event, payload={**order_payload(order), **(extra or {})})
    if title:
        notify_users(
            user_ids=user_ids,
            kind=kind or event or "order",
            title=title,
            body=body,
            url=url or order_url(order),
            order=order,
            params={
                "number": order.number,
                "total": _amount_lazy(order.total_gross, order.currency),
                **(params or {}),
            },
        )


def order_placed_notify(*, order: Order) -> None:
    """An order came in at checkout: the buyer and their company's admins see it in their
    inboxes, except the deciders who were already asked to approve it (one notice about the
    order is enough). Webhooks hear ``order.placed`` only once it is binding; an order
    waiting for approval is announced as placed when its last approval is given."""
    waiting = order.status == OrderStatus.PENDING_APPROVAL
    asked = set(
        Notification.objects.filter(order=order, kind=WebhookEvent.ORDER_APPROVAL_REQUESTED).values_list(
            "user_id", flat=True
        )
    )
    order_notify(
        order=order,
        event=None if waiting else WebhookEvent.ORDER_PLACED,
        kind=WebhookEvent.ORDER_PLACED,
        user_ids=_buyer(order, None) | (company_member_ids(order, (CompanyRole.ADMIN,)) - asked),
        title=_("Order %(number)s waits for approval") if waiting else _("Order %(number)s is placed"),
        body=_("Total: %(total)s."),
    )


def order_status_notify(
    *,
    order: Order,
    previous: str,
    actor: User | None = None,
    note: str = "",
    shipment: Shipment | None = None,
    custom_status: CustomStatus | None = None,
) -> None:
    """The order's status changed (``order`` as saved; its core stage was ``previous``).
    Webhooks hear ``order.cancelled``, ``order.shipped`` (when ``shipment`` was made) or
    ``order.status_changed``. The buyer is told in their inbox unless they made the change:
    with the merchant status's own name when it is given and customers see it, else with the
    core stage when that moved (a status customers do not see, on the same stage, says nothing)."""
    if order.status == OrderStatus.CANCELLED:
        event = WebhookEvent.ORDER_CANCELLED
    elif shipment is not None:
        event = WebhookEvent.ORDER_SHIPPED
    else:
        event = WebhookEvent.ORDER_STATUS_CHANGED
    if custom_status is not None and custom_status.visible_to_customer:
        status: object = lazy(custom_status.tr, str)("name")  # in each recipient's language
    elif custom_status is None or order.status != previous:
        status = OrderStatus(order.status).label
    else:
        status = None
    extra = {"previous_status": previous, **({"shipment": shipment_payload(shipment)} if shipment else {})}
    order_notify(
        order=order,
        event=event,
        user_ids=_buyer(order, actor) if status else (),
        extra=extra,
        title=_("Order %(number)s: %(status)s") if status else "",
        body=_("Note: %(note)s") if note.strip() else "",
        params={"status": status, "note": note.strip()[:1000]},
    )


def order_shipped_notify(
    *,
    order: Order,
    shipment: Shipment,
    previous: str,
    actor: User | None = None,
) -> None:
    """A shipment left for the order: webhooks hear ``order.shipped`` with the shipment; the
    buyer is told, with the carrier's tracking number when there is one."""
    complete = order.status == OrderStatus.SHIPPED
    if shipment.tracking_number:
        body = _("Dispatch note %(shipment)s, %(carrier)s tracking number %(tracking)s.")
    else:
        body = _("Dispatch note %(shipment)s.")
    order_notify(
        order=order,
        event=WebhookEvent.ORDER_SHIPPED,
        user_ids=_buyer(order, actor),
        extra={"previous_status": previous, "shipment": shipment_payload(shipment)},
        title=_("Order %(number)s has shipped") if complete else _("Part of order %(number)s has shipped"),
        body=body,
        params={
            "shipment": shipment.number,
            "carrier": shipment.carrier,
            "tracking": shipment.tracking_number,
        },
    )


def order_approval_requested_notify(*, order: Order, reasons: str = "") -> None:
    """The order waits for approval (call it once its levels are recorded): the people who
    may take the first waiting decision see it in their inboxes, linked to the approvals
    queue; webhooks hear ``order.approval_requested``."""
    order_notify(
        order=order,
        event=WebhookEvent.ORDER_APPROVAL_REQUESTED,
        user_ids=_pending_level_decider_ids(order),
        title=_("Order %(number)s waits for your approval"),
        body=_("Total: %(total)s. Why: %(reasons)s") if reasons else _("Total: %(total)s."),
        params={"reasons": reasons[:1000]},
        url=reverse("orders:approvals"),
    )


def order_approval_decided_notify(
    *,
    order: Order,
    approved: bool,
    placed: bool = False,
    actor: User | None = None,
    comment: str = "",
) -> None:
    """A decision on the order: webhooks hear ``order.approved`` or ``order.rejected`` (the
    order is cancelled; no ``order.cancelled`` follows). The buyer is told when the order is
    placed (``placed``: this was its last level; ``order.placed`` follows with the placing)
    or rejected, not about each intermediate level."""
    decision = {"decided_by": actor.email if actor is not None else None, "comment": comment.strip()[:2000]}
    if not approved:
        order_notify(
            order=order,
            event=WebhookEvent.ORDER_REJECTED,
            user_ids=_buyer(order, actor),
            extra={"decision": decision},
            title=_("Order %(number)s was rejected"),
            body=_("Comment: %(comment)s") if comment.strip() else "",
            params={"comment": comment.strip()[:1000]},
        )
        return
    order_notify(
        order=order,
        event=WebhookEvent.ORDER_APPROVED,
        user_ids=_buyer(order, actor),
        extra={"decision": decision},
        title=_("Order %(number)s is approved and placed") if placed else "",
    )


def recurring_order_failed_notify(*, recurring: RecurringOrder) -> None:
    """A recurring order could not be placed and is paused: its owner, and the company's
    sales rep when it has one, see why in their inboxes; webhooks hear
    ``recurring_order.failed``."""
    event_emit(
        event=WebhookEvent.RECURRING_ORDER_FAILED,
        payload={
            "id": recurring.pk,
            "name": recurring.name,
            "owner_email": recurring.owner.email,
            "company_id": recurring.company_id,
            "reason": recurring.last_error,
            "items": recurring.items,
        },
    )
    notify_users(
        user_ids=[recurring.owner_id],
        kind=WebhookEvent.RECURRING_ORDER_FAILED,
        title=_("Recurring order “%(name)s” could not be placed"),
        body=_("It is paused. The reason: %(reason)s"),
        url=reverse("orders:recurring"),
        params={"name": recurring.name, "reason": recurring.last_error},
    )
    rep_id = recurring.company.sales_rep_id if recurring.company_id else None
    if rep_id and rep_id != recurring.owner_id:
        notify_users(
            user_ids=[rep_id],
            kind=WebhookEvent.RECURRING_ORDER_FAILED,
            title=_("Recurring order “%(name)s” of %(company)s could not be placed"),
            body=_("It is paused. The reason: %(reason)s"),
            params={
                "name": recurring.name,
                "company": recurring.company.name,
                "reason": recurring.last_error,
            },
        )


def _pending_level_decider_ids(order: Order) -> set[int]:
    """Who may take the order's first waiting decision: approvers and admins at an
    approver's level, only admins at an admin's level; never the buyer."""
    role = (
        OrderApproval.objects.filter(order=order, status=ApprovalStatus.PENDING)
        .order_by("level")
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        return set()
    roles = (CompanyRole.ADMIN,) if role == CompanyRole.ADMIN else (CompanyRole.ADMIN, CompanyRole.APPROVER)
    return company_member_ids(order, roles) - {order.user_id}


def _buyer(order: Order, actor: User | None) -> set[int]:
    """The buyer, unless they made the change themselves. An order a sales rep placed for a
    company has no buyer there: its admins are told instead (never the rep)."""
    buyers = {order.user_id}
    if order.company_id and order.user_id not in company_member_ids(order, tuple(CompanyRole.values)):
        buyers = company_member_ids(order, (CompanyRole.ADMIN,))
    return buyers - {actor.pk if actor is not None else None, None}
