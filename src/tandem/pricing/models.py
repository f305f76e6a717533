from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.context import Channel
from tandem.core.countries import COUNTRY_CHOICES
from tandem.core.money import CURRENCY_CHOICES
from tandem.core.translation import TranslatableModel


class TaxClass(TranslatableModel):
    """A product's VAT category (standard, reduced, zero, exempt); rates depend on country."""

    translated_fields = ("name",)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["code"]
        verbose_name = _("tax class")
        verbose_name_plural = _("tax classes")

    def __str__(self) -> str:
        return self.name


class TaxRate(models.Model):
    tax_class = models.ForeignKey(TaxClass, on_delete=models.CASCADE, related_name="rates")
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    rate = models.DecimalField(
        _("rate %"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        ordering = ["country", "tax_class"]
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        constraints = [
            models.UniqueConstraint(fields=["tax_class", "country"], name="tax_rate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.tax_class} {self.country} {self.rate}%"


class BasePrice(models.Model):
    """A variant's list price in one currency: gross for B2C, net for B2B.

    When only one channel's price exists, the engine converts it for the other.
    """

    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.CASCADE, related_name="base_prices"
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    channel = models.CharField(_("channel"), max_length=3, choices=Channel.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Gross (VAT included) for retail, net for wholesale."),
    )

    class Meta:
        verbose_name = _("list price")
        verbose_name_plural = _("list prices")
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "currency", "channel"], name="base_price_unique"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="base_price_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.get_channel_display()})"
