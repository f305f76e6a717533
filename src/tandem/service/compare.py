"""Product comparison: a visitor's list of up to four products, kept in their session (guests
too), and the table that sets them side by side — every specification with whether its values
differ, the reader's own prices and stock.

One access rule: the list only ever yields products ``catalog.selectors.visible_products``
gives this customer, so an id forged into the session or a URL shows nothing. The session is
passed in as a mapping: this module never sees the request.
"""

from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from tandem.catalog.models import Attribute, Product, ProductImage, Variant
from tandem.catalog.selectors import price_from, visible_products
from tandem.core.context import CustomerContext
from tandem.core.errors import DomainError, NotFound
from tandem.inventory.selectors import available_by_variant
from tandem.pricing.engine import PriceResult
from tandem.pricing.selectors import prices_for_variants

SESSION_KEY = "compare"
MAX_PRODUCTS = 4

Session = MutableMapping[str, Any]


class CompareError(DomainError):
    """A comparison request was refused."""

    code = "compare_error"


class CompareFull(CompareError):
    """The comparison already holds MAX_PRODUCTS products."""

    code = "compare_full"
    status = 409
    default_message = _("You can compare up to 4 products. Remove one to add another.")


class InvalidProductIds(CompareError):
    """The product ids asked for are not a comma-separated list of up to MAX_PRODUCTS numbers."""

    code = "invalid_product_ids"
    status = 422

    def __init__(self, message):
        super().__init__(message, field="products")


# --- the visitor's list ------------------------------------------------------------------


def compare_ids(session: Session) -> list[int]:
    """The product ids in the visitor's comparison in the order they were added, as the
    session holds them (positive whole numbers, each once, at most MAX_PRODUCTS). Whether the
    customer may see them is decided when they are read (``comparison``)."""
    raw = session.get(SESSION_KEY)
    if not isinstance(raw, list):
        return []
    ids = [value for value in raw if isinstance(value, int) and not isinstance(value, bool) and value > 0]
    return list(dict.fromkeys(ids))[:MAX_PRODUCTS]


def _visible_ids(context: CustomerContext, ids: Iterable[int]) -> set[int]:
    ids = list(ids)
    if not ids:
        return set()
    return set(visible_products(context).filter(pk__in=ids).values_list("pk", flat=True))


def compare_add(*, session: Session, context: CustomerContext, product_id: int) -> Product:
    """Put a product this customer may see into their comparison (adding it twice changes
    nothing); ids they may no longer see leave the list on the way. Returns the product.
    Raises NotFound for a product they may not see and CompareFull when the list holds four."""
    ids = compare_ids(session)
    product = visible_products(context).filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("This product is not available."))
    visible = _visible_ids(context, ids)
    kept = [pk for pk in ids if pk in visible]
    if product.pk not in kept:
        if len(kept) >= MAX_PRODUCTS:
            raise CompareFull()
        kept.append(product.pk)
    session[SESSION_KEY] = kept
    return product


def compare_remove(*, session: Session, product_id: int) -> None:
    """Take a product out of the comparison (nothing happens when it is not there)."""
    session[SESSION_KEY] = [pk for pk in compare_ids(session) if pk != product_id]


def compare_clear(*, session: Session) -> None:
    """Empty the comparison."""
    session.pop(SESSION_KEY, None)


