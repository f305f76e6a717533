from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.catalog.validators import validate_gtin
from tandem.core.models import JobProgress
from tandem.core.storage import PrivateStorage, random_file_name
from tandem.core.translation import TranslatableModel, TranslatedText
from tandem.pricing.quantity import QuantityRule


def external_id_field() -> models.CharField:
    """The key of a record in the sender's system (ERP, PIM), for upserts through the API;
    unique where set (a partial unique constraint on the model)."""
    return models.CharField(
        _("external ID"),
        max_length=64,
        null=True,
        blank=True,
        help_text=_("The key of this record in the ERP or PIM that sends it through the API."),
    )


def translated_name(language: str) -> TranslatedText:
    """A product's name in ``language`` (its translation, else the default text): what a
    listing sorts by, and what each language's listing index holds, expression for expression."""
    return TranslatedText("name", language)


class Category(TranslatableModel):
    """A node of the category tree. ``path`` (ids of the ancestors and self) makes
    "this category and everything below it" one indexed prefix filter."""

    translated_fields = ("name", "description")

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    external_id = external_id_field()
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            # a partial unique index: SQLite adds it without rebuilding the table
            models.UniqueConstraint(
                fields=["external_id"],
                condition=models.Q(external_id__isnull=False),
                name="category_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("storefront:category", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if (
            self.pk
            and self.parent_id
            and (self.parent_id == self.pk or (self.path and self.parent.path.startswith(self.path)))
        ):
            raise ValidationError(
                {"parent": _("A category cannot be placed inside itself or its subcategories.")}
            )


