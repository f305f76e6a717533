"""Turning feeds on, rotating their secret and revoking them: the one way every surface (the
admin, the client panel, the API) does it, each write with an audit entry.

The token is a secret URL part: only its SHA-256 is stored, and the plain token is returned
once, to be shown once. Rotating replaces it at once (the old URL answers 404 from the next
request); revoking turns the feed off for good and removes its file.
"""

import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.audit import audit_record
from tandem.core.errors import DomainError, NotFound, PermissionDenied
from tandem.core.tokens import token_digest
from tandem.customers.models import Company, CustomerGroup, User
from tandem.customers.staff_scope import companies_managed_by
from tandem.feeds.models import Feed, FeedFormat
from tandem.feeds.selectors import (
    company_admin_company_id,
    feeds_managed_by,
    manages_group_feeds,
    may_manage_feeds,
)
from tandem.feeds.tasks import feed_generate

TOKEN_PREFIX = "tfd_"
WHO_MANAGES = gettext_lazy("Only the company admin or the company's sales staff manage its feeds.")


class FeedInvalid(DomainError):
    """A feed asked for with a format, language or currency the shop does not have."""

    code = "feed_invalid"


def _new_token() -> tuple[str, str]:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, token_digest(token)


def _authorise(actor: User, *, company: Company | None, customer_group: CustomerGroup | None) -> None:
    """PermissionDenied for who may manage no feeds; NotFound for a company or group outside
    the actor's reach (they do not learn it exists)."""
    if not may_manage_feeds(actor):
        raise PermissionDenied(WHO_MANAGES)
    if (company is None) == (customer_group is None):
        raise FeedInvalid(_("A feed is for one company or for one customer group."), field="company_id")
    admin_of = company_admin_company_id(actor)
    if customer_group is not None:
        if not manages_group_feeds(actor):
            raise NotFound()
        return
    if admin_of is not None:
        if company.pk != admin_of:
            raise NotFound()
        return
    if not companies_managed_by(actor).filter(pk=company.pk).exists():
        raise NotFound()


def feed_create(
    *,
    actor: User,
    file_format: str,
    language: str,
    company: Company | None = None,
    customer_group: CustomerGroup | None = None,
    currency: str | None = None,
    name: str = "",
) -> tuple[Feed, str]:
    """A new active feed for ``company`` (or ``customer_group``) and its token, shown once.
    The currency defaults to the company's (the shop's for a group). The worker writes the
    first file after this transaction commits. Raises PermissionDenied, NotFound, FeedInvalid."""
    _authorise(actor, company=company, customer_group=customer_group)
    if file_format not in FeedFormat.values:
        raise FeedInvalid(
            _("Choose one of: %(formats)s.") % {"formats": ", ".join(FeedFormat.values)}, field="format"
        )
    if language not in dict(settings.LANGUAGES):
        raise FeedInvalid(
            _("Choose one of: %(languages)s.") % {"languages": ", ".join(dict(settings.LANGUAGES))},
            field="language",
        )
    currency = currency or (company.currency if company is not None else settings.SHOP_CURRENCY)
    if currency not in settings.SHOP_CURRENCIES:
        raise FeedInvalid(
            _("Choose one of: %(currencies)s.") % {"currencies": ", ".join(settings.SHOP_CURRENCIES)},
            field="currency",
        )
    token, hashed = _new_token()
    with transaction.atomic():
        feed = Feed.objects.create(
            company=company,
            customer_group=customer_group,
            name=name[:80],
            file_format=file_format,
            language=language,
            currency=currency,
            token_hash=hashed,
            token_hint=token[-4:],
            created_by=actor,
            stale=True,
            changed_at=timezone.now(),
            queued_at=timezone.now(),  # its first write is queued below: housekeeping waits for it
        )
        audit_record(
            action="feed.created",
            actor_id=actor.pk,
            target=feed,
            changes={
                "company": company.pk if company else None,
                "customer_group": customer_group.pk if customer_group else None,
                "format": file_format,
                "language": language,
                "currency": currency,
                "token_hint": feed.token_hint,
            },
        )
        transaction.on_commit(lambda: feed_generate.enqueue(feed_id=feed.pk), robust=True)
    return feed, token


def feed_of(actor: User, feed_id: int) -> Feed:
    """One of the feeds ``actor`` manages (PermissionDenied for who manages none, NotFound
    for another's)."""
    if not may_manage_feeds(actor):
        raise PermissionDenied(WHO_MANAGES)
    feed = feeds_managed_by(actor).filter(pk=feed_id).first() if 0 < feed_id <= 2_147_483_647 else None
    if feed is None:
        raise NotFound()
    return feed


def feed_rotate(*, feed: Feed, actor: User) -> str:
    """A new secret for an active feed, returned once; the old URL stops working now."""
    feed = feed_of(actor, feed.pk)
    if not feed.is_active:
        raise FeedInvalid(_("This feed is revoked; turn on a new one."))
    token, hashed = _new_token()
    with transaction.atomic():
        Feed.objects.filter(pk=feed.pk).update(token_hash=hashed, token_hint=token[-4:])
        audit_record(
            action="feed.rotated",
            actor_id=actor.pk,
            target=feed,
            changes={"old_token_hint": feed.token_hint, "token_hint": token[-4:]},
        )
    feed.token_hash, feed.token_hint = hashed, token[-4:]
    return token


def feed_revoke(*, feed: Feed, actor: User) -> None:
    """Turn a feed off for good: its URL answers 404 from the next request, its file goes."""
    feed = feed_of(actor, feed.pk)
    if not feed.is_active:
        return
    file_name = feed.file.name
    with transaction.atomic():
        Feed.objects.filter(pk=feed.pk).update(
            is_active=False, revoked_at=timezone.now(), file="", etag="", stale=False
        )
        audit_record(
            action="feed.revoked", actor_id=actor.pk, target=feed, changes={"token_hint": feed.token_hint}
        )
        if file_name:
            storage = feed.file.storage
            transaction.on_commit(lambda: storage.delete(file_name))
    feed.is_active, feed.file = False, ""


def feed_create_for(
    *,
    actor: User,
    file_format: str,
    language: str,
    company_id: int | None = None,
    customer_group_id: int | None = None,
    currency: str | None = None,
    name: str = "",
) -> tuple[Feed, str]:
    """``feed_create`` by ids, as the client panel and the API send them: a company admin's
    own company when neither is given; NotFound for a company or group out of reach."""
    if company_id is None and customer_group_id is None:
        company_id = company_admin_company_id(actor)
        if company_id is None:
            if not may_manage_feeds(actor):
                raise PermissionDenied(WHO_MANAGES)
            raise FeedInvalid(_("Say which company (or customer group) the feed is for."), field="company_id")
    company = Company.objects.filter(pk=company_id).first() if company_id else None
    group = CustomerGroup.objects.filter(pk=customer_group_id).first() if customer_group_id else None
    if (company_id and company is None) or (customer_group_id and group is None):
        if not may_manage_feeds(actor):
            raise PermissionDenied(WHO_MANAGES)
        raise NotFound()
    return feed_create(
        actor=actor,
        company=company,
        customer_group=group,
        file_format=file_format,
        language=language,
        currency=currency,
        name=name,
    )
