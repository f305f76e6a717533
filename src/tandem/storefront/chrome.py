"""The page around a catalog page's content (head, header, footer), rendered once per visitor
state and kept in this process's memory.

Rendering ``base.html`` cost a quarter of a cached category page (static and URL tags, the
header's conditions, the CSRF token, the counters). What in it changes per request — the
title and description, the CSRF token, the search words, the cart and inbox counters, flash
messages and the content — is rendered as markers (``<MARK>_name_``, with a random mark per
process, so no text a visitor or merchant writes can name a slot) and filled per request from
the context processors a render runs. Everything else is keyed here: the language,
the customer context (channel, currency, company, group), the signed-in user and their name,
a rep acting for a customer, and the catalog version, and kept as long as the header's
fragments are (``CHROME_SECONDS``).

Only the hot catalog pages (home, category, search, product) use it; every other page renders
``base.html`` as usual.
"""

import functools
import hashlib
import re
import secrets
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from tandem.catalog.caching import request_catalog_version
from tandem.punchout.mode import PUNCHOUT_SESSION_KEY

CHROME_SECONDS = 300  # as long as the header's own fragments (base.html)
_MARK = "tandemchrome" + secrets.token_hex(8)
_SLOT = re.compile(_MARK + r"_(\w+?)_")


class Marker(SafeString):
    """Where a per-request value goes (alphanumeric: it survives escaping and attributes)."""


def marker(name: str) -> Marker:
    return Marker(f"{_MARK}_{name}_")


def badge(count: object, testid: str) -> str:
    """A counter next to a header link ("Cart 3"); nothing for none."""
    if isinstance(count, Marker):
        return count
    return format_html(' <span class="badge" data-testid="{}">{}</span>', testid, count) if count else ""


def chrome_response(
    request: HttpRequest, *, title: str, body: str, description: str | None = None, query: str = ""
) -> HttpResponse:
    """``base.html`` around ``body`` (HTML), as a full render would give it."""
    pieces = _pieces(request, described=description is not None)
    processors: dict = {}
    for processor in engines["django"].engine.template_context_processors:  # as a render runs them
        processors.update(processor(request))
    values: dict[str, Callable[[], str]] = {
        "title": lambda: escape(title),
        "description": lambda: escape(description or ""),
        "csrf": functools.cache(lambda: get_token(request)),  # one masked token, however many forms
        "query": lambda: escape(query),
        "cart": lambda: badge(_value(processors.get("cart_count", 0)), "cart-count"),
        "inbox": lambda: badge(_value(processors.get("inbox_unread", 0)), "inbox-count"),
        "content": lambda: _messages(request) + body,
    }
    return HttpResponse(
        "".join(piece if index % 2 == 0 else values[piece]() for index, piece in enumerate(pieces))
    )


def _value(value: object) -> object:
    return value() if callable(value) else value


def _messages(request: HttpRequest) -> str:
    storage = get_messages(request)
    return render_to_string("storefront/_messages.html", {"messages": storage}) if storage else ""


def _pieces(request: HttpRequest, *, described: bool) -> list[str]:
    """Literal HTML at even places, slot names at odd ones."""
    user = request.user
    context = request.customer_context
    state = (
        f"{int(described)}:{get_language()}:{context.cache_key}:{context.on_behalf_of_id}:"
        f"{user.pk}:{int(user.is_staff)}:{getattr(user, 'full_name', '')}:{getattr(user, 'email', '')}:"
        f"{request_catalog_version(request)}:{request.session.get(PUNCHOUT_SESSION_KEY, '')}"
    )
    key = "chrome:" + hashlib.blake2b(state.encode(), digest_size=16).hexdigest()  # names hold spaces
    local = caches["local"]
    pieces = local.get(key)
    if pieces is None:
        html = render_to_string(
            "storefront/chrome.html",
            {
                "title": marker("title"),
                "description": marker("description") if described else None,
                "csrf_token": marker("csrf"),
                "query": marker("query"),
                "cart_count": marker("cart"),
                "inbox_unread": marker("inbox"),
                "messages": (),
                "body": marker("content"),
            },
            request,
        )
        pieces = _SLOT.split(html)
        local.set(key, pieces, CHROME_SECONDS)
    return pieces