class Attribute(TranslatableModel):
    """A specification or filter dimension, e.g. voltage, material, colour."""

    translated_fields = ("name",)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    is_filterable = models.BooleanField(_("filterable"), default=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")

    def __str__(self) -> str:
        return self.name


class AttributeOption(TranslatableModel):
    translated_fields = ("value",)

    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="options")
    value = models.CharField(_("value"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["attribute__sort_order", "sort_order", "value"]
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        constraints = [
            models.UniqueConstraint(fields=["attribute", "slug"], name="attribute_option_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.attribute.name}: {self.value}"


class Visibility(models.TextChoices):
    BOTH = "both", _("Retail and wholesale")
    B2C = "b2c", _("Retail only (B2C)")
    B2B = "b2b", _("Wholesale only (B2B)")


class Product(TranslatableModel):
    translated_fields = ("name", "description")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    brand = models.CharField(_("brand"), max_length=80, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    options = models.ManyToManyField(
        AttributeOption, verbose_name=_("specifications"), blank=True, related_name="products"
    )
    visibility = models.CharField(
        _("sold in"), max_length=4, choices=Visibility.choices, default=Visibility.BOTH
    )
    b2b_restricted = models.BooleanField(
        _("restricted B2B catalog"),
        default=False,
        help_text=_("Wholesale customers see it only when their group or company is listed."),
    )
    b2b_groups = models.ManyToManyField(
        "customers.CustomerGroup",
        verbose_name=_("visible to customer groups"),
        blank=True,
        related_name="restricted_products",
    )
    b2b_companies = models.ManyToManyField(
        "customers.Company",
        verbose_name=_("visible to companies"),
        blank=True,
        related_name="restricted_products",
    )
    allow_backorder = models.BooleanField(_("allow back-orders"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    external_id = external_id_field()
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [
            models.Index(fields=["category", "is_active", "visibility"], name="product_listing_idx"),
            models.Index(fields=["is_active", "visibility", "name"], name="product_name_idx"),
            # a category page sorted by name reads 24 rows in index order instead of sorting all
            models.Index(fields=["category", "name", "id"], name="product_category_name_idx"),
            # …and in every other language, by its translated name (without it a category of
            # 3,000 products was sorted whole for each page: 25 ms against 0.7)
            *(
                models.Index(
                    models.F("category"),
                    translated_name(code),
                    models.F("id"),
                    name=f"product_category_name_{code}_idx",
                )
                for code, _name in settings.LANGUAGES
                if code != settings.LANGUAGE_CODE
            ),
            models.Index(fields=["updated_at", "id"], name="product_sync"),  # GET /products/changes
        ]
        constraints = [
            # partial: SQLite adds it without rebuilding the table (and dropping the search triggers)
            models.UniqueConstraint(
                fields=["external_id"],
                condition=models.Q(external_id__isnull=False),
                name="product_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("storefront:product", kwargs={"slug": self.slug})


class Unit(models.TextChoices):
    PIECE = "pcs", _("piece")
    PACK = "pack", _("pack")
    BOX = "box", _("box")
    SET = "set", _("set")
    METRE = "m", _("metre")
    KILOGRAM = "kg", _("kilogram")
    LITRE = "l", _("litre")


class Variant(TranslatableModel):
    """A sellable item: one SKU with its unit, pack size and tax class."""

    translated_fields = ("name",)

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    gtin = models.CharField(
        _("EAN/GTIN"),
        max_length=14,
        blank=True,
        validators=[validate_gtin],
        help_text=_("8, 12, 13 or 14 digits with a valid check digit."),
    )
    name = models.CharField(_("variant name"), max_length=120, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.PIECE)
    pack_size = models.PositiveIntegerField(
        _("pack size"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Units in one pack."),
    )
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    tax_class = models.ForeignKey(
        "pricing.TaxClass",
        verbose_name=_("tax class"),
        on_delete=models.PROTECT,
        related_name="variants",
    )
    min_quantity = models.PositiveIntegerField(
        _("minimum order quantity"), default=1, validators=[MinValueValidator(1)]
    )
    max_quantity = models.PositiveIntegerField(
        _("maximum order quantity"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    quantity_step = models.PositiveIntegerField(
        _("order in multiples of"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("e.g. 5 when sold in packs of five."),
    )
    cost_price = models.DecimalField(
        _("purchase price (net)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("In the shop's currency; staff see the margin on offers. Never shown to customers."),
    )
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "sku"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.CheckConstraint(condition=models.Q(pack_size__gte=1), name="variant_pack_size_positive"),
            models.CheckConstraint(
                condition=models.Q(max_quantity__isnull=True)
                | models.Q(max_quantity__gte=models.F("min_quantity")),
                name="variant_max_quantity_not_below_min",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}".strip()

    def quantity_rule(self) -> QuantityRule:
        return QuantityRule(self.min_quantity, self.max_quantity, self.quantity_step)

    def clean(self) -> None:
        super().clean()
        if self.max_quantity is not None and self.max_quantity < self.min_quantity:
            raise ValidationError(
                {"max_quantity": _("The maximum cannot be below the minimum order quantity.")}
            )


def product_image_path(instance: "ProductImage", filename: str) -> str:
    return f"products/{instance.product_id or 'new'}/{filename}"


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to=product_image_path, max_length=255)
    alt = models.CharField(_("alternative text"), max_length=200, blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.image.name


class ImportKind(models.TextChoices):
    PRODUCTS = "products", _("products")
    STOCK = "stock", _("stock levels")
    PRICES = "prices", _("list prices")
    COMPANIES = "companies", _("companies")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


def import_file_path(instance: "ImportJob", filename: str) -> str:
    return random_file_name("imports", filename)


class ImportJob(JobProgress):
    """A file of products, stock, prices or companies imported by the worker a thousand rows
    at a time (catalog.import_jobs): its progress, counts and each bad row's error."""

    kind = models.CharField(_("kind"), max_length=12, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    file = models.FileField(_("file"), upload_to=import_file_path, storage=PrivateStorage(), max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    dry_run = models.BooleanField(_("dry run"), default=False, help_text=_("Check every row, write nothing."))
    per_item = models.BooleanField(
        _("row by row"),
        default=False,
        help_text=_("Write the good rows, report the bad; else all or nothing."),
    )
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # {row, column, code, message}
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        "customers.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"
