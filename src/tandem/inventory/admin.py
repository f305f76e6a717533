from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.core.catalog_cache import CatalogCacheAdminMixin
from tandem.inventory.errors import StockError
from tandem.inventory.models import StockItem, Warehouse
from tandem.inventory.services import stock_count, stock_count_check, stock_rows_open


@admin.register(Warehouse)
class WarehouseAdmin(CatalogCacheAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "country", "city", "is_active"]
    list_filter = ["is_active", "country"]
    search_fields = ["code", "name"]


class StockItemForm(forms.ModelForm):
    class Meta:
        model = StockItem
        fields = ["variant", "warehouse", "on_hand"]

    def clean_on_hand(self) -> int:
        on_hand = self.cleaned_data["on_hand"]
        try:
            stock_count_check(on_hand=on_hand, reserved=self.instance.reserved if self.instance.pk else 0)
        except StockError as error:
            raise forms.ValidationError(str(error.message)) from error
        return on_hand


@admin.register(StockItem)
class StockItemAdmin(CatalogCacheAdminMixin, admin.ModelAdmin):
    """Stock changes go through the stock service: a new row opens with its count, a changed
    "on hand" is a stock count (booked as a movement), "reserved" belongs to the orders."""

    list_display = ["variant", "warehouse", "on_hand", "reserved", "available"]
    list_filter = ["warehouse"]
    search_fields = ["variant__sku", "variant__product__name"]
    list_select_related = ["variant", "warehouse"]
    autocomplete_fields = ["variant"]
    form = StockItemForm
    readonly_fields = ["reserved", "recent_movements"]
    RECENT = 50

    def get_readonly_fields(self, request, obj=None):
        # a row's variant and warehouse are its identity once it has movements
        return [*self.readonly_fields, "variant", "warehouse"] if obj is not None else self.readonly_fields

    @admin.display(description=_("latest movements"))
    def recent_movements(self, obj: StockItem) -> str:
        if obj.pk is None:
            return "—"
        movements = obj.movements.select_related("actor").order_by("-created_at", "-pk")[: self.RECENT]
        cells = "<td>{}</td>" * 7
        rows = format_html_join(
            "",
            f"<tr>{cells}</tr>",
            (
                (
                    date_format(localtime(m.created_at), "SHORT_DATETIME_FORMAT"),
                    m.get_kind_display(),
                    f"{m.on_hand_change:+d}",
                    f"{m.reserved_change:+d}",
                    m.reference,
                    m.note,
                    m.actor or "",
                )
                for m in movements
            ),
        )
        head = format_html_join(
            "",
            "<th>{}</th>",
            (
                (label,)
                for label in (
                    _("time"),
                    _("kind"),
                    _("on hand"),
                    _("reserved"),
                    pgettext_lazy("stock movement", "reference"),
                    _("note"),
                    _("by"),
                )
            ),
        )
        return format_html("<table><tr>{}</tr>{}</table>", head, rows)

    def save_model(self, request, obj, form, change):
        if not change:
            stock_rows_open([obj])
            return
        stock_count(
            item_id=obj.pk, on_hand=obj.on_hand, note=str(_("changed in the admin")), actor_id=request.user.pk
        )  # checked again under the row lock

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StockError as error:  # an order reserved between the form's check and the lock
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a row is a ledger: count it down to zero instead


class StockItemInline(admin.TabularInline):
    """The variant's stock per warehouse, to read; counts are changed on the stock rows."""

    model = StockItem
    extra = 0
    can_delete = False
    fields = readonly_fields = ["warehouse", "on_hand", "reserved", "change_link"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("stock count"))
    def change_link(self, obj: StockItem) -> str:
        url = reverse("admin:inventory_stockitem_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Count and history"))
