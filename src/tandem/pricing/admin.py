from django.contrib import admin

from tandem.catalog.admin_mixins import CatalogCacheAdminMixin
from tandem.core.admin_translation import TranslatableAdminMixin
from tandem.core.audit import audit_record
from tandem.pricing.models import BasePrice, PriceList, PriceListEntry, TaxClass, TaxRate


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


def audit_price_changes(request, formset) -> None:
    """Record every list price staff add, change or delete (C11 audit log)."""
    if formset.model is not BasePrice or not formset.is_valid():
        return

    for form in formset.forms:
        if form.cleaned_data and form.has_changed():
            audit_price_form(request, form)


def audit_price_form(request, form) -> None:
    deleted = form.cleaned_data.get("DELETE", False)
    audit_record(
        action="price.deleted" if deleted else "price.changed",
        actor_id=request.user.pk,
        target=form.cleaned_data.get("variant") or form.instance.variant,
        changes={
            "currency": form.cleaned_data.get("currency"),
            "channel": form.cleaned_data.get("channel"),
            "before": str(form.initial.get("amount", "")),
            "after": "" if deleted else str(form.cleaned_data.get("amount")),
        },
        ip_address=request.META.get("REMOTE_ADDR"),
    )


@admin.register(BasePrice)
class BasePriceAdmin(CatalogCacheAdminMixin, admin.ModelAdmin):
    list_display = ["variant", "currency", "channel", "amount"]
    list_filter = ["currency", "channel"]
    search_fields = ["variant__sku"]
    autocomplete_fields = ["variant"]
    list_select_related = ["variant"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.has_changed():
            audit_price_form(request, form)


class PriceListEntryInline(admin.TabularInline):
    model = PriceListEntry
    extra = 1
    autocomplete_fields = ["variant"]
    fields = ["variant", "min_quantity", "price", "discount_percent"]


@admin.register(PriceList)
class PriceListAdmin(CatalogCacheAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "currency", "priority", "valid_from", "valid_until", "is_active"]
    list_filter = ["is_active", "currency", "customer_groups"]
    search_fields = ["name", "code", "companies__name"]
    autocomplete_fields = ["companies", "customer_groups"]
    inlines = [PriceListEntryInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is PriceListEntry and formset.is_valid():
            for entry_form in formset.forms:
                if entry_form.cleaned_data and entry_form.has_changed():
                    deleted = entry_form.cleaned_data.get("DELETE", False)
                    audit_record(
                        action="price_list_entry.deleted" if deleted else "price_list_entry.changed",
                        actor_id=request.user.pk,
                        target=form.instance,
                        changes={
                            "variant": str(entry_form.cleaned_data.get("variant")),
                            "min_quantity": entry_form.cleaned_data.get("min_quantity"),
                            "before": {k: str(entry_form.initial.get(k, ""))
                                       for k in ("price", "discount_percent")},
                            "after": {} if deleted else {
                                k: str(entry_form.cleaned_data.get(k) or "")
                                for k in ("price", "discount_percent")},
                        },
                        ip_address=request.META.get("REMOTE_ADDR"),
                    )
        super().save_formset(request, form, formset, change)
