from django.db import transaction

from tandem.catalog.services import catalog_cache_clear


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
