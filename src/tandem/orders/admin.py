from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
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
from tandem.orders.transitions import next_stages


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
    # what staff read, in groups; the internal token, the idempotency key and raw JSON stay out
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "status_change",
                    "channel",
                    "status",
                    "custom_status",
                    "created_at",
                    "placed_at",
                ]
            },
        ),
        (
            _("Customer"),
            {"fields": ["company", "user", "placed_by", "email", "buyer_display", "po_number", "comment"]},
        ),
        (
            _("Delivery"),
            {"fields": ["delivery_method", "address_display", "requested_delivery_date", "delivery_price"]},
        ),
        (
            _("Payment and totals"),
            {
                "fields": [
                    "payment_method",
                    "payment_status",
                    "payment_terms",
                    "payment_days",
                    "coupon_code",
                    "discounts_display",
                    "goods_net",
                    "discount_total",
                    "total_net",
                    "tax_display",
                    "total_gross",
                    "currency",
                    "reverse_charge",
                    "invoiced",
                ]
            },
        ),
    ]
    readonly_fields = [
        *(field.name for field in Order._meta.fields),
        "status_change",
        "buyer_display",
        "address_display",
        "discounts_display",
        "tax_display",
    ]

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

    # --- the change page: readable snapshots and a button per next stage -----------------

    @admin.display(description=_("Move to"))
    def status_change(self, order: Order) -> str:
        """A button per stage the order may move to (the same service as the bulk actions)."""
        if not order.pk:
            return "—"
        buttons = format_html_join(
            " ",
            '<button type="submit" name="_status" value="{}" class="button">{}</button>',
            ((stage, OrderStatus(stage).label) for stage in sorted(next_stages(order.status))),
        )
        return buttons or "—"

    @admin.display(description=_("buyer"))
    def buyer_display(self, order: Order) -> str:
        return _lines(order.buyer, ("name", "vat_id", "street", "postal_code", "city", "country"))

    @admin.display(description=_("delivery address"))
    def address_display(self, order: Order) -> str:
        return _lines(
            order.shipping_address, ("recipient", "street", "postal_code", "city", "country", "phone")
        )

    @admin.display(description=_("discounts"))
    def discounts_display(self, order: Order) -> str:
        return (
            format_html_join(
                mark_safe("<br>"),  # noqa: S308 — a constant
                "{} {}: −{} {}",
                (
                    (d.get("name", ""), d.get("code", ""), d.get("amount", ""), order.currency)
                    for d in order.discounts or []
                ),
            )
            or "—"
        )

    @admin.display(description=_("VAT per rate"))
    def tax_display(self, order: Order) -> str:
        return (
            format_html_join(
                mark_safe("<br>"),  # noqa: S308 — a constant
                "{} %: {} + {} = {} {}",
                (
                    (
                        rate.get("rate"),
                        rate.get("net"),
                        rate.get("tax"),
                        rate.get("gross", ""),
                        order.currency,
                    )
                    for rate in order.tax_summary or []
                ),
            )
            or "—"
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A "Move to" button: the order changes stage through the order service (the rest of
        the page is read only, so nothing else is saved)."""
        stage = request.POST.get("_status") if request.method == "POST" else None
        if stage and object_id:
            order = self.get_object(request, object_id)
            if order is None or not self.has_change_permission(request, order):
                raise PermissionDenied
            self._move(request, Order.objects.filter(pk=order.pk), stage)
            return HttpResponseRedirect(request.path)
        return super().changeform_view(request, object_id, form_url, extra_context)

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


def _lines(values: dict | None, keys: tuple[str, ...]) -> str:
    """A stored address or buyer as lines of text (what is filled in, in this order)."""
    values = values or {}
    return (
        format_html_join(mark_safe("<br>"), "{}", ((values[key],) for key in keys if values.get(key))) or "—"
    )  # noqa: S308
