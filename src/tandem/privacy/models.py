from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A request about personal data is answered within a month (GDPR art. 12(3)).
ANSWER_WITHIN = timedelta(days=30)


def _due() -> object:
    return timezone.now() + ANSWER_WITHIN


class RequestKind(models.TextChoices):
    EXPORT = "export", _("a copy of the data")
    ERASURE = "erasure", _("erasure")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    REFUSED = "refused", _("refused")


class PrivacyRequest(models.Model):
    """A person asked the shop (by mail, phone, letter) for a copy of their data or for
    erasure; staff note it, carry it out from the admin, and the log shows who did and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    kind = models.CharField(_("request"), max_length=10, choices=RequestKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("How the person asked and how they were identified.")
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_at = models.DateTimeField(_("answer by"), default=_due)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handled by"),
        editable=False,
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True, editable=False)
    outcome = models.TextField(_("outcome"), blank=True, editable=False)

    class Meta:
        ordering = ["status", "due_at"]
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.user}"
