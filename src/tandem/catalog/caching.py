"""Caching of rendered catalog pages and API responses, per price context.

A key holds everything that changes what the page shows: the customer context's
cache key (channel, currency, country, language, company, customer group), whether the
viewer is staff (who see price explanations), the catalog version and the full path.
Two customers share a cached page only when they would see exactly the same prices and
products. Cached parts never contain CSRF tokens or the user's name: the page header is
rendered per request around them.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

from tandem.core.catalog_cache import catalog_version


def request_catalog_version(request: HttpRequest) -> int:
    """The catalog version, read from the cache once per request."""
    version = getattr(request, "_catalog_version", None)
    if version is None:
        version = request._catalog_version = catalog_version()
    return version


def page_cache_key(request: HttpRequest, name: str) -> str:
    context = request.customer_context
    viewer = "staff" if request.user.is_authenticated and request.user.is_staff else "public"
    partial = "hx" if request.headers.get("HX-Request") else "full"
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    version = request_catalog_version(request)
    return f"page:{name}:{context.cache_key}:{viewer}:{partial}:{version}:{path}"


def cached_page_parts(request: HttpRequest, name: str, build: Callable[[], dict]) -> dict:
    """The rendered parts of a page (title, body…) from the cache, else built and cached."""
    key = page_cache_key(request, name)
    local = caches["local"]  # safe per process: the key carries the catalog version
    parts = local.get(key)
    if parts is None:
        parts = build()
        local.set(key, parts, settings.CATALOG_CACHE_SECONDS)
    return parts
