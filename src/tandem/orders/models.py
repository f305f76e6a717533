import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.template import Template, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tandem.core.context import Channel
from tandem.core.translation import TranslatableModel


class OrderStatus(models.TextChoices):
    """The core stages every order passes (merchant-defined statuses map onto these)."""

    DRAFT = "draft", _("Draft")
    PENDING_APPROVAL = "pending_approval", _("Awaiting approval")
    PLACED = "placed", _("Placed")
    CONFIRMED = "confirmed", _("Confirmed")
    IN_PROGRESS = "in_progress", _("In progress")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# Orders that count as sales (reports, recommendations): not drafts, not cancelled, not still
# waiting for a buyer's approval.
SALES_STATUSES = (
    OrderStatus.PLACED,
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PROGRESS,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
)


class PaymentMethod(models.TextChoices):
    ONLINE = "online", _("Online payment")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer (prepayment)")
    ON_ACCOUNT = "on_account", _("On account (invoice with payment terms)")


class PaymentStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting payment")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Payment failed")
    ON_ACCOUNT = "on_account", _("Due on the invoice")


class OrderQuerySet(models.QuerySet["Order"]):
    def update(self, **fields: Any) -> int:
        """Every change of an order moves ``updated_at``, a bulk one too: the changes feed
        (``GET /orders/changes``) must see what ``.update()`` wrote."""
        fields.setdefault("updated_at", timezone.now())
        return super().update(**fields)


OrderManager = models.Manager.from_queryset(OrderQuerySet)


