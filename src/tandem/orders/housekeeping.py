"""Periodic order housekeeping: approvals that waited too long and unpaid orders expire,
so reserved stock never stays blocked. Run by `tandem manage housekeeping` (cron or a
systemd timer every few minutes; see docs/operations.md)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from tandem.orders.models import ApprovalStatus, Order, OrderStatus, PaymentMethod, PaymentStatus
from tandem.orders.transitions import order_transition

EXPIRED = gettext_lazy("No decision in time; the order expired.")
UNPAID = gettext_lazy("Not paid in time; the order is cancelled.")


def _expire(order_id: int, *, expected_status: str, transition: str, kind: str, message) -> bool:
    """Cancel one order if it is still in ``expected_status`` (checked under its lock)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id, status=expected_status).first()
        if order is None:
            return False
        with translation.override(order.language):  # the customer's language
            text = str(message)
        order.approvals.filter(status=ApprovalStatus.PENDING).update(
            status=ApprovalStatus.REJECTED, comment=text, decided_at=timezone.now()
        )
        order_transition(order, transition, kind=kind, note=text)
    return True


def orders_expire_approvals(now: datetime | None = None) -> int:
    """Cancel orders that have waited for approval longer than APPROVAL_EXPIRY_HOURS."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.APPROVAL_EXPIRY_HOURS)
    expired = 0
    waiting = Order.objects.filter(status=OrderStatus.PENDING_APPROVAL, created_at__lt=cutoff)
    for order_id in waiting.values_list("pk", flat=True):
        if _expire(
            order_id,
            expected_status=OrderStatus.PENDING_APPROVAL,
            transition="expire",
            kind="approval_expired",
            message=EXPIRED,
        ):
            expired += 1
    return expired


def orders_cancel_unpaid(now: datetime | None = None) -> int:
    """Cancel prepaid orders nobody paid: online after UNPAID_ONLINE_HOURS, bank transfer
    after UNPAID_TRANSFER_DAYS."""
    now = now or timezone.now()
    # The time to pay runs from placement (after any approvals), not from the first click.
    unpaid = Order.objects.filter(
        status=OrderStatus.PLACED,
        payment_status__in=[PaymentStatus.AWAITING, PaymentStatus.FAILED],
    ).annotate(since=Coalesce("placed_at", "created_at"))
    due = list(
        unpaid.filter(
            payment_method=PaymentMethod.ONLINE, since__lt=now - timedelta(hours=settings.UNPAID_ONLINE_HOURS)
        ).values_list("pk", flat=True)
    )
    due += list(
        unpaid.filter(
            payment_method=PaymentMethod.BANK_TRANSFER,
            since__lt=now - timedelta(days=settings.UNPAID_TRANSFER_DAYS),
        ).values_list("pk", flat=True)
    )
    return sum(
        _expire(
            order_id,
            expected_status=OrderStatus.PLACED,
            transition="cancel_unpaid",
            kind="unpaid_cancelled",
            message=UNPAID,
        )
        for order_id in due
    )


def orders_housekeeping() -> str:
    """The orders' periodic job: expired approvals and unpaid prepaid orders cancelled."""
    return f"{orders_expire_approvals()} approvals expired, {orders_cancel_unpaid()} unpaid orders cancelled"
