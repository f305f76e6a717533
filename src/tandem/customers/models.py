from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from tandem.core.countries import COUNTRY_CHOICES
from tandem.core.money import CURRENCY_CHOICES
from tandem.core.translation import TranslatableModel
from tandem.customers.validators import validate_vat_id

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("Users need an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: staff, a B2C customer or a user of a company account."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    is_staff = models.BooleanField(_("staff"), default=False, help_text=_("Can log in to the admin panel."))
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    two_factor_enabled = models.BooleanField(
        _("two-factor sign-in"),
        default=False,
        editable=False,
        help_text=_("An authenticator app confirms each sign-in (customers.two_factor)."),
    )
    # A retail account waiting for its owner to confirm the e-mail address (inactive till then).
    email_verification_pending = models.BooleanField(default=False, editable=False)
    # Part of the session hash: a new value signs the user out of every session at once.
    session_token = models.CharField(max_length=32, blank=True, editable=False)
    erased_at = models.DateTimeField(
        _("personal data erased"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The account was anonymised on request (privacy)."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password, salted with ``session_token`` as well: a session
        whose stored hash differs is ended on its next request (``customers.sessions``)."""
        if not self.session_token:  # never signed out everywhere: Django's own hash
            return super().get_session_auth_hash()
        return salted_hmac(
            "tandem.customers.User.get_session_auth_hash",
            f"{self.password}\0{self.session_token}",
            algorithm="sha256",
        ).hexdigest()

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class CustomerGroup(TranslatableModel):
    """A segment of B2B customers (e.g. wholesale, installers) that price lists target."""

    translated_fields = ("name",)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer group")
        verbose_name_plural = _("customer groups")

    def __str__(self) -> str:
        return self.name


class Company(models.Model):
    """A B2B customer: a legal entity with its users, addresses and commercial terms."""

    name = models.CharField(_("legal name"), max_length=200)
    vat_id = models.CharField(_("VAT ID"), max_length=20)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=20)
    city = models.CharField(_("city"), max_length=100)
    email = models.EmailField(_("invoice e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    customer_group = models.ForeignKey(
        CustomerGroup,
        verbose_name=_("customer group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="companies",
    )
    payment_terms = models.ForeignKey(
        "billing.PaymentTerms",
        verbose_name=_("payment terms"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="companies",
    )
    credit_limit = models.DecimalField(
        _("credit limit"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    overdue_tolerance = models.DecimalField(
        _("overdue tolerance"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Overdue amount up to which the company may still order on account."),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, default="PLN")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    sales_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sales rep"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_companies",
        limit_choices_to={"is_staff": True},
    )
    is_reseller = models.BooleanField(_("reseller"), default=False)
    logo = models.ImageField(
        _("logo"),
        upload_to="companies/logos/",
        blank=True,
        help_text=_("PNG or JPEG: a reseller's offers to its own clients carry it."),
    )
    require_two_factor = models.BooleanField(
        _("require two-factor sign-in"),
        default=False,
        help_text=_("Every user of the company confirms sign-ins with an authenticator app."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    external_id = models.CharField(
        _("external ID"),
        max_length=64,
        null=True,
        blank=True,
        help_text=_("The customer's number in the ERP that sends it through the API."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        permissions = [
            ("act_for_all_customers", _("Can act for every customer, not only a rep's own")),
            (
                "change_commercial_terms",
                _("Can change a company's credit limit, payment terms, group, currency and sales rep"),
            ),
        ]
        indexes = [models.Index(fields=["updated_at", "id"], name="company_sync")]  # GET /companies/changes
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=models.Q(external_id__isnull=False),
                name="company_external_id_unique",
            ),
            models.UniqueConstraint(fields=["vat_id"], name="company_vat_id_unique"),
            models.CheckConstraint(
                condition=models.Q(credit_limit__gte=0), name="company_credit_limit_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "updated_at" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "updated_at"]  # a partial save is a change too
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.vat_id and self.country:
            try:
                self.vat_id = validate_vat_id(self.vat_id, self.country)
            except ValidationError as error:
                raise ValidationError({"vat_id": error.messages}) from error


class CompanyRole(models.TextChoices):
    ADMIN = "admin", _("Company admin")
    BUYER = "buyer", _("Buyer")
    APPROVER = "approver", _("Approver")
    ACCOUNTANT = "accountant", _("Accountant")


class CompanyUser(models.Model):
    """Membership of a user in a company account, with a role and spending limits."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="company_user"
    )
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField(_("role"), max_length=16, choices=CompanyRole.choices)
    spending_limit_per_order = models.DecimalField(
        _("spending limit per order"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    spending_limit_per_month = models.DecimalField(
        _("spending limit per month"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("A deactivated company user cannot log in.")
    )

    class Meta:
        verbose_name = _("company user")
        verbose_name_plural = _("company users")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.company})"


class AddressKind(models.TextChoices):
    BILLING = "billing", _("Billing")
    DELIVERY = "delivery", _("Delivery")


class Address(models.Model):
    """A postal address of a B2C customer (``user``) or of a company (``company``)."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="addresses")
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.CASCADE, related_name="addresses"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=AddressKind.choices, default=AddressKind.DELIVERY
    )
    label = models.CharField(_("label"), max_length=80, blank=True)
    recipient = models.CharField(_("recipient"), max_length=150)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=20)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    external_id = models.CharField(
        _("external ID"),
        max_length=64,
        null=True,
        blank=True,
        help_text=_("The address's key in the ERP (e.g. its ship-to number)."),
    )

    class Meta:
        ordering = ["-is_default", "label", "id"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "external_id"],
                condition=models.Q(external_id__isnull=False),
                name="address_external_id_unique",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, company__isnull=True)
                    | models.Q(user__isnull=True, company__isnull=False)
                ),
                name="address_has_exactly_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label or self.recipient}, {self.street}, {self.postal_code} {self.city}"

    def lines(self) -> list[str]:
        return [self.recipient, self.street, f"{self.postal_code} {self.city}", self.country]


class PickupPerson(models.Model):
    """A person authorised to collect goods for a company."""

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="pickup_persons",
        verbose_name=_("company"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    document_number = models.CharField(_("ID document number"), max_length=40)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=255, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person authorised to collect goods")
        verbose_name_plural = _("persons authorised to collect goods")

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_valid(self) -> bool:
        return self.valid_until is None or self.valid_until >= timezone.localdate()


class ApiToken(models.Model):
    """A bearer token for integrations and scripts acting as one user (only a hash is kept)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("What uses it, e.g. ERP sync."))
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    scopes = models.JSONField(
        _("scopes"), default=list, blank=True, help_text=_("What the key may do (customers.api_scopes).")
    )
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Empty: until revoked.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ConsentKind(models.TextChoices):
    TERMS = "terms", _("terms of sale")
    PRIVACY = "privacy", _("privacy policy")
    MARKETING_EMAIL = "marketing_email", _("offers by e-mail")


class ConsentSource(models.TextChoices):
    REGISTRATION = "registration", _("registration")
    ACCOUNT = "account", _("account page")
    API = "api", _("API")
    ERASURE = "erasure", _("erasure")


class Consent(models.Model):
    """A person agreed to something, or withdrew: which text (kind and version), when, where
    and from which address. Rows are only added; the latest of a kind is what holds now."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents", verbose_name=_("user"))
    kind = models.CharField(_("consent to"), max_length=20, choices=ConsentKind.choices)
    version = models.CharField(_("version"), max_length=40, blank=True)
    granted = models.BooleanField(_("granted"))
    source = models.CharField(_("given on"), max_length=20, choices=ConsentSource.choices)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.version} {'+' if self.granted else '-'}"


class TwoFactorDevice(models.Model):
    """A user's authenticator app: the shared TOTP secret (RFC 6238), confirmed once the
    user has typed a code from it. ``last_step`` is the time step of the last code accepted,
    so a code is good once."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor_device")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app; only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({'used' if self.used_at else 'unused'})"


class SignedInSession(models.Model):
    """A browser signed in as the user: shown on the security page, ended from there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self) -> str:
        return f"{self.user} {self.ip_address or ''} {self.created_at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """An invitation to join a company account; the link carries a secret token whose hash
    alone is stored. It works once, until it expires."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("company")
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=16, choices=CompanyRole.choices)
    spending_limit_per_order = models.DecimalField(
        _("spending limit per order"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    spending_limit_per_month = models.DecimalField(
        _("spending limit per month"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.company}"


class TermsVersion(TranslatableModel):
    """A published version of the terms of cooperation for company customers. The newest
    published one is current; company users accept it before they order."""

    translated_fields = ("title", "text")

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(
        _("published"), null=True, blank=True, help_text=_("Empty: a draft nobody is asked to accept yet.")
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("terms of cooperation")
        verbose_name_plural = _("terms of cooperation")

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class TermsAcceptance(models.Model):
    """Who accepted which version of the terms, when, and from where."""

    terms = models.ForeignKey(
        TermsVersion, on_delete=models.PROTECT, related_name="acceptances", verbose_name=_("terms")
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="terms_acceptances", verbose_name=_("user")
    )
    company = models.ForeignKey(
        Company,
        null=True,
        on_delete=models.SET_NULL,
        related_name="terms_acceptances",
        verbose_name=_("company"),
    )
    accepted_at = models.DateTimeField(_("accepted"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("terms acceptance")
        verbose_name_plural = _("terms acceptances")
        constraints = [models.UniqueConstraint(fields=["terms", "user"], name="terms_accepted_once")]

    def __str__(self) -> str:
        return f"{self.user} ✓ {self.terms}"
