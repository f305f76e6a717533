"""Catalog read API. Anonymous callers get the B2C view; company users the B2B view."""

from typing import Annotated

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from tandem.catalog import selectors as catalog
from tandem.catalog.caching import cached_page_parts
from tandem.catalog.price_list import price_list_csv
from tandem.catalog.schemas import (
    CategoryOut,
    PriceOut,
    ProductOut,
    ProductPageOut,
    ProductSummaryOut,
    QuantityPriceOut,
    SpecificationOut,
    StockOut,
    VariantOut,
)
from tandem.core.audit import audit_export
from tandem.core.errors import NotFound
from tandem.customers.api_auth import guest_auth
from tandem.inventory.selectors import available_by_variant
from tandem.pricing.errors import QuantityRuleError
from tandem.pricing.quantity import quantity_check
from tandem.pricing.selectors import prices_for_variants

# Anonymous callers, sessions and bearer tokens alike: a token sees exactly what its user sees.
router = Router(tags=["catalog"], auth=guest_auth)


@router.get("/categories", response=list[CategoryOut])
def categories(request: HttpRequest):
    """The category tree the caller may see, parents before children (depth from 0), names in the
    caller's language."""
    return [
        CategoryOut(id=c.pk, slug=c.slug, name=c.tr("name"), parent_id=c.parent_id, depth=c.depth)
        for c in catalog.all_categories()
    ]


class ProductQuery(Schema):
    category: str | None = Field(None, max_length=140, description="category slug")
    q: str = Field("", max_length=200, description="full-text search")
    f: list[str] = Field(default_factory=list, description="attribute filters code:value")
    sort: str = Field("relevance", pattern="^(relevance|name|-name|price|-price|newest)$")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(24, ge=1, le=100)


def _cached_json(request: HttpRequest, name: str, build) -> HttpResponse:
    """A JSON body cached per price context (see catalog.caching); 404s are not cached."""
    parts = cached_page_parts(request, name, lambda: {"json": build().model_dump_json()}, with_prices=True)
    return HttpResponse(parts["json"], content_type="application/json")


@router.get("/products", response=ProductPageOut)
def products(request: HttpRequest, filters: Query[ProductQuery]):
    """A page of products visible to the caller, priced for the caller's channel."""
    category = catalog.category_by_slug(filters.category) if filters.category else None
    return _cached_json(request, "api-products", lambda: _product_page(request, filters, category))


def _product_page(request: HttpRequest, filters: ProductQuery, category) -> ProductPageOut:
    listing = catalog.product_listing(
        request.customer_context,
        category=category,
        query=filters.q,
        selected=catalog.parse_filters(filters.f),
        sort=filters.sort,
        page_number=filters.page,
        per_page=filters.page_size,
        with_facets=False,
    )
    return ProductPageOut(
        items=[
            ProductSummaryOut(
                id=card.product.pk,
                slug=card.product.slug,
                name=card.product.tr("name"),
                brand=card.product.brand,
                category=card.product.category.slug,
                price_from=PriceOut.of(card.price),
                variant_count=card.variant_count,
                available=card.available,
                image=card.image.image.url if card.image else None,
            )
            for card in listing.cards
        ],
        count=listing.page.paginator.count,
        page=listing.page.number,
        pages=listing.page.paginator.num_pages,
    )


@router.get("/products/{slug}", response=ProductOut)
def product(request: HttpRequest, slug: str):
    """One product with variants, prices for the caller, stock and specifications."""
    return _cached_json(request, "api-product", lambda: _product(request, slug))


def _product(request: HttpRequest, slug: str) -> ProductOut:
    detail = catalog.product_detail(request.customer_context, slug)
    item = detail.product
    return ProductOut(
        id=item.pk,
        slug=item.slug,
        name=item.tr("name"),
        brand=item.brand,
        description=item.tr("description"),
        category=item.category.slug,
        channels=item.visibility,
        backorder_allowed=item.allow_backorder,
        variants=[
            VariantOut(
                sku=v.variant.sku,
                gtin=v.variant.gtin,
                name=v.variant.tr("name"),
                unit=v.variant.unit,
                pack_size=v.variant.pack_size,
                min_quantity=v.variant.min_quantity,
                max_quantity=v.variant.max_quantity,
                quantity_step=v.variant.quantity_step,
                price=PriceOut.of(v.price),
                available=v.available,
            )
            for v in detail.variants
        ],
        specifications=[
            SpecificationOut(
                attribute=attribute.tr("name"),
                code=attribute.code,
                unit=attribute.unit,
                values=[option.tr("value") for option in options],
            )
            for attribute, options in detail.specifications
        ],
        images=[image.image.url for image in detail.images],
    )


