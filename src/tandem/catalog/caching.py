"""Caching of rendered catalog pages and API responses.

A storefront page is cached in two parts that are shared as widely as they can be:
- its **skeleton** (texts, pictures, facets, stock, links) under the ``assortment_key``: what
  decides which products a customer sees (channel, language, and a customer group or a
  company only when it has wholesale products of its own). Prices are left as slots
  (``storefront.price_slots``);
- its **prices** under the ``prices_key``: what decides the amounts (channel, currency,
  language, customer group, the company only when it has price lists of its own, and for
  gross prices or staff explanations the country and reverse charge).
The many companies of one customer group share every skeleton and every price fragment, and
all buyers of one language share the skeletons. API responses hold both and are keyed by
``price_context_key``, which joins the two. Every key carries the catalog version. Cached
parts never contain CSRF tokens or the user's name: the page header is rendered per request.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest
from django.utils import timezone

from tandem.catalog.models import Product
from tandem.core.catalog_cache import catalog_version
from tandem.core.context import Channel, CustomerContext
from tandem.pricing.models import PriceList

PRICE_SORTS = ("price", "-price")


def request_catalog_version(request: HttpRequest) -> int:
    """The catalog version, read from the cache once per request."""
    version = getattr(request, "_catalog_version", None)
    if version is None:
        version = request._catalog_version = catalog_version()
    return version


def _memo(key: str, compute: Callable[[], bool]) -> bool:
    """A fact about the catalog, remembered per catalog version: this process's memory
    first (it is read on every page), then the shared cache, else computed once."""
    local = caches["local"]
    known = local.get(key)
    if known is None:
        known = cache.get(key)
        if known is None:
            known = compute()
            cache.set(key, known, settings.CATALOG_CACHE_SECONDS)
        local.set(key, known, settings.CATALOG_CACHE_SECONDS)
    return known


def _group_has_products(group_id: int, version: int) -> bool:
    return _memo(
        f"assortment:group:{group_id}:{version}",
        lambda: Product.b2b_groups.through.objects.filter(customergroup_id=group_id).exists(),
    )


def _company_has_products(company_id: int, version: int) -> bool:
    return _memo(
        f"assortment:company:{company_id}:{version}",
        lambda: Product.b2b_companies.through.objects.filter(company_id=company_id).exists(),
    )


def _company_has_lists(company_id: int, version: int) -> bool:
    return _memo(
        f"prices:company:{company_id}:{version}",
        lambda: PriceList.objects.filter(companies=company_id).exists(),
    )


def assortment_key(context: CustomerContext, version: int) -> str:
    """What decides the products, texts and facets a customer sees (not their prices)."""
    if context.channel != Channel.B2B:
        return f"{context.channel}:{context.language}"
    group = context.customer_group_id if context.customer_group_id else 0
    if group and not _group_has_products(group, version):
        group = 0
    company = context.company_id if context.company_id else 0
    if company and not _company_has_products(company, version):
        company = 0
    return f"{context.channel}:{context.language}:g{group}:c{company}"


def prices_key(context: CustomerContext, version: int, *, staff: bool = False) -> str:
    """What decides the prices a customer sees. Wholesale prices are net: the country and
    reverse charge count only for gross prices and for the explanations staff read."""
    group = (context.customer_group_id or 0) if context.is_b2b else 0
    company = (context.company_id or 0) if context.is_b2b else 0
    if company and not _company_has_lists(company, version):
        company = 0
    key = f"{context.channel}:{context.currency}:{context.language}:g{group}:c{company}"
    if context.is_b2b:  # price lists are valid from and until a day
        key += f":{timezone.localdate().isoformat()}"
    if context.prices_include_tax or staff:
        key += f":{context.country}:{int(context.reverse_charge)}"
    return key + (":staff" if staff else "")


def price_context_key(context: CustomerContext, version: int) -> str:
    """Everything that decides prices and products together (for API responses)."""
    return f"{assortment_key(context, version)}|{prices_key(context, version)}"


def listing_cache_key(
    request: HttpRequest, *, category_id: int | None, query: str, selected: dict[str, list[str]]
) -> str:
    """What decides which products a listing holds (not the page, not the sort): its facet
    counts and its total are shared by all of its pages (``catalog.selectors.product_listing``)."""
    version = request_catalog_version(request)
    filters = ";".join(f"{code}={','.join(sorted(values))}" for code, values in sorted(selected.items()))
    wanted = hashlib.sha256(f"{category_id}|{query.strip()}|{filters}".encode()).hexdigest()[:32]
    return f"{assortment_key(request.customer_context, version)}:{version}:{wanted}"


def is_staff_viewer(request: HttpRequest) -> bool:
    """Staff see price explanations: their pages are never shared with shoppers."""
    return bool(request.user.is_authenticated and request.user.is_staff)


def page_cache_key(request: HttpRequest, name: str, *, with_prices: bool) -> str:
    """A page's skeleton (``with_prices=False``: shared by everyone who sees the same
    products) or a whole priced response (the API)."""
    context = request.customer_context
    version = request_catalog_version(request)
    partial = "hx" if request.headers.get("HX-Request") else "full"
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    if with_prices:
        shared_by = f"{price_context_key(context, version)}:{'staff' if is_staff_viewer(request) else ''}"
    else:
        shared_by = assortment_key(context, version)
        if request.GET.get("sort") in PRICE_SORTS:  # sorted by the list prices of a currency
            shared_by += f":{context.currency}"
    return f"page:{name}:{shared_by}:{partial}:{version}:{path}"


def cached(key: str, build: Callable[[], dict], *, seconds: int | None = None) -> dict:
    """From this process's memory, else from the cache every process shares (Redis, or the
    file cache of one machine), else built once and kept in both: a part one worker built is
    served by all of them. Safe per process: every key carries the catalog version."""
    seconds = settings.CATALOG_CACHE_SECONDS if seconds is None else seconds
    if not seconds:
        return build()  # caching switched off (a lifetime of 0): nothing read or written
    local = caches["local"]
    parts = local.get(key)
    if parts is None:
        parts = cache.get(key)
        if parts is None:
            parts = build()
            cache.set(key, parts, seconds)
        local.set(key, parts, seconds)
    return parts


def cached_page_parts(
    request: HttpRequest, name: str, build: Callable[[], dict], *, with_prices: bool = False
) -> dict:
    """The rendered parts of a page (title, body…) — its skeleton, unless ``with_prices``."""
    return cached(page_cache_key(request, name, with_prices=with_prices), build)
