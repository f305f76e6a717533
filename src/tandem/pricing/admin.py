from django.contrib import admin

from tandem.catalog.admin_mixins import CatalogCacheAdminMixin
from tandem.core.admin_translation import TranslatableAdminMixin
from tandem.core.audit import audit_record
from tandem.pricing.models import BasePrice, TaxClass, TaxRate


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
