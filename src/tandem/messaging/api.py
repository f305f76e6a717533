"""The caller's in-app inbox. Another user's notification is a 404."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from tandem.customers.api_auth import user_auth
from tandem.messaging import selectors, services

router = Router(tags=["inbox"], auth=user_auth)


class NotificationOut(Schema):
    id: int
    kind: str = Field(..., description="the event code, e.g. order.status_changed")
    title: str
    body: str
    url: str = Field(..., description="a path on the shop, or empty")
    order_id: int | None
    created_at: datetime
    read_at: datetime | None


class InboxOut(Schema):
    count: int
    unread: int
    items: list[NotificationOut]


class InboxQuery(Schema):
    unread: bool = Field(False, description="only unread notifications")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("", response=InboxOut)
def inbox(request: HttpRequest, params: Query[InboxQuery]):
    """The caller's notifications, newest first (``unread=true``: only unread ones)."""
    found = selectors.inbox_for(request.user, unread_only=params.unread)
    return InboxOut(count=found.count(), unread=selectors.unread_count(request.user),
                    items=list(found[params.offset:params.offset + params.limit]))


@router.post("/read-all", response=dict)
def read_all(request: HttpRequest):
    """Mark every unread notification read."""
    return {"marked": services.notifications_read_all(user=request.user)}


@router.post("/{notification_id}/read", response=NotificationOut)
def read(request: HttpRequest, notification_id: int):
    """Mark one notification read (again is harmless)."""
    return services.notification_read(user=request.user, notification_id=notification_id)
