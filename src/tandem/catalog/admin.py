from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tandem.catalog.import_jobs import (
    import_allowed,
    import_errors_download,
    import_job_create,
    imports_visible_to,
)
from tandem.catalog.models import (
    Attribute,
    AttributeOption,
    Category,
    ImportJob,
    Product,
    ProductImage,
    Variant,
)
from tandem.catalog.services import category_tree_rebuild, product_changed_publish, product_reindex
from tandem.catalog.tasks import reindex_products_with_attribute
from tandem.core.admin_mixins import progress_bar
from tandem.core.admin_translation import TranslatableAdminMixin, TranslatableInlineMixin
from tandem.core.catalog_cache import CatalogCacheAdminMixin, catalog_cache_clear
from tandem.core.errors import DomainError
from tandem.inventory.admin import StockItemInline
from tandem.pricing.admin import BasePriceInline, audit_price_changes


@admin.register(Category)
class CategoryAdmin(CatalogCacheAdminMixin, TranslatableAdminMixin, admin.ModelAdmin):
    list_display = ["indented_name", "slug", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    ordering = ["path"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj: Category) -> str:
        return format_html("{}{}", "— " * obj.depth, obj.name)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        category_tree_rebuild()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        catalog_cache_clear()


class AttributeOptionInline(TranslatableInlineMixin, admin.TabularInline):
    model = AttributeOption
    extra = 1
    prepopulated_fields = {"slug": ["value"]}


def _reindex_after_commit(attribute_id: int) -> None:
    transaction.on_commit(lambda: reindex_products_with_attribute.enqueue(attribute_id=attribute_id))


@admin.register(Attribute)
class AttributeAdmin(CatalogCacheAdminMixin, TranslatableAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "unit", "is_filterable", "sort_order"]
    search_fields = ["name", "code"]
    inlines = [AttributeOptionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            _reindex_after_commit(form.instance.pk)


@admin.register(AttributeOption)
class AttributeOptionAdmin(CatalogCacheAdminMixin, TranslatableAdminMixin, admin.ModelAdmin):
    list_display = ["value", "attribute", "slug"]
    list_filter = ["attribute"]
    search_fields = ["value", "attribute__name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            _reindex_after_commit(obj.attribute_id)


class VariantInline(TranslatableInlineMixin, admin.StackedInline):
    model = Variant
    extra = 0
    show_change_link = True
    fields = [
        "sku",
        "gtin",
        "name",
        "name__pl",
        "name__bg",
        "name__ru",
        "unit",
        "pack_size",
        "weight_kg",
        "tax_class",
        "min_quantity",
        "quantity_step",
        "max_quantity",
        "sort_order",
        "is_active",
    ]

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0  # a new product starts with its first variant


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0


@admin.register(Product)
class ProductAdmin(CatalogCacheAdminMixin, TranslatableAdminMixin, admin.ModelAdmin):
    list_display = ["name", "category", "brand", "visibility", "b2b_restricted", "is_active"]
    list_filter = ["is_active", "visibility", "b2b_restricted", "category"]
    search_fields = ["name", "slug", "external_id", "brand", "variants__sku", "variants__gtin"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["category", "options", "b2b_groups", "b2b_companies"]
    list_select_related = ["category"]
    inlines = [VariantInline, ProductImageInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "external_id", "category", "brand", "description", "is_active"]}),
        (_("Specifications"), {"fields": ["options"]}),
        (
            _("Channels and shared catalog"),
            {"fields": ["visibility", "b2b_restricted", "b2b_groups", "b2b_companies", "allow_backorder"]},
        ),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        product_reindex(product_id=form.instance.pk)
        product_changed_publish([(form.instance, not change)], source="admin")


@admin.register(Variant)
class VariantAdmin(CatalogCacheAdminMixin, TranslatableAdminMixin, admin.ModelAdmin):
    list_display = ["sku", "product", "name", "gtin", "unit", "pack_size", "tax_class", "is_active"]
    list_filter = ["is_active", "unit", "tax_class"]
    search_fields = ["sku", "gtin", "product__name"]
    autocomplete_fields = ["product"]
    list_select_related = ["product", "tax_class"]
    inlines = [BasePriceInline, StockItemInline]

    def save_formset(self, request, form, formset, change):
        audit_price_changes(request, formset)
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        product_reindex(product_id=form.instance.product_id)
        Product.objects.filter(pk=form.instance.product_id).update(updated_at=timezone.now())  # for the feed
        product_changed_publish([(form.instance.product, False)], source="admin")


class ImportJobForm(forms.ModelForm):
    """A new import: what the file holds, the file, and how to run it (checked against the
    user's rights before the worker gets it)."""

    class Meta:
        model = ImportJob
        fields = ["kind", "file", "dry_run", "per_item"]
        help_texts = {
            "file": _(
                "CSV, XLSX or JSON Lines; the columns are the API's field names (docs/integrations.md)."
            )
        }

    user = None

    def clean(self):
        cleaned = super().clean()
        try:
            import_allowed(self.user, cleaned.get("kind", ""))
        except DomainError as error:
            raise forms.ValidationError(str(error.message)) from error
        return cleaned


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """File imports: queued here, run by the worker, followed with their progress and errors."""

    list_display = [
        "file_name",
        "kind",
        "status",
        "progress_bar",
        "created_count",
        "updated_count",
        "unchanged_count",
        "failed_count",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["created_by"]
    readonly_fields = [
        "kind",
        "file_name",
        "status",
        "progress_bar",
        "dry_run",
        "per_item",
        "rows_total",
        "rows_done",
        "created_count",
        "updated_count",
        "unchanged_count",
        "failed_count",
        "message",
        "error_report",
        "created_by",
        "created_at",
        "finished_at",
    ]

    def get_queryset(self, request):
        return imports_visible_to(request.user).select_related("created_by")

    def get_fields(self, request, obj=None):
        return ["kind", "file", "dry_run", "per_item"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type("ImportJobUserForm", (ImportJobForm,), {"user": request.user})
        return super().get_form(request, obj, change, **kwargs)

    def has_change_permission(self, request, obj=None):
        return False  # a record of what ran: read-only

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["file"]
        job = import_job_create(
            user=request.user,
            kind=form.cleaned_data["kind"],
            file_name=upload.name,
            content=upload.read(),
            dry_run=form.cleaned_data["dry_run"],
            per_item=form.cleaned_data["per_item"],
        )
        obj.pk, obj.file_name = job.pk, job.file_name  # the admin's messages and redirect name it

    def save_related(self, request, form, formsets, change):
        pass  # nothing related: the service saved the job

    @admin.display(description=_("progress"))
    def progress_bar(self, job: ImportJob) -> str:
        return progress_bar(job)

    @admin.display(description=_("errors"))
    def error_report(self, job: ImportJob) -> str:
        if not job.errors:
            return "—"
        url = reverse("admin:catalog_importjob_errors", args=[job.pk])
        first = job.errors[0]
        return format_html(
            '{} — <a href="{}">{}</a><br><small>{}: {} ({})</small>',
            job.failed_count,
            url,
            _("download the error report (CSV)"),
            _("row %(row)s") % {"row": first.get("row")},
            first.get("message"),
            first.get("column"),
        )

    def get_urls(self):
        return [
            path(
                "<int:job_id>/errors.csv",
                self.admin_site.admin_view(self.errors_view),
                name="catalog_importjob_errors",
            ),
            *super().get_urls(),
        ]

    def errors_view(self, request, job_id: int):
        job = imports_visible_to(request.user).filter(pk=job_id).first()
        if job is None or not self.has_view_permission(request, job):
            raise Http404
        return import_errors_download(job)
