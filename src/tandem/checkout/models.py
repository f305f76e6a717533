from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.money import CURRENCY_CHOICES
from tandem.core.translation import TranslatableModel
from tandem.pricing.models import PromotionChannel


class DeliveryKind(models.TextChoices):
    COURIER = "courier", _("Delivery to an address")
    PICKUP = "pickup", _("Collection from our warehouse")


class DeliveryMethod(TranslatableModel):
    """How goods reach the customer, with a net price per currency (VAT by its tax class)."""

    translated_fields = ("name", "description")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=255, blank=True)
    kind = models.CharField(
        _("kind"), max_length=8, choices=DeliveryKind.choices, default=DeliveryKind.COURIER
    )
    channel = models.CharField(
        _("channel"), max_length=4, choices=PromotionChannel.choices, default=PromotionChannel.BOTH
    )
    tax_class = models.ForeignKey(
        "pricing.TaxClass", verbose_name=_("tax class"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.IntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("delivery method")
        verbose_name_plural = _("delivery methods")

    def __str__(self) -> str:
        return self.name


class DeliveryPrice(models.Model):
    method = models.ForeignKey(DeliveryMethod, on_delete=models.CASCADE, related_name="prices")
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    price_net = models.DecimalField(
        _("net price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    free_from = models.DecimalField(
        _("free from goods value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Goods value as the customer sees it (gross for retail, net for wholesale)."),
    )

    class Meta:
        verbose_name = _("delivery price")
        verbose_name_plural = _("delivery prices")
        constraints = [
            models.UniqueConstraint(fields=["method", "currency"], name="delivery_price_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.price_net} {self.currency}"
