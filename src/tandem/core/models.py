from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.storage import PrivateStorage, random_file_name


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """A sensitive action: who did it (and for whom), what, to which object, when."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_behalf_of = models.ForeignKey(
        "customers.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class NumberSequence(models.Model):
    """The last number issued in a series and year (orders, invoices…). Taken under a row
    lock inside the issuing transaction, so numbers are unique and gapless."""

    series = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="number_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.series}/{self.year}: {self.last}"


class OutboxEvent(models.Model):
    """A domain event, written in the transaction of the change it reports (the outbox):
    it exists exactly when the change committed. The worker hands it to the subscribers
    that act after the commit (e-mail…) until each has receipted it."""

    name = models.CharField(_("event"), max_length=64, db_index=True)
    payload = models.JSONField(_("payload"), default=dict)
    created_at = models.DateTimeField(_("published"), auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("failed deliveries"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("domain event")
        verbose_name_plural = _("domain events")

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"


class OutboxReceipt(models.Model):
    """One subscriber has handled one event: a second delivery of it is skipped."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="receipts")
    subscriber = models.CharField(max_length=120)
    handled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "subscriber"], name="outbox_receipt_once")]

    def __str__(self) -> str:
        return f"{self.subscriber} ✓ {self.event_id}"


class IdempotentRequest(models.Model):
    """An API write sent with an ``Idempotency-Key``: which caller and key (hashed together),
    what body it carried, and — once answered — the answer, replayed to a retry
    (``core.idempotency``)."""

    scope_hash = models.CharField(max_length=64, unique=True)
    fingerprint = models.CharField(max_length=64)
    # which attempt is running it: a retry that takes over an abandoned one gets its own, so
    # the first, should it still finish, cannot overwrite or delete the retry's record
    attempt = models.CharField(max_length=32, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.scope_hash[:12]}… {self.status_code or 'in progress'}"


class JobProgress(models.Model):
    """How far a background job over many rows got (an import, an export)."""

    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)

    class Meta:
        abstract = True

    @property
    def progress(self) -> int:
        """Percent of the rows done."""
        return 100 if not self.rows_total else min(100, self.rows_done * 100 // self.rows_total)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    JSONL = "jsonl", _("JSON Lines")


def export_file_path(instance: "ExportJob", filename: str) -> str:
    return random_file_name("exports", filename)


class ExportJob(JobProgress):
    """Products, prices, stock, companies, orders or invoices written to a file by the worker
    (core.exports) for the user who asked: its progress, and the file until it expires."""

    kind = models.CharField(_("kind"), max_length=12)  # a kind registered with core.exports
    file_format = models.CharField(_("format"), max_length=5, choices=ExportFormat.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    updated_since = models.DateTimeField(_("changed since"), null=True, blank=True)
    file = models.FileField(
        _("file"), upload_to=export_file_path, storage=PrivateStorage(), max_length=255, blank=True
    )
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.kind} · {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else self.kind

    @property
    def download_name(self) -> str:
        return f"{self.kind}-{self.pk}.{self.file_format}"


class Heartbeat(models.Model):
    """When a long-running process last showed it was alive (``scheduler``, ``worker``), and
    for the scheduler who holds its lease until when: one active scheduler however many run
    (core.scheduler)."""

    name = models.CharField(max_length=40, primary_key=True)
    holder = models.CharField(max_length=120, blank=True)
    beat_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.beat_at}"
