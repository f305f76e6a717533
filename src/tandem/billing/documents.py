"""Invoices and credit notes: immutable snapshots with gapless numbers.

An ``Invoice`` (kind invoice or credit note) copies everything it states — seller, buyer,
lines, VAT per rate — when it is issued and is never changed afterwards: a mistake is put
right by a credit note that names the invoice and states each corrected line before and
after. Amounts of a credit note are positive: what it takes off the invoice.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class ImmutableModel(models.Model):
    """A row written once: issued documents are records, not drafts."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("An issued document cannot be changed; issue a credit note."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An issued document cannot be deleted; issue a credit note."))


class Invoice(ImmutableModel):
    kind = models.CharField(
        _("kind"), max_length=12, choices=DocumentKind.choices, default=DocumentKind.INVOICE
    )
    number = models.CharField(_("number"), max_length=32, unique=True)
    order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("order"),
    )
    shipment = models.ForeignKey(
        "orders.Shipment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("shipment"),
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("corrects invoice"),
    )
    company = models.ForeignKey(
        "customers.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("company"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
        verbose_name=_("customer"),
    )
    issue_date = models.DateField(_("issue date"))
    sale_date = models.DateField(_("sale date"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("language"), max_length=8)
    seller = models.JSONField(_("seller"))
    buyer = models.JSONField(_("buyer"))
    reverse_charge = models.BooleanField(_("reverse charge"), default=False)
    payment_method = models.CharField(_("payment method"), max_length=16)
    payment_terms = models.CharField(_("payment terms"), max_length=120, blank=True)
    paid_at_issue = models.BooleanField(_("paid before issue"), default=False)
    total_net = models.DecimalField(_("total net"), max_digits=14, decimal_places=2)
    total_tax = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    total_gross = models.DecimalField(_("total gross"), max_digits=14, decimal_places=2)
    tax_summary = models.JSONField(_("VAT per rate"), default=list)
    reason = models.TextField(_("reason for the correction"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-issue_date", "-id"]
        verbose_name = _("invoice or credit note")
        verbose_name_plural = _("invoices and credit notes")
        indexes = [
            models.Index(fields=["company", "issue_date"], name="invoice_company_date"),
            models.Index(fields=["kind", "issue_date"], name="invoice_kind_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=DocumentKind.INVOICE, corrects__isnull=True)
                | models.Q(kind=DocumentKind.CREDIT_NOTE, corrects__isnull=False),
                name="credit_note_corrects_an_invoice",
            ),
            # one invoice per shipment (a shipment is invoiced once)
            models.UniqueConstraint(
                fields=["shipment"],
                condition=models.Q(kind=DocumentKind.INVOICE),
                name="invoice_shipment_once",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_credit_note(self) -> bool:
        return self.kind == DocumentKind.CREDIT_NOTE


class InvoiceLine(ImmutableModel):
    """A line as invoiced: ``line_net = round(quantity × unit_net) − discount``. On a credit
    note, ``before_*`` are the line's values until now and ``quantity``/``unit_net`` the
    values after the correction; ``line_net`` is the difference (what is taken off)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    order_line = models.ForeignKey(
        "orders.OrderLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    corrects_line = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=8)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_net = models.DecimalField(_("unit price net"), max_digits=14, decimal_places=4)
    discount = models.DecimalField(_("discount"), max_digits=14, decimal_places=2, default=Decimal(0))
    tax_rate = models.DecimalField(_("VAT %"), max_digits=5, decimal_places=2)
    line_net = models.DecimalField(_("net"), max_digits=14, decimal_places=2)
    before_quantity = models.DecimalField(
        _("quantity before"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    before_unit_net = models.DecimalField(
        _("unit price before"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    before_line_net = models.DecimalField(
        _("net before"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self) -> str:
        return f"{self.sku or self.name} × {self.quantity}"