class Order(models.Model):
    """One order in the single order book of both channels. Everything a document needs is
    copied here when the order is placed (prices, tax, addresses, terms), so later changes
    to the catalog or the customer never change a placed order."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    channel = models.CharField(_("channel"), max_length=3, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.PLACED, db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
        verbose_name=_("customer"),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("placed by"),
    )
    company = models.ForeignKey(
        "customers.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("company"),
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8)
    currency = models.CharField(_("currency"), max_length=3)
    country = models.CharField(_("tax country"), max_length=2)
    reverse_charge = models.BooleanField(_("reverse charge"), default=False)
    # the buyer as on the order: name, VAT ID, address (a company's or a retail customer's)
    buyer = models.JSONField(_("buyer"), default=dict)
    shipping_address = models.JSONField(_("delivery address"), default=dict, blank=True)
    delivery_method = models.CharField(_("delivery method"), max_length=120)
    delivery_code = models.CharField(max_length=40)
    delivery_net = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    delivery_tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    delivery_price = models.DecimalField(
        _("delivery price"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("As the customer saw it: gross for retail, net for wholesale."),
    )
    payment_method = models.CharField(_("payment method"), max_length=16, choices=PaymentMethod.choices)
    payment_status = models.CharField(_("payment"), max_length=12, choices=PaymentStatus.choices)
    payment_terms = models.CharField(_("payment terms"), max_length=120, blank=True)
    payment_days = models.PositiveIntegerField(_("days to pay"), null=True, blank=True)
    po_number = models.CharField(_("PO number"), max_length=60, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    requested_delivery_date = models.DateField(_("requested delivery date"), null=True, blank=True)
    coupon_code = models.CharField(_("coupon"), max_length=40, blank=True)
    discounts = models.JSONField(_("discounts"), default=list, blank=True)
    goods_net = models.DecimalField(_("goods (net)"), max_digits=14, decimal_places=2)
    discount_total = models.DecimalField(_("discount"), max_digits=14, decimal_places=2, default=Decimal("0"))
    total_net = models.DecimalField(_("total net"), max_digits=14, decimal_places=2)
    total_tax = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    total_gross = models.DecimalField(_("total gross"), max_digits=14, decimal_places=2)
    tax_summary = models.JSONField(_("VAT per rate"), default=list)
    invoiced = models.BooleanField(_("invoiced"), default=False)
    custom_status = models.ForeignKey(
        "orders.CustomStatus",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("merchant status"),
    )
    placed_at = models.DateTimeField(
        _("placed (after approval)"),
        null=True,
        blank=True,
        help_text=_("When the order was placed, after any approvals."),
    )
    created_at = models.DateTimeField(_("placed"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    exported_at = models.DateTimeField(
        _("taken by the ERP"),
        null=True,
        blank=True,
        help_text=_(
            "When an integration acknowledged that it has taken the order (POST /orders/acknowledgements)."
        ),
    )

    objects = OrderManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            models.Index(fields=["company", "-created_at"], name="order_company_recent"),
            models.Index(fields=["user", "-created_at"], name="order_user_recent"),
            # order search (orders.selectors): amount range and sort, PO number match
            models.Index(fields=["total_gross"], name="order_total_gross"),
            models.Index(Upper("po_number"), name="order_po_upper"),
            # the changes feed (GET /orders/changes) reads by (updated_at, id) from a cursor
            models.Index(fields=["updated_at", "id"], name="order_sync"),
        ]
        permissions = [("view_all_orders", _("Can see every customer's orders (not only a rep's own)"))]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "updated_at" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "updated_at"]  # a partial save is a change too
        super().save(*args, **kwargs)

    @property
    def is_b2b(self) -> bool:
        return self.channel == Channel.B2B

    @property
    def goods_value(self) -> Decimal:
        """Goods before discounts as the customer saw them: gross for retail, net for B2B."""
        return sum((line.value for line in self.lines.all()), Decimal(0))


class OrderLine(models.Model):
    """A line as sold: the price, VAT and the explanation of the price at placement."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", null=True, on_delete=models.SET_NULL, related_name="+")
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=8)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_net = models.DecimalField(_("unit price net"), max_digits=14, decimal_places=2)
    unit_gross = models.DecimalField(_("unit price gross"), max_digits=14, decimal_places=2)
    tax_rate = models.DecimalField(_("VAT %"), max_digits=5, decimal_places=2)
    discount = models.DecimalField(_("discount"), max_digits=14, decimal_places=2, default=Decimal("0"))
    line_net = models.DecimalField(_("net"), max_digits=14, decimal_places=2)
    price_source = models.CharField(max_length=20)
    price_explanation = models.JSONField(default=list)
    reserved = models.JSONField(default=dict, help_text="warehouse id → units reserved")
    backordered = models.PositiveIntegerField(default=0)
    shipped = models.PositiveIntegerField(_("shipped"), default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        indexes = [
            models.Index(fields=["sku"], name="order_line_sku"),
            # order search by SKU, case-insensitive (orders.selectors)
            models.Index(Upper("sku"), models.F("order"), name="order_line_sku_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} × {self.quantity}"

    @property
    def value(self) -> Decimal:
        """Unit price as the customer saw it × quantity (gross for retail, net for B2B)."""
        return (self.unit_net if self.order.is_b2b else self.unit_gross) * self.quantity


class OrderEvent(models.Model):
    """Something that happened to an order, with who did it (and for whom)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    status = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        "customers.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"

    @property
    def status_label(self) -> str:
        return OrderStatus(self.status).label if self.status in OrderStatus.values else self.status


class ApprovalRule(models.Model):
    """A company's rule: orders from this total up need a decision by someone in this role.
    Rules with higher thresholds add levels (e.g. from 5,000 an approver, from 50,000
    also the company admin). With a category, the total counted is that of the order's
    lines in the category and its subcategories (0 = any such line)."""

    company = models.ForeignKey(
        "customers.Company",
        on_delete=models.CASCADE,
        related_name="approval_rules",
        verbose_name=_("company"),
    )
    min_total = models.DecimalField(
        _("from order total (gross)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("only for products in"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Count only the order's lines in this category and its subcategories."),
    )
    role = models.CharField(
        _("decided by"),
        max_length=16,
        choices=[("approver", _("Approver")), ("admin", _("Company admin"))],
        default="approver",
    )

    class Meta:
        ordering = ["company", "min_total"]
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")

    def __str__(self) -> str:
        where = f" [{self.category}]" if self.category_id else ""
        return f"{self.company}{where}: ≥ {self.min_total} → {self.role}"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class OrderApproval(models.Model):
    """One decision an order waits for (levels are decided in order)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="approvals")
    level = models.PositiveIntegerField()
    role = models.CharField(max_length=16)
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "level"]
        verbose_name = _("order approval")
        verbose_name_plural = _("order approvals")
        constraints = [models.UniqueConstraint(fields=["order", "level"], name="order_approval_level_unique")]

    def __str__(self) -> str:
        return f"{self.order_id} L{self.level} {self.status}"


class RecurringOrder(models.Model):
    """Items ordered again every N days, weeks or months, placed by housekeeping through
    the normal checkout (same approvals, stock and credit rules)."""

    class Unit(models.TextChoices):
        DAY = "day", _("days")
        WEEK = "week", _("weeks")
        MONTH = "month", _("months")

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recurring_orders",
        verbose_name=_("owner"),
    )
    company = models.ForeignKey(
        "customers.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="recurring_orders"
    )
    name = models.CharField(_("name"), max_length=120)
    items = models.JSONField(
        _("items"), default=list, help_text="[{variant_id, sku, quantity, unit_price}] (price as agreed)"
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    max_price_increase = models.DecimalField(
        _("largest accepted price rise (%)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
        help_text=_("A run stops and asks the buyer when a unit price rose by more than this."),
    )
    every = models.PositiveIntegerField(_("every"), default=1)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.MONTH)
    next_run = models.DateField(_("next order on"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.ACTIVE)
    delivery_method = models.CharField(max_length=40)
    payment_method = models.CharField(max_length=16)
    address_id = models.PositiveIntegerField(null=True, blank=True)  # a company's delivery address
    shipping_address = models.JSONField(default=dict, blank=True)  # a retail customer's address
    po_number = models.CharField(max_length=60, blank=True)
    last_order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_error = models.TextField(_("last problem"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["next_run", "id"]
        verbose_name = _("recurring order")
        verbose_name_plural = _("recurring orders")
        indexes = [models.Index(fields=["state", "next_run"], name="recurring_due")]

    def __str__(self) -> str:
        return self.name

    def interval_display(self) -> str:
        """ "every 2 weeks" in the reader's language, with the plural form its number takes."""
        count = self.every
        if self.unit == self.Unit.DAY:
            text = ngettext("every %(count)s day", "every %(count)s days", count)
        elif self.unit == self.Unit.WEEK:
            text = ngettext("every %(count)s week", "every %(count)s weeks", count)
        else:
            text = ngettext("every %(count)s month", "every %(count)s months", count)
        return text % {"count": count}


class Shipment(models.Model):
    """Goods leaving the warehouse for an order (all of it or part), with its dispatch note
    number (gapless per year) and the carrier's tracking number."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    number = models.CharField(_("dispatch note"), max_length=32, unique=True)
    carrier = models.CharField(_("carrier"), max_length=80, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=80, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["shipped_at", "id"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")

    def __str__(self) -> str:
        return self.number


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="shipment_lines")
    quantity = models.PositiveIntegerField(_("quantity"))
    warehouses = models.JSONField(default=dict, help_text="warehouse id → units taken")

    class Meta:
        ordering = ["id"]
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")

    def __str__(self) -> str:
        return f"{self.order_line.sku} × {self.quantity}"


class CustomStatus(TranslatableModel):
    """A merchant's own status (e.g. "awaiting production", "ready for pickup"), mapped to
    a core stage, with the statuses it may move on to and an optional customer e-mail
    written per language."""

    translated_fields = ("name", "email_subject", "email_body")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    colour = models.CharField(
        _("colour"), max_length=7, default="#64748b", validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$")]
    )
    stage = models.CharField(_("core stage"), max_length=20, choices=OrderStatus.choices)
    allowed_next = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        verbose_name=_("may move on to"),
        help_text=_("Empty: any status whose core stage may follow."),
    )
    visible_to_customer = models.BooleanField(_("customer sees it"), default=True)
    notify_customer = models.BooleanField(_("e-mail the customer"), default=False)
    email_subject = models.CharField(
        _("e-mail subject"),
        max_length=200,
        blank=True,
        help_text=_("May use {{ order.number }} and {{ status }}."),
    )
    email_body = models.TextField(
        _("e-mail text"), blank=True, help_text=_("May use {{ order.number }}, {{ status }} and {{ note }}.")
    )
    position = models.IntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("order status (custom)")
        verbose_name_plural = _("order statuses (custom)")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The e-mail texts must be valid templates in every language."""
        texts = [("email_subject", self.email_subject), ("email_body", self.email_body)]
        for values in (self.translations or {}).values():
            texts += [(field, values.get(field, "")) for field in ("email_subject", "email_body")]
        for field, text in texts:
            try:
                Template(text or "")
            except TemplateSyntaxError as error:
                raise ValidationError(
                    {field: _("This text has a template error: %(error)s") % {"error": error}}
                ) from error
