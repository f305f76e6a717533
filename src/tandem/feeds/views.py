"""The feed's public URL, and the company admin's feed page in the client panel.

``/feeds/<token>/`` needs no sign-in: the token is the secret. An unknown, revoked or
rotated-away token is a plain 404, whatever it once was. The answer carries ``ETag`` and
``Last-Modified``; a poll with ``If-None-Match`` (or ``If-Modified-Since``) that still holds
gets a 304 from the feed's row alone, the file untouched. Until the worker wrote the first
file the answer is 503 with ``Retry-After`` (writing a large catalog inside a web request
would hold a server process for minutes, at the call of anyone with the URL).
"""

import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as Forbidden
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tandem.core.client_ip import client_ip
from tandem.core.errors import DomainError, NotFound
from tandem.core.translation import active_language
from tandem.customers.models import Company
from tandem.feeds import selectors, services
from tandem.feeds.formats import CONTENT_TYPES
from tandem.feeds.forms import FeedForm
from tandem.feeds.models import Feed

RETRY_AFTER_SECONDS = 60
NEW_FEED_SESSION = "feed_new_url"  # the URL with the token, shown once on the page


def _rate_limited(request: HttpRequest) -> int:
    """Seconds until the caller may ask again when over ``FEED_RATE_LIMIT_PER_MINUTE`` requests
    a minute from one address (counted in the shared cache, before any query); 0 when not."""
    limit = settings.FEED_RATE_LIMIT_PER_MINUTE
    if limit <= 0:
        return 0
    now = time.time()
    window = int(now // 60)
    address = hashlib.sha256((client_ip(request) or "").encode()).hexdigest()[:32]
    key = f"feed-rate:{address}:{window}"
    cache.add(key, 0, 65)
    try:
        used = cache.incr(key)
    except ValueError:
        cache.add(key, 1, 65)
        used = 1
    return max(int((window + 1) * 60 - now), 1) if used > limit else 0


def _validators(response: HttpResponse, feed: Feed) -> HttpResponse:
    response["ETag"] = feed.etag
    response["Last-Modified"] = http_date(feed.modified_at.timestamp())
    patch_cache_control(response, private=True, max_age=300)
    return response


@require_safe
def feed_download(request: HttpRequest, token: str) -> HttpResponse:
    """The feed's file for whoever holds its token (see the module's notes)."""
    wait = _rate_limited(request)
    if wait:
        response = HttpResponse(_("Too many requests."), status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(wait)
        return response
    feed = selectors.feed_by_token(token)
    if feed is None:
        raise Http404
    Feed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now(), fetch_count=F("fetch_count") + 1)
    if not feed.file or feed.modified_at is None:
        response = HttpResponse(
            _("The feed is being prepared; try again in a minute."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    not_modified = get_conditional_response(
        request, etag=feed.etag, last_modified=int(feed.modified_at.timestamp())
    )
    if not_modified is not None:
        return _validators(not_modified, feed)
    try:
        body = feed.file.open("rb")
    except FileNotFoundError:  # replaced between reading the row and opening it: ask again
        response = HttpResponse(status=503)
        response["Retry-After"] = "1"
        return response
    response = FileResponse(body, content_type=CONTENT_TYPES[feed.file_format], filename=feed.download_name)
    return _validators(response, feed)


# --- the client panel: the company admin's feeds --------------------------------------------


def _page_url() -> str:
    return reverse("feeds:company")


def _company_admin_only(request: HttpRequest) -> int:
    company_id = selectors.company_admin_company_id(request.user)
    if company_id is None:
        raise Forbidden(services.WHO_MANAGES)
    return company_id


def _show_once(request: HttpRequest, feed: Feed, token: str) -> None:
    url = request.build_absolute_uri(reverse("feeds:download", kwargs={"token": token}))
    request.session[NEW_FEED_SESSION] = {"feed": feed.pk, "url": url}


@login_required
def company_feeds(request: HttpRequest) -> HttpResponse:
    """List the company's feeds; turn on a new one (its URL is shown once)."""
    company_id = _company_admin_only(request)
    currency = Company.objects.filter(pk=company_id).values_list("currency", flat=True).first()
    form = FeedForm(request.POST or None, initial={"language": active_language(), "currency": currency})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feed, token = services.feed_create_for(
                actor=request.user,
                file_format=data["file_format"],
                language=data["language"],
                currency=data["currency"],
                name=data["name"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            _show_once(request, feed, token)
            messages.success(request, _("The feed is on. Copy its address now: it is not shown again."))
            return redirect(_page_url())
    return render(
        request,
        "feeds/company_feeds.html",
        {
            "feeds": selectors.feeds_managed_by(request.user)[:100],
            "form": form,
            "new_feed": request.session.pop(NEW_FEED_SESSION, None),
        },
    )


def _act(request: HttpRequest, feed_id: int, action, done: str) -> HttpResponse:
    _company_admin_only(request)
    try:
        action(services.feed_of(request.user, feed_id))
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(_page_url())


@login_required
@require_POST
def company_feed_rotate(request: HttpRequest, feed_id: int) -> HttpResponse:
    def rotate(feed: Feed) -> None:
        _show_once(request, feed, services.feed_rotate(feed=feed, actor=request.user))

    return _act(
        request, feed_id, rotate, _("A new address is made; the old one no longer works. Copy it now.")
    )


@login_required
@require_POST
def company_feed_revoke(request: HttpRequest, feed_id: int) -> HttpResponse:
    return _act(
        request,
        feed_id,
        lambda feed: services.feed_revoke(feed=feed, actor=request.user),
        _("The feed is turned off; its address no longer works."),
    )
