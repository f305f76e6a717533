"""Catalog feeds over the API: list, turn on, rotate, revoke — the same rule as the admin and
the client panel (a company admin their own company's feeds; staff their customers'). The
token comes back once, in the answer that made it; the feed itself is read at its URL."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from tandem.core.errors import PermissionDenied
from tandem.core.translation import active_language
from tandem.customers.api_auth import user_auth
from tandem.feeds import selectors, services
from tandem.feeds.models import Feed

router = Router(tags=["feeds"], auth=user_auth)

Format = Literal["csv", "xlsx", "json", "bmecat", "google"]


class FeedIn(Schema):
    format: Format
    language: str = Field("", max_length=8, description="en, pl, bg or ru; default: the request's")
    currency: str | None = Field(None, max_length=3, description="default: the company's")
    name: str = Field("", max_length=80, description="who reads it, e.g. our ERP")
    company_id: int | None = Field(
        None, ge=1, le=2_147_483_647, description="staff: the company; a company admin: their own (default)"
    )
    customer_group_id: int | None = Field(
        None, ge=1, le=2_147_483_647, description="staff who see every customer: a group's feed instead"
    )


class FeedOut(Schema):
    id: int
    company_id: int | None
    customer_group_id: int | None
    name: str
    format: Format
    language: str
    currency: str
    is_active: bool
    token_hint: str = Field(description="the token's last 4 characters")
    stale: bool = Field(description="the catalog changed since the file was written")
    rows: int
    generated_at: datetime | None
    modified_at: datetime | None = Field(description="when the content last changed (Last-Modified)")
    last_error: str
    last_fetched_at: datetime | None
    fetch_count: int
    created_at: datetime
    revoked_at: datetime | None

    @staticmethod
    def of(feed: Feed) -> "FeedOut":
        return FeedOut(
            id=feed.pk,
            company_id=feed.company_id,
            customer_group_id=feed.customer_group_id,
            name=feed.name,
            format=feed.file_format,
            language=feed.language,
            currency=feed.currency,
            is_active=feed.is_active,
            token_hint=feed.token_hint,
            stale=feed.stale,
            rows=feed.rows_count,
            generated_at=feed.generated_at,
            modified_at=feed.modified_at,
            last_error=feed.last_error,
            last_fetched_at=feed.last_fetched_at,
            fetch_count=feed.fetch_count,
            created_at=feed.created_at,
            revoked_at=feed.revoked_at,
        )


class FeedNewOut(FeedOut):
    token: str = Field(description="the secret: shown only now")
    url: str = Field(description="the feed's address, with the token")


def _with_token(request: HttpRequest, feed: Feed, token: str) -> FeedNewOut:
    url = request.build_absolute_uri(reverse("feeds:download", kwargs={"token": token}))
    return FeedNewOut(**FeedOut.of(feed).dict(), token=token, url=url)


@router.get("/feeds", response=list[FeedOut])
def feed_list(request: HttpRequest):
    """The feeds the caller manages, newest first (revoked ones too)."""
    if not selectors.may_manage_feeds(request.user):
        raise PermissionDenied(services.WHO_MANAGES)
    return [FeedOut.of(feed) for feed in selectors.feeds_managed_by(request.user)[:500]]


@router.post("/feeds", response={201: FeedNewOut})
def feed_create(request: HttpRequest, payload: FeedIn):
    """Turn on a feed; the answer holds its URL with the token, shown once. The worker writes
    the first file in the next moments. Honours ``Idempotency-Key``."""
    feed, token = services.feed_create_for(
        actor=request.user,
        file_format=payload.format,
        language=payload.language or active_language(),
        company_id=payload.company_id,
        customer_group_id=payload.customer_group_id,
        currency=payload.currency,
        name=payload.name,
    )
    return Status(201, _with_token(request, feed, token))


@router.post("/feeds/{feed_id}/rotate", response=FeedNewOut)
def feed_rotate(request: HttpRequest, feed_id: int):
    """A new token for the feed; the old URL answers 404 from now on."""
    feed = services.feed_of(request.user, feed_id)
    token = services.feed_rotate(feed=feed, actor=request.user)
    return _with_token(request, feed, token)


@router.delete("/feeds/{feed_id}", response={204: None})
def feed_revoke(request: HttpRequest, feed_id: int):
    """Revoke the feed: its URL answers 404 from now on."""
    services.feed_revoke(feed=services.feed_of(request.user, feed_id), actor=request.user)
    return Status(204, None)
