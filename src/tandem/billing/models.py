import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.translation import TranslatableModel


class PaymentTerms(TranslatableModel):
    """How long a company has to pay an invoice on account (e.g. net 30 days)."""

    translated_fields = ("name",)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    net_days = models.PositiveIntegerField(_("days to pay"), default=14)
    instalments = models.PositiveSmallIntegerField(
        _("instalments"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_(
            "Invoices on these terms are paid in this many equal parts, the last one on the due date."
        ),
    )

    class Meta:
        ordering = ["net_days", "name"]
        verbose_name = _("payment terms")
        verbose_name_plural = _("payment terms")

    def __str__(self) -> str:
        return self.name


class LedgerKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    PAYMENT = "payment", _("Payment")
    CREDIT_NOTE = "credit_note", _("Credit note")
    ADJUSTMENT = "adjustment", _("Adjustment")


class LedgerEntry(models.Model):
    """One movement on a company's receivables account: a debit (what it owes, with a due
    date) or a credit (what it paid or was credited). Balance = Σ debit − Σ credit."""

    company = models.ForeignKey(
        "customers.Company",
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("company"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=LedgerKind.choices)
    reference = models.CharField(_("document"), max_length=60)
    currency = models.CharField(_("currency"), max_length=3)
    debit = models.DecimalField(_("debit"), max_digits=14, decimal_places=2, default=Decimal("0"))
    credit = models.DecimalField(_("credit"), max_digits=14, decimal_places=2, default=Decimal("0"))
    booked_on = models.DateField(_("booked on"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["booked_on", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["company", "due_date"], name="ledger_company_due")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(debit__gte=0, credit=0) | models.Q(debit=0, credit__gte=0)),
                name="ledger_entry_one_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.debit or -self.credit} {self.currency}"


class PaymentStatusChoices(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")


class Payment(models.Model):
    """An online payment of an order through a payment provider."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(_("provider"), max_length=30)
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatusChoices.choices, default=PaymentStatusChoices.PENDING
    )
    provider_transaction = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")

    def __str__(self) -> str:
        return f"{self.provider} {self.amount} {self.currency} ({self.status})"


class PaymentCallback(models.Model):
    """Every notification a provider sent, accepted or not: the log for disputes and for
    spotting tampering. ``event_id`` is unique, so a replayed event is recognised."""

    provider = models.CharField(max_length=30)
    event_id = models.CharField(max_length=100, null=True, blank=True)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="callbacks"
    )
    outcome = models.CharField(max_length=30)
    payload = models.TextField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("payment notification")
        verbose_name_plural = _("payment notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"],
                condition=models.Q(outcome="accepted"),
                name="payment_callback_event_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id or '-'}: {self.outcome}"


# --- documents: invoices and credit notes, immutable snapshots with gapless numbers ------------
#
# An ``Invoice`` (kind invoice or credit note) copies everything it states — seller, buyer,
# lines, VAT per rate — when it is issued and is never changed afterwards: a mistake is put
# right by a credit note that names the invoice and states each corrected line before and
# after. Amounts of a credit note are positive: what it takes off the invoice.


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
            models.Index(fields=["created_at", "id"], name="invoice_sync"),  # GET /invoices/changes
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


# --- receivables: payments received, their allocation to invoices, instalments, reminders ----


class PaymentSource(models.TextChoices):
    MANUAL = "manual", _("Recorded by finance")
    BANK = "bank", _("Bank statement")
    ONLINE = "online", _("Online payment")


class ReceivedPayment(models.Model):
    """Money a company paid. Recorded by finance or imported from a bank statement, it is
    credited to the company's ledger (``ledger_entry``); an online payment of an order paid
    in advance is recorded without one (its invoice was never debited). The part not
    allocated to invoices stays on the account as credit."""

    company = models.ForeignKey(
        "customers.Company",
        on_delete=models.PROTECT,
        related_name="received_payments",
        verbose_name=_("company"),
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    received_on = models.DateField(_("received on"))
    source = models.CharField(
        _("source"), max_length=8, choices=PaymentSource.choices, default=PaymentSource.MANUAL
    )
    reference = models.CharField(
        _("reference"), max_length=200, blank=True, help_text=_("E.g. the title of the transfer.")
    )
    counterparty = models.CharField(_("paid by"), max_length=200, blank=True)
    # sha256 of the bank statement line: the same line is never booked twice
    bank_line_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    online_payment = models.OneToOneField(
        Payment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received",
        verbose_name=_("online payment"),
    )
    ledger_entry = models.OneToOneField(
        LedgerEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_payment",
        editable=False,
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("received payment")
        verbose_name_plural = _("received payments")
        indexes = [
            models.Index(fields=["company", "received_on"], name="received_company_date"),
            models.Index(fields=["created_at", "id"], name="received_payment_sync"),  # GET /payments/changes
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="received_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.amount} {self.currency} ({self.company_id})"


class PaymentAllocation(models.Model):
    """The part of a payment that settles one invoice. The services keep the sums within
    the payment's amount and the invoice's gross less its credit notes."""

    payment = models.ForeignKey(
        ReceivedPayment, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("payment")
    )
    invoice = models.ForeignKey(
        "billing.Invoice", on_delete=models.PROTECT, related_name="allocations", verbose_name=_("invoice")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("allocated"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_allocation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.amount}"


class Instalment(models.Model):
    """One part of an invoice paid in instalments; the parts add up to its gross."""

    invoice = models.ForeignKey(
        "billing.Invoice", on_delete=models.PROTECT, related_name="instalments", verbose_name=_("invoice")
    )
    position = models.PositiveSmallIntegerField(_("instalment"))
    due_date = models.DateField(_("due date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="instalment_position_once"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="instalment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.amount} ({self.due_date})"


class ReminderSent(models.Model):
    """A payment reminder sent for an invoice at one step (days after the due date); the
    unique pair makes sure each step is sent once, however many runs overlap."""

    invoice = models.ForeignKey(
        "billing.Invoice", on_delete=models.PROTECT, related_name="reminders", verbose_name=_("invoice")
    )
    step = models.PositiveSmallIntegerField(_("days after the due date"))
    days_overdue = models.PositiveIntegerField(_("days overdue"), default=0)
    open_amount = models.DecimalField(_("open amount"), max_digits=14, decimal_places=2, default=Decimal("0"))
    recipients = models.JSONField(_("recipients"), default=list)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "step"], name="reminder_step_once"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} +{self.step}"
