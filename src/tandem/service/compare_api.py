"""Product comparison over the API: up to four products side by side, as the comparison page
shows them to the caller (``service.compare``)."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tandem.catalog.schemas import PriceOut, ProductCardOut
from tandem.customers.api_auth import guest_auth
from tandem.service.compare import ComparedProduct, Comparison, comparison, parse_product_ids

router = Router(tags=["catalog"], auth=guest_auth)


class CompareQuery(Schema):
    products: str = Field(
        ..., max_length=200, description="up to 4 product ids separated by commas, e.g. 12,7,9"
    )


class ComparedVariantOut(Schema):
    sku: str
    name: str
    price: PriceOut | None
    available: int
    orderable: bool = Field(description="priced, and in stock or open to back-orders")


class ComparedProductOut(ProductCardOut):
    variants: list[ComparedVariantOut]

    @staticmethod
    def of(item: ComparedProduct) -> "ComparedProductOut":
        return ComparedProductOut(
            id=item.product.pk,
            slug=item.product.slug,
            name=item.name,
            brand=item.product.brand,
            url=item.product.get_absolute_url(),
            image=item.image.image.url if item.image else None,
            price=PriceOut.of(item.price),
            price_varies=item.price_varies,
            variant_count=len(item.variants),
            available=item.available,
            variants=[
                ComparedVariantOut(
                    sku=row.variant.sku,
                    name=row.name,
                    price=PriceOut.of(row.price),
                    available=row.available,
                    orderable=row.orderable,
                )
                for row in item.variants
            ],
        )


class SpecificationRowOut(Schema):
    code: str
    attribute: str
    unit: str
    values: list[str] = Field(description="one per product, in the order of products; '' where it has none")
    differs: bool


class ComparisonOut(Schema):
    products: list[ComparedProductOut]
    rows: list[SpecificationRowOut]
    not_found: list[int] = Field(description="ids asked for that are unknown or not visible to the caller")

    @staticmethod
    def of(table: Comparison) -> "ComparisonOut":
        return ComparisonOut(
            products=[ComparedProductOut.of(item) for item in table.products],
            rows=[
                SpecificationRowOut(
                    code=row.attribute.code,
                    attribute=row.name,
                    unit=row.attribute.unit,
                    values=list(row.values),
                    differs=row.differs,
                )
                for row in table.rows
            ],
            not_found=table.missing,
        )


@router.get("/compare", response=ComparisonOut)
def compare(request: HttpRequest, params: Query[CompareQuery]):
    """Up to four products side by side: the caller's prices and stock per variant, and a row
    per specification with each product's value and whether they differ. Ids that are unknown
    or not visible to the caller are listed in ``not_found`` (their products are never shown);
    more than four ids or anything but ids is a 422 ``invalid_product_ids``."""
    return ComparisonOut.of(comparison(request.customer_context, parse_product_ids(params.products)))