def parse_product_ids(text: str) -> list[int]:
    """``"12,7,9"`` → ``[12, 7, 9]`` (blanks ignored, repeats kept once). Raises
    InvalidProductIds for anything but up to MAX_PRODUCTS positive whole numbers."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise InvalidProductIds(_("Give one to four product ids, separated by commas."))
    if not all(part.isascii() and part.isdigit() and len(part) <= 18 and int(part) > 0 for part in parts):
        raise InvalidProductIds(_("Product ids are positive whole numbers, separated by commas."))
    ids = list(dict.fromkeys(int(part) for part in parts))
    if len(ids) > MAX_PRODUCTS:
        raise InvalidProductIds(_("At most 4 products can be compared at once."))
    return ids


# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ComparedVariant:
    variant: Variant
    name: str
    price: PriceResult | None
    available: int
    orderable: bool  # priced, and in stock or open to back-orders: it may go into the cart


@dataclass(frozen=True, slots=True)
class ComparedProduct:
    product: Product
    name: str
    image: ProductImage | None
    variants: list[ComparedVariant]
    price: PriceResult | None  # the cheapest variant's, as on the product card
    price_varies: bool  # the variants' prices differ: shown as "from"
    available: int

    @property
    def orderable_variants(self) -> list[ComparedVariant]:
        return [variant for variant in self.variants if variant.orderable]


@dataclass(frozen=True, slots=True)
class SpecificationRow:
    attribute: Attribute
    name: str
    values: tuple[str, ...]  # one per product, in the columns' order; "" where it has none
    differs: bool


@dataclass(frozen=True, slots=True)
class Comparison:
    products: list[ComparedProduct]
    rows: list[SpecificationRow]
    missing: list[int]  # ids asked for that are unknown or not for this customer

    @property
    def differences(self) -> int:
        return sum(1 for row in self.rows if row.differs)


def comparison(context: CustomerContext, product_ids: Iterable[int]) -> Comparison:
    """The products among ``product_ids`` this customer may see, in that order, side by side:
    prices for this customer (the pricing selectors the shop uses everywhere), stock, a picture,
    and a row per specification attribute any of them has, flagged where the values differ
    (a product without the attribute differs from one with it). Texts are in the context's
    language. Seven queries or fewer whatever the number of products."""
    ids = list(dict.fromkeys(product_ids))[:MAX_PRODUCTS]
    found = {product.pk: product for product in visible_products(context).filter(pk__in=ids)} if ids else {}
    products = [found[pk] for pk in ids if pk in found]
    shown = [product.pk for product in products]
    language = context.language
    variants = (
        list(
            Variant.objects.filter(product_id__in=shown, is_active=True).order_by(
                "product_id", "sort_order", "sku"
            )
        )
        if shown
        else []
    )
    prices = prices_for_variants(context, [(variant.pk, variant.tax_class_id) for variant in variants])
    available = available_by_variant(variant.pk for variant in variants) if variants else {}
    images: dict[int, ProductImage] = {}
    for image in (
        ProductImage.objects.filter(product_id__in=shown).order_by("product_id", "sort_order", "pk")
        if shown
        else []
    ):
        images.setdefault(image.product_id, image)
    by_product: dict[int, list[ComparedVariant]] = {}
    backorder = {product.pk: product.allow_backorder for product in products}
    for variant in variants:
        price = prices.get(variant.pk)
        units = available.get(variant.pk, 0)
        by_product.setdefault(variant.product_id, []).append(
            ComparedVariant(
                variant=variant,
                name=variant.tr("name", language),
                price=price,
                available=units,
                orderable=price is not None and (units > 0 or backorder[variant.product_id]),
            )
        )
    compared = []
    for product in products:
        rows = by_product.get(product.pk, [])
        cheapest, varies = price_from([row.price for row in rows if row.price is not None])
        compared.append(
            ComparedProduct(
                product=product,
                name=product.tr("name", language),
                image=images.get(product.pk),
                variants=rows,
                price=cheapest,
                price_varies=varies,
                available=sum(row.available for row in rows),
            )
        )
    return Comparison(
        products=compared,
        rows=_specification_rows(shown, language),
        missing=[pk for pk in ids if pk not in found],
    )


def _specification_rows(product_ids: list[int], language: str) -> list[SpecificationRow]:
    """A row per attribute any of the products has, in the catalog's attribute order (one
    query): each product's values joined, "" where it has none."""
    if not product_ids:
        return []
    through = Product.options.through
    links = (
        through.objects.filter(product_id__in=product_ids)
        .select_related("attributeoption__attribute")
        .order_by(
            "attributeoption__attribute__sort_order",
            "attributeoption__attribute__code",
            "attributeoption__sort_order",
            "attributeoption__value",
        )
    )
    attributes: dict[int, Attribute] = {}
    values: dict[int, dict[int, list[str]]] = {}
    for link in links:
        option = link.attributeoption
        attributes.setdefault(option.attribute_id, option.attribute)
        values.setdefault(option.attribute_id, {}).setdefault(link.product_id, []).append(
            option.tr("value", language)
        )
    rows = []
    for attribute_id, attribute in attributes.items():
        cells = tuple(", ".join(values[attribute_id].get(pk, [])) for pk in product_ids)
        rows.append(
            SpecificationRow(
                attribute=attribute,
                name=attribute.tr("name", language),
                values=cells,
                differs=len(product_ids) > 1 and len(set(cells)) > 1,
            )
        )
    return rows
