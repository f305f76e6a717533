from django.contrib import admin

from tandem.core.admin_translation import TranslatableAdminMixin
from tandem.service.models import FaqCategory, FaqEntry, UnansweredQuestion


@admin.register(FaqCategory)
class FaqCategoryAdmin(TranslatableAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(FaqEntry)
class FaqEntryAdmin(TranslatableAdminMixin, admin.ModelAdmin):
    """Questions and answers (Markdown), translated; the storefront's /faq/ and the API."""

    list_display = ["question", "category", "sort_order", "is_published", "updated_at"]
    list_filter = ["category", "is_published"]
    list_editable = ["sort_order", "is_published"]
    search_fields = ["question", "answer"]
    list_select_related = ["category"]


@admin.register(UnansweredQuestion)
class UnansweredQuestionAdmin(admin.ModelAdmin):
    """What the assistant could not answer: the common ones deserve an FAQ entry."""

    list_display = ["text", "language", "user", "created_at", "handled"]
    list_filter = ["handled", "language"]
    list_editable = ["handled"]
    search_fields = ["text"]
    readonly_fields = ["text", "language", "user", "created_at"]

    def has_add_permission(self, request):
        return False
