"""Threads between a customer company and its sales rep: start one, write in one, read one.

Two sides write in a company's threads: its active users (every role, accountants too) and
the rep's side (the company's ``sales_rep``, staff who see every order, or a rep acting for
the company). Each message tells the other side in their inboxes, and by e-mail once the
transaction commits.
"""

import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.context import CustomerContext
from tandem.core.emails import send_templated_email, site_url
from tandem.core.errors import NotFound
from tandem.customers.auth import membership_of
from tandem.customers.models import Company, User
from tandem.messaging.errors import MessageInvalid, NoSalesRep
from tandem.messaging.models import Message, Thread, ThreadRead
from tandem.messaging.selectors import (
    company_to_message,
    customer_side_ids,
    thread_scope,
    writes_for_customer,
)
from tandem.messaging.services import notify_users
from tandem.orders.models import Order
from tandem.quotes.models import Quote

SUBJECT_MAX = 200
TEXT_MAX = 5000
EXCERPT = 300
KEPT_CONTROLS = {"\n", "\t"}


def thread_start(
    *,
    user: User,
    context: CustomerContext | None,
    subject: str,
    text: str,
    order: Order | None = None,
    quote: Quote | None = None,
    company: Company | None = None,
) -> Thread:
    """Start a thread with its first message. The company is the order's or the quote's
    (they must agree), else ``company`` (the rep's choice), else the one the user writes for
    (their own, or the one a rep acts for). An empty subject about an order or a quote is
    named after it. Raises NotFound for a company, order or quote outside the user's threads,
    MessageInvalid for a bad subject or text, NoSalesRep when a customer has no rep to write to."""
    company_ids = {row.company_id for row in (order, quote) if row is not None} | (
        {company.pk} if company is not None else set()
    )
    if None in company_ids or len(company_ids) > 1:
        raise NotFound()  # a retail order, or an order and a quote of different companies
    company_id = next(iter(company_ids), None) or _own_company_id(user, context)
    if company_id is None:
        raise MessageInvalid(_("Choose the customer to write to."), code="company_required", field="company")
    company = company_to_message(user, context, company_id)
    from_customer = writes_for_customer(user, company.pk)
    if from_customer and not (company.sales_rep_id and company.sales_rep.is_active):
        raise NoSalesRep()
    subject = _clean_subject(subject, order=order, quote=quote)
    text = _clean_text(text)
    with transaction.atomic():
        thread = Thread.objects.create(
            company=company,
            subject=subject,
            order=order,
            quote=quote,
            created_by=user,
            last_message_at=timezone.now(),
        )
        message = Message.objects.create(thread=thread, author=user, from_customer=from_customer, text=text)
        _after_message(thread, message, user)
    return thread


def message_post(*, user: User, context: CustomerContext | None, thread: Thread, text: str) -> Message:
    """Write in a thread the user may see (NotFound otherwise); MessageInvalid for a bad text.
    The thread moves to the top of both sides' lists."""
    scope = thread_scope(user, context)
    if scope is None or not scope.of_company(Thread.objects.filter(pk=thread.pk)).exists():
        raise NotFound()
    text = _clean_text(text)
    with transaction.atomic():
        message = Message.objects.create(
            thread=thread, author=user, text=text, from_customer=writes_for_customer(user, thread.company_id)
        )
        Thread.objects.filter(pk=thread.pk).update(last_message_at=message.created_at)
        thread.last_message_at = message.created_at
        _after_message(thread, message, user)
    return message


def thread_read(*, user: User, thread: Thread) -> None:
    """The user has read the thread up to now (one upsert; again is harmless)."""
    ThreadRead.objects.bulk_create(
        [ThreadRead(thread=thread, user=user, last_read_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["thread", "user"],
        update_fields=["last_read_at"],
    )


# --- input ------------------------------------------------------------------------------------


def _own_company_id(user: User, context: CustomerContext | None) -> int | None:
    if context is not None and context.on_behalf_of_id:
        return context.on_behalf_of_id
    membership = membership_of(user) if user.is_authenticated else None
    return membership.company_id if membership is not None else None


def _refuse_controls(value: str, field: str) -> None:
    for character in value:
        if character not in KEPT_CONTROLS and unicodedata.category(character) in ("Cc", "Cs"):
            raise MessageInvalid(
                _("Remove the control characters (such as NUL) from the text."),
                code="not_printable",
                field=field,
            )


def _clean_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise MessageInvalid(_("Write a message."), code="text_required", field="text")
    if len(text) > TEXT_MAX:
        raise MessageInvalid(
            _("A message can have at most %(limit)s characters.") % {"limit": TEXT_MAX},
            code="text_too_long",
            field="text",
        )
    _refuse_controls(text, "text")
    return text


def _clean_subject(subject: str, *, order: Order | None, quote: Quote | None) -> str:
    _refuse_controls((subject or "").replace("\t", " "), "subject")
    subject = " ".join((subject or "").split())
    if not subject and order is not None:
        subject = str(_("Order %(number)s") % {"number": order.number})
    elif not subject and quote is not None:
        subject = str(_("Quote %(number)s") % {"number": quote.number})
    if not subject:
        raise MessageInvalid(_("Give the message a subject."), code="subject_required", field="subject")
    if len(subject) > SUBJECT_MAX:
        raise MessageInvalid(
            _("A subject can have at most %(limit)s characters.") % {"limit": SUBJECT_MAX},
            code="subject_too_long",
            field="subject",
        )
    return subject


# --- telling the other side ----------------------------------------------------------------------


def _after_message(thread: Thread, message: Message, author: User) -> None:
    """The author has read their own message; the other side hears of it in the inbox now
    and by e-mail after commit."""
    thread_read(user=author, thread=thread)
    if message.from_customer:
        rep = thread.company.sales_rep
        recipients = {rep.pk} if rep is not None and rep.is_active else set()
        view = "messaging:rep_thread"
    else:
        recipients = customer_side_ids(thread)
        view = "messaging:thread"
    recipients -= {author.pk}
    if not recipients:
        return
    params = {
        "subject": thread.subject,
        "author": author.get_full_name(),
        "company": thread.company.name,
        "excerpt": _excerpt(message.text),
    }
    notify_users(
        user_ids=recipients,
        kind="message",
        title=_("New message: %(subject)s"),
        body=_("%(author)s (%(company)s): %(excerpt)s"),
        url=reverse(view, args=[thread.pk]),
        params=params,
    )
    _email_after_commit(recipients, thread=thread, message=message, author=author, view=view)


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"


def _email_after_commit(
    recipient_ids: Iterable[int],
    *,
    thread: Thread,
    message: Message,
    author: User,
    view: str,
) -> None:
    """One e-mail per language to the recipients, queued once the message is committed (a
    failing mail queue never undoes the message)."""
    by_language: dict[str, list[str]] = defaultdict(list)
    for email, language in (
        User.objects.filter(pk__in=recipient_ids, is_active=True)
        .exclude(email="")
        .values_list("email", "language")
    ):
        by_language[language or settings.LANGUAGE_CODE].append(email)
    context = {
        "subject": thread.subject,
        "company": thread.company.name,
        "author": author.get_full_name(),
        "text": message.text,
        "url": site_url(view, thread.pk),
    }
    for language, emails in sorted(by_language.items()):
        emails.sort()
        transaction.on_commit(
            lambda language=language, emails=emails: send_templated_email(
                template="messaging/email/new_message", context=context, to=emails, language=language
            ),
            robust=True,
        )
