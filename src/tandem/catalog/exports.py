"""The products export (core.exports): one row per variant with the columns of the products
import, so an exported file edited in a spreadsheet imports back; JSON Lines carry one
product per line in the shape of ``PUT /api/v1/products``."""

from collections.abc import Iterator
from datetime import datetime
from itertools import groupby
from typing import Any

from django.utils.translation import gettext_lazy as _

from tandem.catalog.import_jobs import PRODUCT_COLUMNS, VARIANT_COLUMNS
from tandem.catalog.models import Product, Variant
from tandem.core.exports import ExportKind, ExportSource
from tandem.core.translation import translation_languages
from tandem.customers.models import User

TRANSLATED = ("name", "description")


def _may_export(user: User) -> bool:
    return user.is_staff and user.has_perm("catalog.view_product")


def _product_values(product: Product) -> dict[str, Any]:
    category = product.category
    return {
        "external_id": product.external_id or "",
        "name": product.name,
        "slug": product.slug,
        "description": product.description,
        "brand": product.brand,
        "category": (category.external_id or category.slug) if category else "",
        "visibility": product.visibility,
        "b2b_restricted": product.b2b_restricted,
        "allow_backorder": product.allow_backorder,
        "is_active": product.is_active,
    }


def _variant_values(variant: Variant) -> dict[str, Any]:
    return {
        "sku": variant.sku,
        "gtin": variant.gtin,
        "name": variant.name,
        "unit": variant.unit,
        "pack_size": variant.pack_size,
        "weight_kg": variant.weight_kg,
        "tax_class": variant.tax_class.code,
        "min_quantity": variant.min_quantity,
        "max_quantity": variant.max_quantity,
        "quantity_step": variant.quantity_step,
        "cost_price": variant.cost_price,
    }


def products_source(user: User, updated_since: datetime | None) -> ExportSource:
    products = Product.objects.all()
    if updated_since is not None:
        products = products.filter(updated_at__gt=updated_since)
    variants = (
        Variant.objects.filter(product__in=products)
        .select_related("product__category", "tax_class")
        .order_by("product_id", "sort_order", "pk")
    )
    languages = translation_languages()
    texts = [f"{field}_{language}" for language in languages for field in TRANSLATED]
    header = ["external_id", *PRODUCT_COLUMNS, *texts, *VARIANT_COLUMNS]

    def rows() -> Iterator[list[Any]]:
        for variant in variants.iterator(chunk_size=2000):
            product = variant.product
            values = _product_values(product)
            translations = product.translations or {}
            values.update(
                {
                    f"{field}_{language}": translations.get(language, {}).get(field, "")
                    for language in languages
                    for field in TRANSLATED
                }
            )
            own = _variant_values(variant)
            values.update({column: own[field] for column, field in VARIANT_COLUMNS.items()})
            yield [values[name] for name in header]

    def items() -> Iterator[dict[str, Any]]:
        for _product_id, group in groupby(variants.iterator(chunk_size=2000), key=lambda v: v.product_id):
            members = list(group)
            product = members[0].product
            item = {"external_id": product.external_id or "", **_product_values(product)}
            if product.translations:
                item["translations"] = product.translations
            item["variants"] = []
            for variant in members:
                values = {key: value for key, value in _variant_values(variant).items() if value is not None}
                if variant.translations:
                    values["translations"] = variant.translations
                item["variants"].append(values)
            yield item

    return ExportSource(
        header=header,
        count=variants.count(),
        rows=rows(),
        items=items(),
        item_count=products.filter(variants__isnull=False).distinct().count(),
    )


PRODUCTS_EXPORT = ExportKind(
    order=10,
    code="products",
    label=_("Products"),
    scope="catalog:read",
    allowed=_may_export,
    source=products_source,
    since=True,
)
