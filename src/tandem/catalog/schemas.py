from decimal import Decimal

from ninja import Field, Schema

from tandem.catalog.selectors import ProductCard
from tandem.pricing.engine import PriceResult


class PriceOut(Schema):
    currency: str
    amount: Decimal
    net: Decimal
    gross: Decimal
    tax_rate: Decimal
    includes_tax: bool
    source: str
    explanation: list[str]

    @staticmethod
    def of(price: PriceResult | None) -> "PriceOut | None":
        if price is None:
            return None
        return PriceOut(
            currency=price.currency,
            amount=price.unit_display,
            net=price.unit_net,
            gross=price.unit_gross,
            tax_rate=price.tax_rate,
            includes_tax=price.includes_tax,
            source=price.source,
            explanation=list(price.explanation),
        )


class ProductCardOut(Schema):
    """A product as a card shows it to the caller: every list of products outside the catalog
    endpoints (article blocks, comparisons, recommendations) answers with these fields."""

    id: int
    slug: str
    name: str = Field(description="in the request's language")
    brand: str
    url: str
    image: str | None
    price: PriceOut | None = Field(description="the cheapest variant's price for the caller")
    price_varies: bool = Field(description="the variants' prices differ (the price is a 'from')")
    variant_count: int
    available: int = Field(description="units in stock over all variants")

    @staticmethod
    def fields_of(card: ProductCard, language: str | None = None) -> dict:
        product = card.product
        return {
            "id": product.pk,
            "slug": product.slug,
            "name": product.tr("name", language),
            "brand": product.brand,
            "url": product.get_absolute_url(),
            "image": card.image.image.url if card.image else None,
            "price": PriceOut.of(card.price),
            "price_varies": card.price_varies,
            "variant_count": card.variant_count,
            "available": max(card.available, 0),
        }

    @classmethod
    def of(cls, card: ProductCard, language: str | None = None) -> "ProductCardOut":
        return cls(**cls.fields_of(card, language))


class CategoryOut(Schema):
    id: int
    slug: str
    name: str
    parent_id: int | None
    depth: int


class ProductSummaryOut(Schema):
    id: int
    slug: str
    name: str
    brand: str
    category: str
    price_from: PriceOut | None
    variant_count: int
    available: int
    image: str | None


class ProductPageOut(Schema):
    items: list[ProductSummaryOut]
    count: int
    page: int
    pages: int


class StockOut(Schema):
    sku: str
    available: int
    backorder_allowed: bool


class VariantOut(Schema):
    sku: str
    gtin: str
    name: str
    unit: str
    pack_size: int
    min_quantity: int
    max_quantity: int | None
    quantity_step: int
    price: PriceOut | None
    available: int


class SpecificationOut(Schema):
    attribute: str
    code: str
    unit: str
    values: list[str]


class ProductOut(Schema):
    id: int
    slug: str
    name: str
    brand: str
    description: str
    category: str
    channels: str
    backorder_allowed: bool
    variants: list[VariantOut]
    specifications: list[SpecificationOut]
    images: list[str]


class QuantityPriceOut(Schema):
    sku: str
    quantity: int
    price: PriceOut | None
    quantity_problem: str | None
    suggested_quantity: int | None