Sku = Annotated[str, Field(min_length=1, max_length=64)]


class StockQuery(Schema):
    sku: list[Sku] = Field(..., min_length=1, max_length=500)


class StockLookup(Schema):
    skus: list[Sku] = Field(..., min_length=1, max_length=500, description="Up to 500 SKUs.")


@router.get("/stock", response=list[StockOut])
def stock(request: HttpRequest, params: Query[StockQuery]):
    """Units available now for up to 500 SKUs visible to the caller; unknown SKUs are omitted.
    Many SKUs make a long URL: ``POST /catalog/stock`` takes them in the body."""
    return _stock_of(request, params.sku)


@router.post("/stock", response=list[StockOut])
def stock_lookup(request: HttpRequest, payload: StockLookup):
    """``GET /catalog/stock`` with the SKUs in the body (up to 500; no URL length limit)."""
    return _stock_of(request, payload.skus)


def _stock_of(request: HttpRequest, skus: list[str]) -> list[StockOut]:
    variants = list(
        catalog.visible_variants(request.customer_context, skus)
        .select_related("product")
        .only("pk", "sku", "product__allow_backorder")
    )
    available = available_by_variant(v.pk for v in variants)
    return [
        StockOut(sku=v.sku, available=available.get(v.pk, 0), backorder_allowed=v.product.allow_backorder)
        for v in variants
    ]


class PricesQuery(Schema):
    sku: list[Sku] = Field(..., min_length=1, max_length=500)
    quantity: int = Field(1, ge=1, le=1_000_000_000)


class PricesLookup(Schema):
    skus: list[Sku] = Field(..., min_length=1, max_length=500, description="Up to 500 SKUs.")
    quantity: int = Field(1, ge=1, le=1_000_000_000)


@router.get("/prices", response=list[QuantityPriceOut])
def prices(request: HttpRequest, params: Query[PricesQuery]):
    """Unit prices for the caller at a quantity (volume tiers apply), each with its
    explanation, and whether the quantity obeys the variant's quantity rules. Unknown or
    invisible SKUs are left out. Always live (not cached). Many SKUs make a long URL:
    ``POST /catalog/prices`` takes them in the body."""
    return _prices_of(request, params.sku, params.quantity)


@router.post("/prices", response=list[QuantityPriceOut])
def prices_lookup(request: HttpRequest, payload: PricesLookup):
    """``GET /catalog/prices`` with the SKUs in the body (up to 500; no URL length limit)."""
    return _prices_of(request, payload.skus, payload.quantity)


def _prices_of(request: HttpRequest, skus: list[str], quantity: int) -> list[QuantityPriceOut]:
    context = request.customer_context
    variants = list(catalog.visible_variants(context, skus))
    resolved = prices_for_variants(context, [(v.pk, v.tax_class_id) for v in variants], quantity)
    items = []
    for variant in variants:
        problem = None
        try:
            quantity_check(variant.quantity_rule(), quantity)
        except QuantityRuleError as error:
            problem = error
        items.append(
            QuantityPriceOut(
                sku=variant.sku,
                quantity=quantity,
                price=PriceOut.of(resolved.get(variant.pk)),
                quantity_problem=str(problem.message) if problem else None,
                suggested_quantity=problem.suggestion if problem else None,
            )
        )
    return items


@router.get("/price-list.csv")
def price_list(request: HttpRequest):
    """The caller's whole price list as CSV (UTF-8 with BOM, opens in Excel): every variant
    they may buy with net, VAT and gross unit prices and their volume prices. Streamed."""
    if request.user.is_authenticated:  # a guest's list is the public retail one
        audit_export(
            kind="price_list",
            actor_id=request.user.pk,
            on_behalf_of_id=request.customer_context.on_behalf_of_id,
            company_id=request.customer_context.company_id,
        )
    response = StreamingHttpResponse(price_list_csv(request.customer_context), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="price-list.csv"'
    return response


@router.get("/variants/{sku}", response=VariantOut)
def variant(request: HttpRequest, sku: str):
    """One variant by SKU with the caller's price and availability; a SKU the caller may not buy is a 404."""
    context = request.customer_context
    item = catalog.visible_variants(context, [sku]).first()
    if item is None:
        raise NotFound()
    price = prices_for_variants(context, [(item.pk, item.tax_class_id)]).get(item.pk)
    return VariantOut(
        sku=item.sku,
        gtin=item.gtin,
        name=item.tr("name"),
        unit=item.unit,
        pack_size=item.pack_size,
        min_quantity=item.min_quantity,
        max_quantity=item.max_quantity,
        quantity_step=item.quantity_step,
        price=PriceOut.of(price),
        available=available_by_variant([item.pk]).get(item.pk, 0),
    )
