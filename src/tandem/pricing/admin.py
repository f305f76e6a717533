from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tandem.core.admin_translation import TranslatableAdminMixin
from tandem.core.audit import audit_record
from tandem.core.catalog_cache import CatalogCacheAdminMixin
from tandem.core.events import event_publish
from tandem.customers.admin_scope import CustomerScopedAdmin
from tandem.customers.staff_scope import companies_managed_by
from tandem.pricing.imports import ImportFileError, price_list_entries_import
from tandem.pricing.models import BasePrice, PriceList, PriceListEntry, Promotion, TaxClass, TaxRate

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class TaxRateInline(admin.TabularInline):
    model = TaxRate
    extra = 1


@admin.register(TaxClass)
class TaxClassAdmin(CatalogCacheAdminMixin, TranslatableAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    inlines = [TaxRateInline]


@admin.register(TaxRate)
class TaxRateAdmin(CatalogCacheAdminMixin, admin.ModelAdmin):
    list_display = ["tax_class", "country", "rate"]
    list_filter = ["country", "tax_class"]


class BasePriceInline(admin.TabularInline):
    model = BasePrice
    extra = 1


def audit_form_change(
    request, form, *, action: str, target, keys: tuple[str, ...], values: tuple[str, ...]
) -> None:
    """Record one price a staff member added, changed or deleted (C11 audit log):
    what identifies it (``keys``) and its ``values`` before and after."""
    if not form.cleaned_data or not form.has_changed():
        return
    deleted = form.cleaned_data.get("DELETE", False)
    audit_record(
        action=f"{action}.deleted" if deleted else f"{action}.changed",
        actor_id=request.user.pk,
        target=target,
        changes={
            **{key: str(form.cleaned_data.get(key)) for key in keys},
            "before": {name: str(form.initial.get(name) or "") for name in values},
            "after": {} if deleted else {name: str(form.cleaned_data.get(name) or "") for name in values},
        },
        ip_address=request.META.get("REMOTE_ADDR"),
    )


def audit_price_form(request, form) -> None:
    audit_form_change(
        request,
        form,
        action="price",
        target=form.cleaned_data.get("variant") or form.instance.variant,
        keys=("currency", "channel"),
        values=("amount",),
    )


def audit_price_changes(request, formset) -> None:
    """Audit every list price in a variant's inline formset."""
    if formset.model is BasePrice and formset.is_valid():
        for form in formset.forms:
            audit_price_form(request, form)


@admin.register(BasePrice)
class BasePriceAdmin(CatalogCacheAdminMixin, admin.ModelAdmin):
    list_display = ["variant", "currency", "channel", "amount"]
    list_filter = ["currency", "channel"]
    search_fields = ["variant__sku"]
    autocomplete_fields = ["variant"]
    list_select_related = ["variant"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_price_form(request, form)


class PriceListEntryInline(admin.TabularInline):
    model = PriceListEntry
    extra = 1
    autocomplete_fields = ["variant"]
    fields = ["variant", "min_quantity", "price", "discount_percent"]


class PriceListImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    dry_run = forms.BooleanField(
        label=_("Dry run: check and report, write nothing"), required=False, initial=True
    )


INLINE_ENTRIES = 50  # a longer list's entries are kept on their own page (search, paging)


class PriceListScope:
    """Who sees which price lists, for the lists and their entries alike: those who keep the
    prices every list; a sales rep the general and group lists and their own customers'."""

    list_path = ""  # the lookup from a row to its price list ("" for the list itself)

    def sees_every_customer(self, request) -> bool:
        return super().sees_every_customer(request) or request.user.has_perm("pricing.change_pricelist")

    def scope_rows(self, rows, request):
        prefix = f"{self.list_path}__" if self.list_path else ""
        managed = companies_managed_by(request.user).values("pk")
        return rows.filter(
            Q(**{f"{prefix}companies__isnull": True}) | Q(**{f"{prefix}companies__in": managed})
        ).distinct()


@admin.register(PriceListEntry)
class PriceListEntryAdmin(PriceListScope, CatalogCacheAdminMixin, CustomerScopedAdmin):
    """Every entry of every list the user may see, searchable by SKU, product or list and
    paged: a list of thousands of entries is edited here, not inline on its page."""

    list_path = "price_list"
    list_display = ["price_list", "variant", "min_quantity", "price", "discount_percent"]
    list_filter = ["price_list__currency", "price_list"]
    search_fields = ["variant__sku", "variant__product__name", "price_list__name", "price_list__code"]
    list_select_related = ["price_list", "variant"]
    autocomplete_fields = ["price_list", "variant"]
    list_per_page = 100

    def save_model(self, request, obj, form, change):
        audit_form_change(
            request,
            form,
            action="price_list_entry",
            target=obj.price_list,
            keys=("variant", "min_quantity"),
            values=("price", "discount_percent"),
        )
        super().save_model(request, obj, form, change)
        event_publish("price_list.changed", {"price_list_id": obj.price_list_id, "source": "admin"})

    def delete_model(self, request, obj):
        price_list_id = obj.price_list_id
        super().delete_model(request, obj)
        event_publish("price_list.changed", {"price_list_id": price_list_id, "source": "admin"})


@admin.register(PriceList)
class PriceListAdmin(PriceListScope, CatalogCacheAdminMixin, CustomerScopedAdmin):
    """Those who keep the prices see every list; a sales rep the general and group lists and
    their own customers' contract prices, never another customer's."""

    list_display = ["name", "code", "currency", "priority", "valid_from", "valid_until", "is_active"]
    list_filter = ["is_active", "currency", "customer_groups"]
    search_fields = ["name", "code", "companies__name"]
    autocomplete_fields = ["companies", "customer_groups"]
    inlines = [PriceListEntryInline]
    readonly_fields = ["entries_link"]

    def get_inlines(self, request, obj):
        """Entries inline for a short list; a long one links to its entries' own page."""
        if obj is not None and obj.entries.count() > INLINE_ENTRIES:
            return []
        return super().get_inlines(request, obj)

    @admin.display(description=_("entries"))
    def entries_link(self, price_list: PriceList) -> str:
        if not price_list.pk:
            return "—"
        url = reverse("admin:pricing_pricelistentry_changelist") + f"?price_list__id__exact={price_list.pk}"
        count = price_list.entries.count()
        return format_html(
            '<a href="{}">{}</a>',
            url,
            ngettext("%(count)s entry: search and edit", "%(count)s entries: search and edit", count)
            % {"count": count},
        )

    def get_urls(self):
        return [
            path(
                "<int:price_list_id>/import/",
                self.admin_site.admin_view(self.import_view),
                name="pricing_pricelist_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request, price_list_id: int):
        price_list = get_object_or_404(PriceList, pk=price_list_id)
        if not self.has_change_permission(request, price_list):
            raise PermissionDenied
        form = PriceListImportForm(request.POST or None, request.FILES or None)
        report, file_error = None, None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD_BYTES:
                file_error = _("The file is larger than 20 MB; split it into smaller files.")
            else:
                try:
                    report = price_list_entries_import(
                        price_list=price_list,
                        file_name=upload.name,
                        content=upload.read(),
                        dry_run=form.cleaned_data["dry_run"],
                        actor_id=request.user.pk,
                    )
                except ImportFileError as error:
                    file_error = str(error)
        return TemplateResponse(
            request,
            "admin/pricing/pricelist/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "price_list": price_list,
                "form": form,
                "report": report,
                "file_error": file_error,
                "title": _("Import entries (CSV/XLSX)"),
            },
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        event_publish("price_list.changed", {"price_list_id": form.instance.pk, "source": "admin"})

    def save_formset(self, request, form, formset, change):
        if formset.model is PriceListEntry and formset.is_valid():
            for entry_form in formset.forms:
                audit_form_change(
                    request,
                    entry_form,
                    action="price_list_entry",
                    target=form.instance,
                    keys=("variant", "min_quantity"),
                    values=("price", "discount_percent"),
                )
        super().save_formset(request, form, formset, change)


@admin.register(Promotion)
class PromotionAdmin(TranslatableAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "value",
        "currency",
        "minimum_order",
        "channel",
        "valid_until",
        "times_used",
        "usage_limit",
        "is_active",
    ]
    list_filter = ["kind", "channel", "is_active", "currency"]
    search_fields = ["code", "name"]
    readonly_fields = ["times_used"]
    fieldsets = [
        (None, {"fields": ["name", "code", "kind", "value", "currency", "minimum_order", "channel"]}),
        (
            _("Validity and limits"),
            {
                "fields": [
                    "valid_from",
                    "valid_until",
                    "usage_limit",
                    "usage_limit_per_customer",
                    "times_used",
                    "is_active",
                ]
            },
        ),
    ]
