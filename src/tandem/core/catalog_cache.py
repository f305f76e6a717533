"""The catalog's cache generation: every cached page that shows catalog data (product cards,
facets, prices, stock) carries the version in its key, so one increment retires them all in
every process sharing the cache. Kept in core because every app that changes what a catalog
page shows (catalog, prices, stock, customer groups) bumps it."""

from django.core.cache import cache, caches
from django.db import transaction

CATALOG_VERSION_KEY = "catalog:version"
VERSION_MEMO_KEY = "catalog:version:memo"
VERSION_MEMO_SECONDS = 1


def catalog_cache_clear() -> None:
    """Retire cached catalog pages after a change made by staff.

    Cached pages carry the catalog version in their keys; bumping the shared version
    retires them at once in this process and within ``VERSION_MEMO_SECONDS`` in every other
    process and server sharing the cache.
    """
    try:
        version = cache.incr(CATALOG_VERSION_KEY)
    except ValueError:
        version = 2
        cache.set(CATALOG_VERSION_KEY, version, None)
    caches["local"].set(VERSION_MEMO_KEY, version, VERSION_MEMO_SECONDS)


def catalog_version() -> int:
    """The shared catalog version, remembered by this process for at most a second."""
    local = caches["local"]
    version = local.get(VERSION_MEMO_KEY)
    if version is None:
        version = cache.get_or_set(CATALOG_VERSION_KEY, 1, None)
        local.set(VERSION_MEMO_KEY, version, VERSION_MEMO_SECONDS)
    return version


class CatalogCacheAdminMixin:
    """Staff edits of anything a catalog page shows retire the cached pages (after commit)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(catalog_cache_clear)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        transaction.on_commit(catalog_cache_clear)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(catalog_cache_clear)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(catalog_cache_clear)
