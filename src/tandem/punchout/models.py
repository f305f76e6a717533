"""Punchout: a company's procurement systems (SAP over OCI, Ariba and Coupa over cXML) sign
in with a credential, shop in a session of their own and send purchase orders back.

Secrets are kept as hashes only (shown once on create and rotate, like API keys)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Protocol(models.TextChoices):
    OCI = "oci", _("OCI (SAP)")
    CXML = "cxml", _("cXML (Ariba, Coupa)")


class PunchoutCredential(models.Model):
    """How one procurement system of a company signs in; orders are placed as ``buyer``."""

    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="punchout_credentials",
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("The procurement system, e.g. SAP SRM."))
    protocol = models.CharField(_("protocol"), max_length=8, choices=Protocol.choices)
    domain = models.CharField(
        _("cXML domain"),
        max_length=40,
        blank=True,
        help_text=_("cXML only: the credential domain of the From or Sender identity, e.g. NetworkID."),
    )
    identity = models.CharField(
        _("user name or identity"),
        max_length=128,
        help_text=_("OCI: the USERNAME parameter. cXML: the From or Sender identity."),
    )
    secret_hash = models.CharField(max_length=64, editable=False)
    buyer = models.ForeignKey(
        "customers.CompanyUser",
        verbose_name=_("orders placed as"),
        on_delete=models.PROTECT,
        related_name="punchout_credentials",
        help_text=_("The company user as whom the system shops and orders."),
    )
    vendor_number = models.CharField(
        _("our supplier number there"),
        max_length=40,
        blank=True,
        help_text=_("OCI: sent as NEW_ITEM-VENDOR with every line, when the system asks for it."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["company", "name", "id"]
        verbose_name = _("punchout credential")
        verbose_name_plural = _("punchout credentials")
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "domain", "identity"], name="punchout_credential_identity_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_protocol_display()}, {self.identity})"


class SessionStatus(models.TextChoices):
    WAITING = "waiting", _("waiting for the browser")
    OPEN = "open", _("shopping")
    TRANSFERRED = "transferred", _("cart transferred")


class PunchoutSession(models.Model):
    """One visit from a procurement system: its return address and a cart of its own."""

    credential = models.ForeignKey(
        PunchoutCredential, verbose_name=_("credential"), on_delete=models.CASCADE, related_name="sessions"
    )
    protocol = models.CharField(_("protocol"), max_length=8, choices=Protocol.choices)
    operation = models.CharField(_("operation"), max_length=16, default="create")
    buyer_cookie = models.CharField(_("buyer cookie"), max_length=255, blank=True)
    return_url = models.URLField(
        _("return URL"), max_length=2000, help_text=_("OCI HOOK_URL or cXML BrowserFormPost URL.")
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    cart = models.ForeignKey(
        "cart.Cart", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # cXML: the one-time start link's hash and when it stops working
    start_token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    start_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=SessionStatus.choices)
    remote_address = models.GenericIPAddressField(_("remote address"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    transferred_at = models.DateTimeField(_("cart transferred"), null=True, blank=True)
    lines_transferred = models.PositiveIntegerField(_("lines transferred"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("punchout session")
        verbose_name_plural = _("punchout sessions")

    def __str__(self) -> str:
        return f"{self.credential.name} {self.started_at:%Y-%m-%d %H:%M}"


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("order placed")
    FAILED = "failed", _("refused")


class PunchoutOrder(models.Model):
    """A purchase order received from a procurement system (cXML OrderRequest), by payloadID:
    the same message twice makes one order and gets the same answer."""

    credential = models.ForeignKey(
        PunchoutCredential, verbose_name=_("credential"), on_delete=models.CASCADE, related_name="orders"
    )
    payload_id = models.CharField(_("payloadID"), max_length=255)
    po_number = models.CharField(_("PO number"), max_length=60, blank=True)
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=OrderStatus.choices)
    error = models.TextField(_("reason"), blank=True)
    response = models.TextField(editable=False, blank=True)  # the cXML answer, repeated for a retry
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("punchout purchase order")
        verbose_name_plural = _("punchout purchase orders")
        constraints = [
            models.UniqueConstraint(fields=["credential", "payload_id"], name="punchout_order_payload_unique")
        ]

    def __str__(self) -> str:
        return self.po_number or self.payload_id
