from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.core.countries import COUNTRY_CHOICES


class Warehouse(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")

    def __str__(self) -> str:
        return self.name


class StockItem(models.Model):
    """Stock of one variant in one warehouse; available = on hand − reserved."""

    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.CASCADE, related_name="stock_items", verbose_name=_("variant")
    )
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="stock_items", verbose_name=_("warehouse")
    )
    on_hand = models.IntegerField(_("on hand"), default=0)
    reserved = models.IntegerField(_("reserved"), default=0)

    class Meta:
        verbose_name = _("stock item")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(fields=["variant", "warehouse"], name="stock_item_unique"),
            models.CheckConstraint(condition=models.Q(reserved__gte=0), name="stock_reserved_non_negative"),
        ]

    def __str__(self) -> str:
        return _("%(variant)s @ %(warehouse)s: %(on_hand)s (%(reserved)s reserved)") % {
            "variant": self.variant,
            "warehouse": self.warehouse,
            "on_hand": self.on_hand,
            "reserved": self.reserved,
        }

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class MovementKind(models.TextChoices):
    OPENING = "opening", _("opening balance")
    RECEIVE = "receive", _("received")
    ADJUST = "adjust", _("stock count")
    RESERVE = "reserve", _("reserved for an order")
    RELEASE = "release", _("reservation released")
    SHIP = "ship", _("shipped")


class StockMovement(models.Model):
    """One change of a stock row, with why. A row's on hand and reserved always equal the
    sums of its movements (``tandem manage stock_verify`` checks it)."""

    item = models.ForeignKey(
        StockItem, on_delete=models.CASCADE, related_name="movements", verbose_name=_("stock item")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MovementKind.choices)
    on_hand_change = models.IntegerField(_("on hand change"), default=0)
    reserved_change = models.IntegerField(_("reserved change"), default=0)
    reference = models.CharField(
        pgettext_lazy("stock movement", "reference"),
        max_length=64,
        blank=True,
        help_text=_("The order, shipment or delivery it belongs to."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        indexes = [
            models.Index(fields=["item", "created_at"], name="stock_movement_item"),
            # every checkout renames its movements' reference once its number is taken
            models.Index(fields=["reference"], name="stock_movement_reference"),
        ]

    def __str__(self) -> str:
        changes = f"{self.on_hand_change:+d}/{self.reserved_change:+d}"
        return f"{self.get_kind_display()} {changes} {self.reference}"
