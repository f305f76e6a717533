from django.contrib import admin

from tandem.catalog.admin_mixins import CatalogCacheAdminMixin
from tandem.inventory.models import StockItem, Warehouse


@admin.register(Warehouse)
class WarehouseAdmin(CatalogCacheAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "country", "city", "is_active"]
    list_filter = ["is_active", "country"]
    search_fields = ["code", "name"]


@admin.register(StockItem)
class StockItemAdmin(CatalogCacheAdminMixin, admin.ModelAdmin):
    list_display = ["variant", "warehouse", "on_hand", "reserved", "available"]
    list_filter = ["warehouse"]
    search_fields = ["variant__sku", "variant__product__name"]
    list_select_related = ["variant", "warehouse"]
    autocomplete_fields = ["variant"]


class StockItemInline(admin.TabularInline):
    model = StockItem
    extra = 0
    fields = ["warehouse", "on_hand", "reserved"]
