"""The caller's in-app inbox (/api/v1/inbox) and threads with the sales rep
(/api/v1/messages). Another user's notification, another company's thread, order or quote is
a 404."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tandem.customers.api_auth import user_auth
from tandem.messaging import selectors, services, threads

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
    return InboxOut(
        count=found.count(),
        unread=selectors.unread_count(request.user),
        items=list(found[params.offset : params.offset + params.limit]),
    )


@router.post("/read-all", response=dict)
def read_all(request: HttpRequest):
    """Mark every unread notification read."""
    return {"marked": services.notifications_read_all(user=request.user)}


@router.post("/{notification_id}/read", response=NotificationOut)
def read(request: HttpRequest, notification_id: int):
    """Mark one notification read (again is harmless)."""
    return services.notification_read(user=request.user, notification_id=notification_id)


# --- threads with the sales rep: /api/v1/messages ---------------------------------------------

thread_router = Router(tags=["messages"], auth=user_auth)


class MessageOut(Schema):
    id: int
    author: str | None = Field(..., description="the author's name (null: a removed user)")
    from_customer: bool = Field(..., description="written by the company's user (false: the rep's side)")
    text: str
    created_at: datetime
    unread: bool = Field(False, description="new since the caller last read the thread")


class ThreadOut(Schema):
    id: int
    subject: str
    company_id: int
    company: str
    order_number: str | None
    quote_id: int | None
    quote_number: str | None
    created_at: datetime
    last_message_at: datetime
    unread: bool = Field(False, description="has a message by someone else the caller has not read")

    @classmethod
    def of(cls, thread, **extra) -> "ThreadOut":
        return cls(
            id=thread.pk,
            subject=thread.subject,
            company_id=thread.company_id,
            company=thread.company.name,
            order_number=thread.order.number if thread.order_id else None,
            quote_id=thread.quote_id,
            quote_number=thread.quote.number if thread.quote_id else None,
            created_at=thread.created_at,
            last_message_at=thread.last_message_at,
            unread=getattr(thread, "unread", False),
            **extra,
        )


class ThreadDetailOut(ThreadOut):
    messages: list[MessageOut]


class ThreadsOut(Schema):
    count: int
    items: list[ThreadOut]


class ThreadQuery(Schema):
    unread: bool = Field(False, description="only threads with unread messages")
    company_id: int | None = Field(None, ge=1, le=2**31 - 1, description="staff: one customer's threads")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class ThreadIn(Schema):
    subject: str = Field(
        "", max_length=1000, description="at most 200 characters; empty: named after the order or quote"
    )
    text: str = Field(..., max_length=20000, description="at most 5,000 characters; line breaks are kept")
    order_number: str | None = Field(None, max_length=64, description="about this order of the company")
    quote_id: int | None = Field(None, ge=1, le=2**31 - 1, description="about this quote of the company")
    company_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="staff: the customer (else the order's or quote's company)"
    )


class MessageIn(Schema):
    text: str = Field(..., max_length=20000, description="at most 5,000 characters; line breaks are kept")


def _thread_context(request: HttpRequest):
    """The caller's side: a company user's context, a rep acting for a customer, or None
    for staff (their customers' threads)."""
    context = request.customer_context
    return None if request.user.is_staff and not context.on_behalf_of_id else context


def _message_out(message, *, unread: bool = False) -> MessageOut:
    return MessageOut(
        id=message.pk,
        author=message.author.get_full_name() if message.author_id else None,
        from_customer=message.from_customer,
        text=message.text,
        created_at=message.created_at,
        unread=unread,
    )


def _thread_opened(request: HttpRequest, thread_id: int) -> ThreadDetailOut:
    """The thread with its messages (those new to the caller marked), then read by the caller."""
    thread = selectors.thread_detail(request.user, _thread_context(request), thread_id)
    new_ids = selectors.messages_new_to(request.user, thread)
    threads.thread_read(user=request.user, thread=thread)
    return ThreadDetailOut.of(
        thread,
        messages=[_message_out(message, unread=message.pk in new_ids) for message in thread.messages.all()],
    )


@thread_router.get("/threads", response=ThreadsOut)
def message_threads(request: HttpRequest, params: Query[ThreadQuery]):
    """The caller's threads with their sales rep (a rep: their customers'), latest activity
    first (``unread=true``: only those with unread messages)."""
    filters = selectors.ThreadFilters(unread_only=params.unread, company_id=params.company_id)
    found = selectors.thread_list(request.user, _thread_context(request), filters)
    page = found[params.offset : params.offset + params.limit]
    return ThreadsOut(count=found.count(), items=[ThreadOut.of(thread) for thread in page])


@thread_router.post("/threads", response={201: ThreadDetailOut})
def message_thread_start(request: HttpRequest, payload: ThreadIn):
    """Start a thread (general, or about an order or a quote of the company) with its first
    message; the other side is told in the inbox and by e-mail. Another company's order,
    quote or company is a 404."""
    user, context = request.user, _thread_context(request)
    order_number, quote_id, company_id = payload.order_number, payload.quote_id, payload.company_id
    thread = threads.thread_start(
        user=user,
        context=context,
        subject=payload.subject,
        text=payload.text,
        order=selectors.order_to_discuss(user, context, order_number) if order_number else None,
        quote=selectors.quote_to_discuss(user, context, quote_id) if quote_id else None,
        company=selectors.company_to_message(user, context, company_id) if company_id else None,
    )
    return Status(201, _thread_opened(request, thread.pk))


@thread_router.get("/threads/{thread_id}", response=ThreadDetailOut)
def message_thread(request: HttpRequest, thread_id: int):
    """One thread with its messages, oldest first; reading it marks it read."""
    return _thread_opened(request, thread_id)


@thread_router.post("/threads/{thread_id}/messages", response={201: MessageOut})
def message_reply(request: HttpRequest, thread_id: int, payload: MessageIn):
    """Write in a thread; the other side is told in the inbox and by e-mail."""
    context = _thread_context(request)
    thread = selectors.thread_detail(request.user, context, thread_id)
    message = threads.message_post(user=request.user, context=context, thread=thread, text=payload.text)
    return Status(201, _message_out(message))
