"""The items the catalog write API and file imports take (pydantic models): validated at the
edge, each field typed without None but defaulting to it may be left out but not sent as null."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tandem.catalog.models import Unit
from tandem.catalog.upserts import MAX_ITEMS
from tandem.core.money import MINOR_UNITS

INT_MAX = 2_147_483_647
Texts = dict[str, dict[str, Annotated[str, Field(max_length=20_000)]]]
Mode = Literal["all_or_nothing", "per_item"]


def _currency(value: str) -> str:
    if value not in MINOR_UNITS:
        raise ValueError(f"not one of {', '.join(sorted(MINOR_UNITS))}")
    return value


class _Strict(BaseModel):
    """Plain pydantic models for what a batch carries: 1,000 items parse ~3× faster than
    through ninja's Schema (which wraps every object for Django's ORM)."""

    model_config = ConfigDict(extra="forbid")


class PriceIn(_Strict):
    currency: str = Field(description="ISO 4217, one of the shop's currencies")
    channel: Literal["b2c", "b2b"] = Field(description="b2c: gross (VAT included); b2b: net")
    amount: Decimal = Field(ge=0, max_digits=14, decimal_places=2)

    @field_validator("currency")
    @classmethod
    def known_currency(cls, value: str) -> str:
        return _currency(value)


class StockIn(_Strict):
    warehouse: str = Field(max_length=20, description="the warehouse's code")
    on_hand: int = Field(ge=0, le=INT_MAX, description="units counted on hand")


# Fields typed without None but defaulting to it: may be left out, may not be sent as null.
class VariantIn(_Strict):
    sku: str = Field(min_length=1, max_length=64, pattern=r"^\S(.*\S)?$")
    gtin: str = Field(None, max_length=14, pattern=r"^(\d{8}|\d{12,14})?$")
    name: str = Field(None, max_length=120)
    unit: Literal[tuple(Unit.values)] = None  # type: ignore[valid-type]
    pack_size: int = Field(None, ge=1, le=INT_MAX)
    weight_kg: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=3)
    tax_class: str = Field(
        None, max_length=40, description="the tax class's code; required for a new variant"
    )
    min_quantity: int = Field(None, ge=1, le=INT_MAX)
    max_quantity: int | None = Field(None, ge=1, le=INT_MAX)
    quantity_step: int = Field(None, ge=1, le=INT_MAX)
    cost_price: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    sort_order: int = Field(None, ge=-INT_MAX, le=INT_MAX)
    is_active: bool = None  # type: ignore[assignment]
    translations: Texts = Field(None, description='{"pl": {"name": "…"}}; an empty text removes one')
    prices: list[PriceIn] = Field(None, max_length=20, description="list prices (needs prices:write)")
    stock: list[StockIn] = Field(None, max_length=50, description="on hand per warehouse (needs stock:write)")


class ProductIn(_Strict):
    external_id: str = Field(
        min_length=1, max_length=64, description="the product's key in the sender's system"
    )
    name: str = Field(None, min_length=1, max_length=200, description="required for a new product")
    slug: str = Field(
        None, max_length=220, pattern=r"^[-a-zA-Z0-9_]+$", description="made from the name if left out"
    )
    description: str = Field(None, max_length=20_000)
    brand: str = Field(None, max_length=80)
    category: str = Field(None, max_length=140, description="the category's external ID or slug")
    visibility: Literal["both", "b2c", "b2b"] = None  # type: ignore[assignment]
    b2b_restricted: bool = None  # type: ignore[assignment]
    allow_backorder: bool = None  # type: ignore[assignment]
    is_active: bool = None  # type: ignore[assignment]
    translations: Texts = Field(None, description='{"pl": {"name": "…", "description": "…"}}')
    variants: list[VariantIn] = Field(None, max_length=100, description="by SKU; variants not sent stay")
    options: list[Annotated[str, Field(max_length=200, pattern=r"^[^:]+:.+$")]] = Field(
        None, max_length=200, description='specifications as "attribute:value" slugs; replaces the set'
    )


class ProductsIn(_Strict):
    items: list[ProductIn] = Field(min_length=1, max_length=MAX_ITEMS)
    mode: Mode = Field("all_or_nothing", description="per_item: write the good items, report the bad")


class AttributeOptionIn(_Strict):
    slug: str = Field(
        min_length=1, max_length=140, pattern=r"^[-a-zA-Z0-9_]+$", description="the value's key"
    )
    value: str = Field(None, min_length=1, max_length=120, description="the text; required for a new value")
    sort_order: int = Field(None, ge=-INT_MAX, le=INT_MAX)
    translations: Texts = Field(None, description='{"pl": {"value": "…"}}')


class AttributeIn(_Strict):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(None, min_length=1, max_length=80, description="required for a new attribute")
    unit: str = Field(None, max_length=20)
    is_filterable: bool = None  # type: ignore[assignment]
    sort_order: int = Field(None, ge=-INT_MAX, le=INT_MAX)
    translations: Texts = Field(None, description='{"pl": {"name": "…"}}')
    options: list[AttributeOptionIn] = Field(
        None, max_length=1_000, description="by slug; values not sent stay"
    )


class AttributesIn(_Strict):
    items: list[AttributeIn] = Field(min_length=1, max_length=MAX_ITEMS)
    mode: Mode = "all_or_nothing"


class CategoryIn(_Strict):
    external_id: str = Field(
        min_length=1, max_length=64, description="the category's key in the sender's system"
    )
    name: str = Field(None, min_length=1, max_length=120, description="required for a new category")
    slug: str = Field(
        None, max_length=140, pattern=r"^[-a-zA-Z0-9_]+$", description="made from the name if left out"
    )
    parent: str | None = Field(
        None, max_length=140, description="the parent's external ID or slug; null: top level"
    )
    description: str = Field(None, max_length=20_000)
    sort_order: int = Field(None, ge=-INT_MAX, le=INT_MAX)
    is_active: bool = None  # type: ignore[assignment]
    translations: Texts = Field(None, description='{"pl": {"name": "…", "description": "…"}}')


class CategoriesIn(_Strict):
    items: list[CategoryIn] = Field(min_length=1, max_length=MAX_ITEMS)
    mode: Mode = "all_or_nothing"


class PriceListIn(_Strict):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$", description="the list's key")
    name: str = Field(None, min_length=1, max_length=120, description="required for a new list")
    currency: str = Field(None, description="required for a new list")
    priority: int = Field(None, ge=-INT_MAX, le=INT_MAX, description="a higher number is tried first")
    valid_from: date | None = None
    valid_until: date | None = None
    is_active: bool = None  # type: ignore[assignment]
    customer_groups: list[str] = Field(None, max_length=200, description="group codes; replaces the set")
    companies: list[str] = Field(
        None, max_length=1_000, description="companies' external IDs; replaces the set"
    )

    @field_validator("currency")
    @classmethod
    def known_currency(cls, value: str) -> str:
        return _currency(value)


class PriceListsIn(_Strict):
    items: list[PriceListIn] = Field(min_length=1, max_length=MAX_ITEMS)
    mode: Mode = "all_or_nothing"


class EntryIn(_Strict):
    sku: str = Field(min_length=1, max_length=64)
    min_quantity: int = Field(1, ge=1, le=INT_MAX, description="from this many units")
    price: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="a net price, or…")
    discount_percent: Decimal | None = Field(
        None, ge=0, le=100, max_digits=5, decimal_places=2, description="…a discount"
    )
    remove: bool = Field(False, description="true: take the entry out of the list")


class EntriesIn(_Strict):
    items: list[EntryIn] = Field(min_length=1, max_length=MAX_ITEMS)
    mode: Mode = "all_or_nothing"


class StockLevelIn(StockIn):
    sku: str = Field(min_length=1, max_length=64)


class StockLevelsIn(_Strict):
    items: list[StockLevelIn] = Field(min_length=1, max_length=MAX_ITEMS)
    mode: Mode = "all_or_nothing"


class ListPriceIn(PriceIn):
    sku: str = Field(min_length=1, max_length=64)


class ListPricesIn(_Strict):
    items: list[ListPriceIn] = Field(min_length=1, max_length=MAX_ITEMS)
    mode: Mode = "all_or_nothing"
