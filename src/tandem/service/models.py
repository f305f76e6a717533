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


# --- recommendations ----------------------------------------------------------------------
# Rows written by ``service.recommendations.recommendations_compute`` (a scheduled task) and
# only read by pages: each run replaces them all.


class BoughtTogether(models.Model):
    """Bought with ``product`` more often than chance (``service.recommending``), best first."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField(help_text=_("orders together beyond chance"))
    lift = models.FloatField()
    orders = models.PositiveIntegerField(help_text=_("orders holding both"))

    class Meta:
        ordering = ["product", "rank"]
        constraints = [models.UniqueConstraint(fields=["product", "rank"], name="bought_together_rank")]

    def __str__(self) -> str:
        return f"{self.product_id} → {self.other_id} ({self.score:.1f})"


class PickKind(models.TextChoices):
    FOR_YOU = "for_you", _("For you")
    POPULAR = "popular", _("Popular")


class Pick(models.Model):
    """A product for one customer ("for you": a company's, or a retail customer's) or for
    everyone of a customer group or channel (popular: the cold start), best first."""

    kind = models.CharField(max_length=8, choices=PickKind.choices)
    company = models.ForeignKey("customers.Company", null=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    customer_group = models.ForeignKey(
        "customers.CustomerGroup", null=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(max_length=3, blank=True)
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        ordering = ["rank"]
        indexes = [
            models.Index(fields=["company", "rank"], name="pick_company"),
            models.Index(fields=["user", "rank"], name="pick_user"),
            models.Index(fields=["kind", "channel", "customer_group", "rank"], name="pick_popular"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.rank}: {self.product_id}"


class ReorderForecast(models.Model):
    """What a customer (a company, or a retail customer) bought before and when they may
    need it again: the last purchase plus the median of their own intervals."""

    company = models.ForeignKey("customers.Company", null=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey("catalog.Variant", null=True, on_delete=models.SET_NULL, related_name="+")
    times = models.PositiveIntegerField(_("times bought"))
    last_ordered_on = models.DateField(_("last ordered"))
    interval_days = models.PositiveIntegerField(_("usual interval (days)"), null=True)
    expected_on = models.DateField(_("expected next order"), null=True, db_index=True)
    usual_quantity = models.PositiveIntegerField(_("usual quantity"))

    class Meta:
        ordering = ["expected_on", "pk"]
        indexes = [
            models.Index(fields=["company", "expected_on"], name="forecast_company"),
            models.Index(fields=["user", "expected_on"], name="forecast_user"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} by {self.expected_on}"


class RecommendationRun(models.Model):
    """One computation of the recommendations: when, over what, how long."""

    finished_at = models.DateTimeField(auto_now_add=True)
    orders = models.PositiveIntegerField()
    customers = models.PositiveIntegerField()
    pairs = models.PositiveIntegerField()
    picks = models.PositiveIntegerField()
    forecasts = models.PositiveIntegerField()
    seconds = models.FloatField()

    class Meta:
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M}: {self.orders} orders"
