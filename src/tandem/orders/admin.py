from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tandem.core.admin_translation import TranslatableAdminMixin
from tandem.core.errors import DomainError
from tandem.customers.admin_scope import CustomerScopedAdmin
from tandem.orders.admin_actions import order_admin_actions
from tandem.orders.models import (
    ApprovalRule,
    CustomStatus,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Shipment,
)
from tandem.orders.selectors import orders_managed_by
from tandem.orders.services import order_status_change


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = [
        "sku",
        "name",
        "quantity",
        "shipped",
        "unit_net",
        "unit_gross",
        "tax_rate",
        "discount",
        "line_net",
        "price_source",
        "backordered",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ShipmentInline(admin.TabularInline):
    model = Shipment
    extra = 0
    can_delete = False
    fields = ["number", "shipped_at", "carrier", "tracking_number", "created_by"]
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

    list_display = [
        "number",
        "created_at",
        "channel",
        "company",
        "email",
        "status",
        "custom_status",
        "payment_method",
        "payment_status",
        "total_gross",
        "currency",
    ]
    list_filter = ["channel", "status", "payment_method", "payment_status", "currency"]
    search_fields = ["number", "email", "po_number", "company__name", "lines__sku"]
    date_hierarchy = "created_at"
    list_select_related = ["company"]
    inlines = [OrderLineInline, ShipmentInline, OrderEventInline]
    readonly_fields = [field.name for field in Order._meta.fields]

    actions = [
        f"mark_{status}"
        for status in (
            OrderStatus.CONFIRMED,
            OrderStatus.IN_PROGRESS,
            OrderStatus.SHIPPED,
            OrderStatus.DELIVERED,
            OrderStatus.COMPLETED,
            OrderStatus.CANCELLED,
        )
    ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        for action in order_admin_actions():  # e.g. billing's "Issue invoice"
            func, name, description = self.get_action(action)
            actions[name] = (func, name, description)
        return actions

    def get_queryset(self, request):
        # A sales rep sees their own customers' orders here too, as on the staff order pages.
        return orders_managed_by(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _move(self, request, queryset, status: str) -> None:
        moved, refused = 0, []
        for order in queryset:
            try:
                order_status_change(order=order, status=status, actor=request.user, note=_("in the admin"))
                moved += 1
            except DomainError as error:
                refused.append(f"{order.number}: {error.message}")
        if moved:
            self.message_user(
                request,
                ngettext("%(count)s order changed.", "%(count)s orders changed.", moved) % {"count": moved},
            )
        for message in refused:
            self.message_user(request, message, level=messages.ERROR)

    @admin.action(description=_("Mark as confirmed"), permissions=["change"])
    def mark_confirmed(self, request, queryset):
        self._move(request, queryset, OrderStatus.CONFIRMED)

    @admin.action(description=_("Mark as in progress"), permissions=["change"])
    def mark_in_progress(self, request, queryset):
        self._move(request, queryset, OrderStatus.IN_PROGRESS)

    @admin.action(description=_("Mark as shipped (takes the reserved stock out)"), permissions=["change"])
    def mark_shipped(self, request, queryset):
        self._move(request, queryset, OrderStatus.SHIPPED)

    @admin.action(description=_("Mark as delivered"), permissions=["change"])
    def mark_delivered(self, request, queryset):
        self._move(request, queryset, OrderStatus.DELIVERED)

    @admin.action(description=_("Mark as completed"), permissions=["change"])
    def mark_completed(self, request, queryset):
        self._move(request, queryset, OrderStatus.COMPLETED)

    @admin.action(description=_("Cancel (releases the reserved stock)"), permissions=["change"])
    def mark_cancelled(self, request, queryset):
        self._move(request, queryset, OrderStatus.CANCELLED)


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(CustomerScopedAdmin):
    list_display = ["company", "min_total", "role"]
    list_filter = ["role"]
    search_fields = ["company__name"]
    autocomplete_fields = ["company"]


@admin.register(CustomStatus)
class CustomStatusAdmin(TranslatableAdminMixin, admin.ModelAdmin):
    """Merchant statuses: each maps to a core stage; staff set them on orders over the API
    (POST /api/v1/orders/{number}/custom-status)."""

    list_display = ["name", "code", "stage", "visible_to_customer", "notify_customer", "position"]
    list_filter = ["stage", "visible_to_customer", "notify_customer"]
    filter_horizontal = ["allowed_next"]
