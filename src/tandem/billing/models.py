from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.translation import TranslatableModel


class PaymentTerms(TranslatableModel):
    """How long a company has to pay an invoice on account (e.g. net 30 days)."""

    translated_fields = ("name",)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    net_days = models.PositiveIntegerField(_("days to pay"), default=14)

    class Meta:
        ordering = ["net_days", "name"]
        verbose_name = _("payment terms")
        verbose_name_plural = _("payment terms")

    def __str__(self) -> str:
        return self.name
