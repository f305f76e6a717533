"""A catalog feed: one partner's assortment, prices and stock at a secret URL."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.storage import PrivateStorage, random_file_name
from tandem.customers.models import Company, CustomerGroup


class FeedFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel workbook (XLSX)")
    JSON = "json", _("JSON")
    BMECAT = "bmecat", _("BMEcat 2005 (XML)")
    GOOGLE = "google", _("Google Merchant Center (XML)")


def feed_file_path(instance: "Feed", filename: str) -> str:
    return random_file_name("feeds", filename)


class Feed(models.Model):
    """A company's (or a customer group's) catalog at ``/feeds/<token>/``.

    Only the SHA-256 of the token is kept: the token is shown once when the feed is made or
    rotated. The worker writes the file (``tasks.feed_generate``) when the catalog, a price or
    the stock changed, at most once every ``FEED_MIN_INTERVAL_SECONDS``."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feeds",
    )
    customer_group = models.ForeignKey(
        CustomerGroup,
        verbose_name=_("customer group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feeds",
    )
    name = models.CharField(
        _("name"), max_length=80, blank=True, help_text=_("Who reads it, e.g. a price comparison site.")
    )
    file_format = models.CharField(_("format"), max_length=8, choices=FeedFormat.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    currency = models.CharField(_("currency"), max_length=3)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("token ends with"), max_length=4, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # the file the partner downloads, and what its answers say about it
    file = models.FileField(
        _("file"), upload_to=feed_file_path, storage=PrivateStorage(), max_length=255, blank=True
    )
    etag = models.CharField(_("ETag"), max_length=70, blank=True)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    modified_at = models.DateTimeField(_("content changed"), null=True, blank=True)
    rows_count = models.PositiveIntegerField(_("rows"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # regeneration: marked stale by catalog, price and stock changes; queued by housekeeping
    stale = models.BooleanField(_("stale"), default=True)
    changed_at = models.DateTimeField(_("catalog changed"), null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    fetch_count = models.PositiveIntegerField(_("fetches"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("catalog feed")
        verbose_name_plural = _("catalog feeds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(company__isnull=False, customer_group__isnull=True)
                | models.Q(company__isnull=True, customer_group__isnull=False),
                name="feed_for_a_company_or_a_group",
            ),
        ]
        indexes = [models.Index(fields=["is_active", "stale"], name="feed_active_stale")]

    def __str__(self) -> str:
        owner = self.company or self.customer_group
        return f"{owner} · {self.get_file_format_display()} · …{self.token_hint}"

    @property
    def download_name(self) -> str:
        return f"catalog-{self.pk}.{EXTENSIONS[self.file_format]}"


EXTENSIONS = {
    FeedFormat.CSV: "csv",
    FeedFormat.XLSX: "xlsx",
    FeedFormat.JSON: "json",
    FeedFormat.BMECAT: "xml",
    FeedFormat.GOOGLE: "xml",
}
