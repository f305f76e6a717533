"""The FAQ: questions and answers in every language the shop speaks, grouped in categories.

Answers are Markdown (``service.markdown`` renders them safely: no raw HTML, links only to
http(s) and mail addresses). Texts in the default language live in the columns, the others
in ``translations`` like the catalogue's.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.translation import TranslatableModel


class FaqCategory(TranslatableModel):
    translated_fields = ("name",)

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("FAQ category")
        verbose_name_plural = _("FAQ categories")

    def __str__(self) -> str:
        return self.name


class FaqEntry(TranslatableModel):
    translated_fields = ("question", "answer")

    category = models.ForeignKey(
        FaqCategory, on_delete=models.PROTECT, related_name="entries", verbose_name=_("category")
    )
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"), help_text=_("Markdown: **bold**, lists, [links](https://…)."))
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["category__sort_order", "sort_order", "pk"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return self.question


class UnansweredQuestion(models.Model):
    """A message the assistant did not understand: staff read them and answer the common
    ones in the FAQ."""

    text = models.TextField(_("question"))
    language = models.CharField(_("language"), max_length=8)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("asked by"),
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True, db_index=True)
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("unanswered question")
        verbose_name_plural = _("unanswered questions")

    def __str__(self) -> str:
        return self.text[:80]
