from decimal import Decimal

from django.core.exceptions import ValidationError
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
        _("rate %"),
        max_digits=5,
        decimal_places=2,
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

    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="base_prices")
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    channel = models.CharField(_("channel"), max_length=3, choices=Channel.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Gross (VAT included) for retail, net for wholesale."),
    )

    class Meta:
        verbose_name = _("list price")
        verbose_name_plural = _("list prices")
        constraints = [
            models.UniqueConstraint(fields=["variant", "currency", "channel"], name="base_price_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="base_price_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.get_channel_display()})"


class PriceList(models.Model):
    """Negotiated wholesale prices (net) for customer groups and/or single companies.

    A list assigned to one company alone holds that company's contract prices. When
    several lists apply, company lists come before group lists, and within each, a higher
    ``priority`` first (see pricing.engine).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    priority = models.IntegerField(
        _("priority"), default=0, help_text=_("Lists with a higher number are tried first.")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    customer_groups = models.ManyToManyField(
        "customers.CustomerGroup",
        verbose_name=_("customer groups"),
        blank=True,
        related_name="price_lists",
    )
    companies = models.ManyToManyField(
        "customers.Company",
        verbose_name=_("companies"),
        blank=True,
        related_name="price_lists",
    )

    class Meta:
        ordering = ["-priority", "name"]
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="price_list_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"


class PriceListEntry(models.Model):
    """One variant's price in a list from ``min_quantity`` units: a fixed net price or a
    discount off the net list price."""

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="entries")
    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.CASCADE, related_name="price_list_entries"
    )
    min_quantity = models.PositiveIntegerField(
        _("from quantity"), default=1, validators=[MinValueValidator(1)]
    )
    price = models.DecimalField(
        _("net price"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    discount_percent = models.DecimalField(
        _("discount %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        ordering = ["variant", "min_quantity"]
        verbose_name = _("price list entry")
        verbose_name_plural = _("price list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "variant", "min_quantity"], name="price_list_entry_unique"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(price__isnull=False, discount_percent__isnull=True)
                    | models.Q(price__isnull=True, discount_percent__isnull=False)
                ),
                name="price_list_entry_price_or_discount",
            ),
            models.CheckConstraint(
                condition=models.Q(min_quantity__gte=1), name="price_list_entry_min_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        value = f"{self.price}" if self.price is not None else f"−{self.discount_percent}%"
        return f"{self.variant_id} ≥{self.min_quantity}: {value}"

    def clean(self) -> None:
        super().clean()
        if (self.price is None) == (self.discount_percent is None):
            raise ValidationError(_("Give either a net price or a discount %, not both."))


class PromotionKind(models.TextChoices):
    PERCENT = "percent", _("Percent off the order")
    FIXED = "fixed", _("Fixed amount off the order")
    FREE_SHIPPING = "free_shipping", _("Free shipping")


class PromotionChannel(models.TextChoices):
    BOTH = "both", _("Retail and wholesale")
    B2C = "b2c", _("Retail (B2C)")
    B2B = "b2b", _("Wholesale (B2B)")


class Promotion(TranslatableModel):
    """An order discount: a coupon when it has a code, else applied automatically to every
    cart that qualifies (e.g. "spend 500, get 5 %"). Uses are counted when an order is placed."""

    translated_fields = ("name",)

    name = models.CharField(_("name"), max_length=120, help_text=_("Shown to the customer."))
    code = models.CharField(
        _("coupon code"),
        max_length=40,
        blank=True,
        help_text=_("Leave empty for an automatic promotion. Codes are case-insensitive."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PromotionKind.choices)
    value = models.DecimalField(
        _("value"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Percent for a percent discount, an amount for a fixed one."),
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=CURRENCY_CHOICES,
        help_text=_("The currency of the fixed amount and of the minimum order value."),
    )
    minimum_order = models.DecimalField(
        _("minimum order value"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Goods value as the customer sees it: gross for retail, net for wholesale."),
    )
    channel = models.CharField(
        _("channel"), max_length=4, choices=PromotionChannel.choices, default=PromotionChannel.B2C
    )
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    usage_limit = models.PositiveIntegerField(
        _("total uses"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    usage_limit_per_customer = models.PositiveIntegerField(
        _("uses per customer"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    times_used = models.PositiveIntegerField(_("times used"), default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code", "name"]
        verbose_name = _("promotion or coupon")
        verbose_name_plural = _("promotions and coupons")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="promotion_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(usage_limit__isnull=True)
                | models.Q(times_used__lte=models.F("usage_limit")),
                name="promotion_within_usage_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.code or self.name

    def clean(self) -> None:
        super().clean()
        self.code = self.code.strip().upper()
        if self.kind == PromotionKind.PERCENT and self.value > 100:
            raise ValidationError({"value": _("A percent discount cannot exceed 100.")})
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end is before the start.")})


class PromotionRedemption(models.Model):
    """One use of a promotion by a placed order (for total and per-customer limits)."""

    promotion = models.ForeignKey(Promotion, on_delete=models.PROTECT, related_name="redemptions")
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="redemptions")
    customer_email = models.EmailField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("promotion use")
        verbose_name_plural = _("promotion uses")
        constraints = [
            models.UniqueConstraint(fields=["promotion", "order"], name="promotion_redemption_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.promotion} → {self.order}"
