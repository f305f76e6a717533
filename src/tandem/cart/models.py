import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Cart(models.Model):
    """A shopping cart: a guest's (found by the token kept in their session) or a signed-in
    user's (one per user, kept between visits). Prices are never stored as truth here;
    they are resolved again whenever the cart is shown and at checkout."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cart",
    )
    coupon_code = models.CharField(_("coupon code"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self) -> str:
        return f"cart {self.pk} ({self.user or 'guest'})"


class CartLine(models.Model):
    """A variant and quantity in a cart, with the unit price the customer last saw (to tell
    them when it changes)."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    seen_unit_price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    seen_currency = models.CharField(max_length=3, blank=True)
    # A net unit price agreed in a document (an accepted offer) replaces the price lists.
    agreed_unit_net = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    agreed_in = models.CharField(max_length=60, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="cart_line_unique"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="cart_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} × {self.quantity}"


class ShoppingList(models.Model):
    """A named list of items to buy again (a requisition list). A company user may share
    it with colleagues, who can see it and order from it; only its owner changes it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shopping_lists",
        verbose_name=_("owner"),
    )
    company = models.ForeignKey(
        "customers.Company",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shopping_lists",
        verbose_name=_("company"),
    )
    name = models.CharField(_("name"), max_length=120)
    shared = models.BooleanField(_("shared with my company"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("shopping list")
        verbose_name_plural = _("shopping lists")

    def __str__(self) -> str:
        return self.name


class ShoppingListLine(models.Model):
    shopping_list = models.ForeignKey(ShoppingList, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("shopping list line")
        verbose_name_plural = _("shopping list lines")
        constraints = [
            models.UniqueConstraint(fields=["shopping_list", "variant"], name="shopping_list_line_unique"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="shopping_list_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} × {self.quantity}"
