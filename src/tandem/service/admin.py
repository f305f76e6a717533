from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

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

    def save_model(self, request, obj, form, change) -> None:
        """An entry written from an unanswered question (its "Answer in the FAQ" link) marks
        the question handled."""
        super().save_model(request, obj, form, change)
        source = request.GET.get("unanswered", "")
        if not change and source.isdigit():
            UnansweredQuestion.objects.filter(pk=int(source)).update(handled=True)


@admin.register(UnansweredQuestion)
class UnansweredQuestionAdmin(admin.ModelAdmin):
    """What the assistant could not answer: the common ones deserve an FAQ entry."""

    list_display = ["text", "language", "user", "created_at", "handled", "answer_link"]
    list_filter = ["handled", "language"]
    list_editable = ["handled"]
    search_fields = ["text"]
    readonly_fields = ["text", "language", "user", "created_at"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("FAQ"))
    def answer_link(self, question: UnansweredQuestion) -> str:
        """A new FAQ entry with the question filled in; saving it marks the question handled."""
        if question.handled:
            return "—"
        query = urlencode({"question": question.text[:300], "unanswered": question.pk})
        return format_html(
            '<a href="{}?{}">{}</a>', reverse("admin:service_faqentry_add"), query, _("Answer in the FAQ")
        )
