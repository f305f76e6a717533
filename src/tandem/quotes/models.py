"""Requests for quotation and the offers answering them.

A ``Quote`` is one negotiation with a company: what the buyer asked for (lines, free text,
files), then the rep's offers, one ``Offer`` per revision. Revisions are never changed once
sent — a new one supersedes the last — so every version stays readable and comparable.
Accepting the current revision places an order at its prices through the normal checkout.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.storage import PrivateStorage, random_file_name


class QuoteStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    OFFERED = "offered", _("Offer sent")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


OPEN_QUOTE_STATUSES = (QuoteStatus.REQUESTED, QuoteStatus.OFFERED, QuoteStatus.CHANGES_REQUESTED)


class Quote(models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True)
    company = models.ForeignKey(
        "customers.Company", on_delete=models.PROTECT, related_name="quotes", verbose_name=_("company")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requested_quotes",
        verbose_name=_("requested by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    sales_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_quotes",
        verbose_name=_("sales rep"),
        limit_choices_to={"is_staff": True},
    )
    status = models.CharField(
        _("status"), max_length=20, choices=QuoteStatus.choices, default=QuoteStatus.REQUESTED
    )
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("language"), max_length=8)
    message = models.TextField(_("request"), blank=True)
    order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("order"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request for quotation")
        verbose_name_plural = _("requests for quotation")
        indexes = [
            models.Index(fields=["company", "status"], name="quote_company_status"),
            models.Index(fields=["sales_rep", "status"], name="quote_rep_status"),
        ]
        permissions = [
            ("manage_all_quotes", _("Can build offers for every customer (not only a rep's own)")),
            ("approve_below_floor", _("Can send offers priced below the floor")),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_QUOTE_STATUSES


class QuoteRequestLine(models.Model):
    """An item the buyer asked a price for (with the price they hope for, if they said)."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="requested_lines")
    variant = models.ForeignKey("catalog.Variant", null=True, on_delete=models.SET_NULL, related_name="+")
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"))
    target_price = models.DecimalField(
        _("target unit price (net)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["quote", "id"]

    def __str__(self) -> str:
        return f"{self.sku} × {self.quantity}"


def attachment_path(instance, filename: str) -> str:
    return random_file_name("quotes", filename)


class QuoteAttachment(models.Model):
    """A file sent with a request (a drawing, a bill of quantities)."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=PrivateStorage())
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quote", "id"]

    def __str__(self) -> str:
        return self.name


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    SUPERSEDED = "superseded", _("Superseded")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class Offer(models.Model):
    """One revision of the answer to a quote. A draft can be edited; once sent it is fixed."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="offers")
    revision = models.PositiveSmallIntegerField(_("revision"))
    status = models.CharField(
        _("status"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.DRAFT
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    delivery_terms = models.CharField(_("delivery terms"), max_length=200, blank=True)
    payment_terms = models.CharField(_("payment terms"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    floor_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("prices below the floor approved by"),
    )
    total_net = models.DecimalField(_("total net"), max_digits=14, decimal_places=2, default=Decimal(0))
    total_tax = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2, default=Decimal(0))
    total_gross = models.DecimalField(_("total gross"), max_digits=14, decimal_places=2, default=Decimal(0))
    tax_summary = models.JSONField(_("VAT per rate"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["quote", "revision"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [models.UniqueConstraint(fields=["quote", "revision"], name="offer_revision_unique")]

    def __str__(self) -> str:
        return f"{self.quote.number} rev. {self.revision}"


class OfferLine(models.Model):
    """A line of an offer: the negotiated net unit price next to the customer's own price
    (their price list, at this quantity) when the line was priced."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    variant = models.ForeignKey("catalog.Variant", null=True, on_delete=models.SET_NULL, related_name="+")
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=8)
    quantity = models.PositiveIntegerField(_("quantity"))
    list_price = models.DecimalField(
        _("customer's price (net)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit_price = models.DecimalField(_("offer price (net)"), max_digits=14, decimal_places=2)
    tax_rate = models.DecimalField(_("VAT %"), max_digits=5, decimal_places=2)
    line_net = models.DecimalField(_("net"), max_digits=14, decimal_places=2)
    price_explanation = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["offer", "position", "id"]

    def __str__(self) -> str:
        return f"{self.sku} × {self.quantity} @ {self.unit_price}"

    @property
    def discount_percent(self) -> Decimal | None:
        """The offer price below the customer's own price, in per cent."""
        if not self.list_price:
            return None
        return ((self.list_price - self.unit_price) * 100 / self.list_price).quantize(Decimal("0.1"))


class QuoteEvent(models.Model):
    """The negotiation's history: request, offers sent, comments, changes asked, decisions —
    with who acted and, when a rep acted for the customer, for whom."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("requested a quote")
        OFFER_SENT = "offer_sent", _("sent an offer")
        COMMENT = "comment", _("commented")
        CHANGES_REQUESTED = "changes_requested", _("asked for changes")
        ACCEPTED = "accepted", _("accepted the offer")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("the offer expired")

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="events")
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        "customers.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quote", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.quote_id} {self.kind}"


# --- reseller offers ------------------------------------------------------------------------


class ResellerOfferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class ResellerOffer(models.Model):
    """An offer a reseller makes to their own client from the merchant's catalog: the
    reseller's purchase prices plus their mark-up, under the reseller's name. A draft can be
    changed or deleted; a final offer is numbered (gapless per reseller and year) and fixed."""

    company = models.ForeignKey(
        "customers.Company",
        on_delete=models.PROTECT,
        related_name="resale_offers",
        verbose_name=_("reseller"),
    )
    number = models.CharField(_("number"), max_length=32, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ResellerOfferStatus.choices, default=ResellerOfferStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    client_name = models.CharField(_("client"), max_length=200)
    client_details = models.TextField(_("client's address, VAT ID and contact"), blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("language"), max_length=8)
    markup_percent = models.DecimalField(_("mark-up %"), max_digits=7, decimal_places=2, default=Decimal(0))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    total_net = models.DecimalField(_("total net"), max_digits=14, decimal_places=2, default=Decimal(0))
    total_tax = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2, default=Decimal(0))
    total_gross = models.DecimalField(_("total gross"), max_digits=14, decimal_places=2, default=Decimal(0))
    tax_summary = models.JSONField(_("VAT per rate"), default=list, blank=True)
    finalized_at = models.DateTimeField(_("finalized"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reseller's offer")
        verbose_name_plural = _("resellers' offers")
        indexes = [models.Index(fields=["company", "status"], name="resale_offer_company_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"],
                condition=~models.Q(number=""),
                name="resale_offer_number_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(markup_percent__gte=0, markup_percent__lte=1000),
                name="resale_offer_markup_range",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"draft {self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == ResellerOfferStatus.DRAFT


class ResellerOfferLine(models.Model):
    """A line of a reseller's offer: the reseller's own purchase price at this quantity (a
    snapshot, never shown to their client) and the sale price after the mark-up."""

    offer = models.ForeignKey(ResellerOffer, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    variant = models.ForeignKey("catalog.Variant", null=True, on_delete=models.SET_NULL, related_name="+")
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=8)
    quantity = models.PositiveIntegerField(_("quantity"))
    purchase_price = models.DecimalField(_("purchase price (net)"), max_digits=14, decimal_places=2)
    markup_percent = models.DecimalField(
        _("mark-up %"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: the offer's mark-up."),
    )
    sale_price = models.DecimalField(_("sale price (net)"), max_digits=14, decimal_places=2)
    tax_rate = models.DecimalField(_("VAT %"), max_digits=5, decimal_places=2)
    line_net = models.DecimalField(_("net"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["offer", "position", "id"]

    def __str__(self) -> str:
        return f"{self.sku} × {self.quantity} @ {self.sale_price}"
