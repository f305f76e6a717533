"""Reads of the in-app inbox (a user only ever sees their own notifications) and of the
threads between customers and their reps (a company's users see its threads, a rep their
customers', staff who see every order all of them; anything else is NotFound)."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.db.models import DateTimeField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from tandem.core.context import CustomerContext
from tandem.core.errors import NotFound
from tandem.customers.auth import membership_of
from tandem.customers.models import Company, CompanyRole, CompanyUser, User
from tandem.customers.staff_scope import sees_all_customers
from tandem.messaging.models import Message, Notification, Thread, ThreadRead
from tandem.orders.models import Order
from tandem.quotes.models import Quote


def inbox_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    notifications = Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-id")
    return notifications.filter(read_at__isnull=True) if unread_only else notifications


UNREAD_SECONDS = 60


def unread_key(user_id: int) -> str:
    return f"inbox-unread:{user_id}"


def unread_count(user: User) -> int:
    """The user's unread notifications, from the shared cache (the header of every page): a
    new or read notification forgets it (``messaging.services``)."""
    if not user.is_authenticated:
        return 0
    count = cache.get(unread_key(user.pk))
    if count is None:
        count = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
        cache.set(unread_key(user.pk), count, UNREAD_SECONDS)
    return count


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
    return set(
        CompanyUser.objects.filter(
            company_id=order.company_id, role__in=roles, is_active=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )


# --- threads between a customer and its rep -----------------------------------------------

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ThreadScope:
    """Which companies' threads a user works with (each set field narrows; none: all)."""

    company_id: int | None = None
    rep_id: int | None = None

    def of_company(self, rows: QuerySet) -> QuerySet:
        """``rows`` (threads, orders, quotes: anything with a ``company``) within the scope."""
        if self.company_id is not None:
            rows = rows.filter(company_id=self.company_id)
        return rows.filter(company__sales_rep_id=self.rep_id) if self.rep_id is not None else rows


def thread_scope(user: User, context: CustomerContext | None = None) -> ThreadScope | None:
    """The user's side of the conversations (None: no threads at all): an active company
    user's own company; a rep acting for a customer (``context.on_behalf_of_id``) that
    customer; a staff user their customers (``customers.staff_scope``)."""
    if not (user.is_authenticated and user.is_active):
        return None
    acting = context.on_behalf_of_id if context is not None else None
    membership = None if acting else membership_of(user)
    if membership is not None:
        return ThreadScope(company_id=membership.company_id) if membership.is_active else None
    if not user.is_staff:
        return None
    return ThreadScope(company_id=acting, rep_id=None if sees_all_customers(user) else user.pk)


def writes_for_customer(user: User, thread_company_id: int) -> bool:
    """Whether the user writes on the customer's side of the company's threads (one of its
    active users) rather than on the rep's."""
    membership = membership_of(user)
    return membership is not None and membership.is_active and membership.company_id == thread_company_id


def threads_visible_to(user: User, context: CustomerContext | None = None) -> QuerySet[Thread]:
    scope = thread_scope(user, context)
    return Thread.objects.none() if scope is None else scope.of_company(Thread.objects.all())


def companies_to_message(user: User, context: CustomerContext | None = None) -> QuerySet[Company]:
    """The companies whose threads the user may start or write in, by name."""
    scope = thread_scope(user, context)
    if scope is None:
        return Company.objects.none()
    companies = Company.objects.order_by("name", "pk")
    if scope.company_id is not None:
        companies = companies.filter(pk=scope.company_id)
    return companies.filter(sales_rep_id=scope.rep_id) if scope.rep_id is not None else companies


def company_to_message(user: User, context: CustomerContext | None, company_id: int) -> Company:
    """One company the user may write to (with its rep); NotFound otherwise."""
    found = companies_to_message(user, context).select_related("sales_rep").filter(pk=company_id).first()
    if found is None:
        raise NotFound()
    return found


