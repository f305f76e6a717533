"""Reads of the in-app inbox. A user only ever sees their own notifications."""

from django.db.models import QuerySet

from tandem.core.errors import NotFound
from tandem.customers.models import CompanyRole, CompanyUser, User
from tandem.messaging.models import Notification
from tandem.orders.models import Order


def inbox_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    notifications = Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-id")
    return notifications.filter(read_at__isnull=True) if unread_only else notifications


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def notification_for(user: User, notification_id: int) -> Notification:
    """One of the user's notifications; anyone else's is NotFound."""
    found = Notification.objects.filter(user_id=user.pk, pk=notification_id).first()
    if found is None:
        raise NotFound()
    return found


def company_member_ids(order: Order, roles: tuple[str, ...]) -> set[int]:
    """Active users of the order's company with one of these roles (none for retail orders)."""
    if not order.company_id:
        return set()
    return set(CompanyUser.objects.filter(company_id=order.company_id, role__in=roles, is_active=True,
                                          user__is_active=True).values_list("user_id", flat=True))


def order_decider_ids(order: Order) -> set[int]:
    """Who may decide on the order's approval: the company's admins and approvers, not the buyer."""
    return company_member_ids(order, (CompanyRole.ADMIN, CompanyRole.APPROVER)) - {order.user_id}
