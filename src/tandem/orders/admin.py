from django.contrib import admin

from tandem.orders.models import Order, OrderEvent, OrderLine


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = ["sku", "name", "quantity", "unit_net", "unit_gross", "tax_rate", "discount", "line_net",
              "price_source", "backordered"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "status", "actor", "on_behalf_of", "message"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """The one order book of both channels. Placed orders are snapshots: status changes and
    corrections come with order management (their own services), not by editing fields."""

    list_display = ["number", "created_at", "channel", "company", "email", "status", "payment_method",
                    "payment_status", "total_gross", "currency"]
    list_filter = ["channel", "status", "payment_method", "payment_status", "currency"]
    search_fields = ["number", "email", "po_number", "company__name", "lines__sku"]
    date_hierarchy = "created_at"
    list_select_related = ["company"]
    inlines = [OrderLineInline, OrderEventInline]
    readonly_fields = [field.name for field in Order._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