def order_to_discuss(user: User, context: CustomerContext | None, number: str) -> Order:
    """A company order within the user's threads (NotFound for any other, retail ones too)."""
    scope = thread_scope(user, context)
    found = (
        None
        if scope is None
        else scope.of_company(Order.objects.filter(number=number[:32], company__isnull=False)).first()
    )
    if found is None:
        raise NotFound()
    return found


def quote_to_discuss(user: User, context: CustomerContext | None, quote_id: int) -> Quote:
    """A quote within the user's threads; NotFound otherwise."""
    scope = thread_scope(user, context)
    found = None if scope is None else scope.of_company(Quote.objects.filter(pk=quote_id)).first()
    if found is None:
        raise NotFound()
    return found


def _unread_by(user: User) -> Exists:
    """True for a thread with a message by someone else newer than the user's last read."""
    read_up_to = ThreadRead.objects.filter(thread_id=OuterRef("thread_id"), user_id=user.pk).values(
        "last_read_at"
    )[:1]
    since = Coalesce(Subquery(read_up_to), Value(EPOCH), output_field=DateTimeField())
    return Exists(
        Message.objects.filter(thread_id=OuterRef("pk"), created_at__gt=since).exclude(author_id=user.pk)
    )


@dataclass(frozen=True, slots=True)
class ThreadFilters:
    """How a thread list is narrowed and sorted (all optional)."""

    unread_only: bool = False
    company_id: int | None = None
    order_id: int | None = None
    quote_id: int | None = None
    unread_first: bool = False


def thread_list(
    user: User,
    context: CustomerContext | None = None,
    filters: ThreadFilters | None = None,
) -> QuerySet[Thread]:
    """The user's threads, latest activity first (unread ones first with ``unread_first``),
    each with ``unread`` and its company, order and quote: one query for a page."""
    filters = filters or ThreadFilters()
    threads = (
        threads_visible_to(user, context)
        .annotate(unread=_unread_by(user))
        .select_related("company", "order", "quote")
    )
    if filters.unread_only:
        threads = threads.filter(unread=True)
    for field, value in (
        ("company_id", filters.company_id),
        ("order_id", filters.order_id),
        ("quote_id", filters.quote_id),
    ):
        if value is not None:
            threads = threads.filter(**{field: value})
    sort = ("-last_message_at", "-pk")
    return threads.order_by("-unread", *sort) if filters.unread_first else threads.order_by(*sort)


def unread_threads_count(user: User, context: CustomerContext | None = None) -> int:
    """How many of the user's threads have a message by someone else they have not read."""
    if not user.is_authenticated:
        return 0
    return threads_visible_to(user, context).filter(_unread_by(user)).count()


def thread_detail(user: User, context: CustomerContext | None, thread_id: int) -> Thread:
    """One of the user's threads with its messages (oldest first) and their authors;
    NotFound for any other."""
    thread = (
        threads_visible_to(user, context)
        .select_related("company__sales_rep", "order", "quote", "created_by")
        .prefetch_related(
            Prefetch("messages", Message.objects.select_related("author").order_by("created_at", "pk"))
        )
        .filter(pk=thread_id)
        .first()
    )
    if thread is None:
        raise NotFound()
    return thread


def messages_new_to(user: User, thread: Thread) -> set[int]:
    """The thread's (prefetched) messages by others since the user last read it."""
    seen_until = (
        ThreadRead.objects.filter(thread_id=thread.pk, user_id=user.pk)
        .values_list("last_read_at", flat=True)
        .first()
    )
    return {
        message.pk
        for message in thread.messages.all()
        if message.author_id != user.pk and (seen_until is None or message.created_at > seen_until)
    }


def customer_side_ids(thread: Thread) -> set[int]:
    """Who hears of the rep's messages: the company's active users who wrote in the thread
    (its starter among them), and its admins when the rep started it."""
    writers = set(
        Message.objects.filter(thread_id=thread.pk, from_customer=True).values_list("author_id", flat=True)
    ) - {None}
    addressed = Q(user_id__in=writers)
    if thread.created_by_id not in writers:
        addressed |= Q(role=CompanyRole.ADMIN)
    return set(
        CompanyUser.objects.filter(
            addressed, company_id=thread.company_id, is_active=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )
