"""Caching of rendered catalog pages and API responses, per price context.

A key holds everything that changes what the page shows: the price context
(``price_context_key``: channel, currency, country, language, customer group, reverse charge,
and the company only when it has prices or products of its own), whether the viewer is staff
(who see price explanations), the catalog version and the full path. Two customers share a
cached page exactly when they would see the same prices and products — so the many companies
of one customer group share their pages. Cached parts never contain CSRF tokens or the user's
name: the page header is rendered per request around them.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest

from tandem.catalog.models import Product
from tandem.core.catalog_cache import catalog_version
from tandem.core.context import CustomerContext
from tandem.pricing.models import PriceList


def request_catalog_version(request: HttpRequest) -> int:
    """The catalog version, read from the cache once per request."""
    version = getattr(request, "_catalog_version", None)
    if version is None:
        version = request._catalog_version = catalog_version()
    return version


def price_context_key(context: CustomerContext, version: int) -> str:
    """What decides the prices and products a customer sees. A company counts only when it
    has price lists or shared-catalog products of its own (looked up once per catalog version,
    in the shared cache); otherwise its group's key serves all of the group's companies."""
    if not context.company_id:
        return context.cache_key
    memo = f"price-context:{context.company_id}:{version}"
    local = caches["local"]  # read on every cached page: this process's memory first
    own = local.get(memo)
    if own is None:
        own = cache.get(memo)
        if own is None:
            lists = PriceList.objects.filter(companies=context.company_id).exists()
            products = Product.b2b_companies.through.objects.filter(company_id=context.company_id).exists()
            own = f"c{context.company_id}" if lists or products else "-"
            cache.set(memo, own, settings.CATALOG_CACHE_SECONDS)
        local.set(memo, own, settings.CATALOG_CACHE_SECONDS)
    return (
        f"{context.channel}:{context.currency}:{context.country}:{context.language}:"
        f"g{context.customer_group_id or 0}:{int(context.reverse_charge)}:{own}"
    )


def listing_cache_key(
    request: HttpRequest, *, category_id: int | None, query: str, selected: dict[str, list[str]]
) -> str:
    """What decides which products a listing holds (not the page, not the sort): its facet
    counts and its total are shared by all of its pages (``catalog.selectors.product_listing``)."""
    version = request_catalog_version(request)
    filters = ";".join(f"{code}={','.join(sorted(values))}" for code, values in sorted(selected.items()))
    wanted = hashlib.sha256(f"{category_id}|{query.strip()}|{filters}".encode()).hexdigest()[:32]
    return f"{price_context_key(request.customer_context, version)}:{version}:{wanted}"


def page_cache_key(request: HttpRequest, name: str) -> str:
    context = request.customer_context
    viewer = "staff" if request.user.is_authenticated and request.user.is_staff else "public"
    partial = "hx" if request.headers.get("HX-Request") else "full"
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    version = request_catalog_version(request)
    return f"page:{name}:{price_context_key(context, version)}:{viewer}:{partial}:{version}:{path}"


def cached_page_parts(request: HttpRequest, name: str, build: Callable[[], dict]) -> dict:
    """The rendered parts of a page (title, body…): from this process's memory, else from the
    cache every process shares (Redis, or the file cache of one machine), else built once and
    kept in both. A page one worker built is served by all of them."""
    key = page_cache_key(request, name)
    local = caches["local"]  # safe per process: the key carries the catalog version
    parts = local.get(key)
    if parts is None:
        parts = cache.get(key)
        if parts is None:
            parts = build()
            cache.set(key, parts, settings.CATALOG_CACHE_SECONDS)
        local.set(key, parts, settings.CATALOG_CACHE_SECONDS)
    return parts
