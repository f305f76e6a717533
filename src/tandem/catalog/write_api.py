"""The catalog write API for an ERP, PIM or WMS: products with their variants, list prices and
stock, upserted by the sender's own keys, up to 1,000 items a call (docs/integrations.md).

A field that is not sent stays as it is (``null`` clears only the fields that may be empty);
each item gets its own result. Merchant staff with the catalog's rights, through a key with
``catalog:write`` (``prices:write`` / ``stock:write`` for prices and stock, inline or alone).
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from tandem.catalog.upserts import (
    categories_upsert,
    list_prices_upsert,
    price_list_entries_upsert,
    price_lists_upsert,
    products_upsert,
    stock_levels_upsert,
)
from tandem.catalog.write_schemas import (
    CategoriesIn,
    EntriesIn,
    ListPricesIn,
    PriceListsIn,
    ProductsIn,
    StockLevelsIn,
)
from tandem.core.errors import PermissionDenied
from tandem.core.upserts import UpsertOut, upsert_answer
from tandem.customers.api_auth import scope_require, user_auth

router = Router(tags=["catalog write"], auth=user_auth)


def _staff(request: HttpRequest, *permissions: str) -> None:
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perms(permissions)):
        raise PermissionDenied(_("Only merchant staff with the catalog's rights may write it."))


@router.put("/products", response={200: UpsertOut})
def products_put(request: HttpRequest, payload: ProductsIn):
    """Create or change products by ``external_id`` with their variants (by SKU), list prices
    and stock. Only the fields sent change; the same payload twice changes nothing. All or
    nothing (422 ``batch_invalid`` listing each bad item's index and field) unless ``mode`` is
    ``per_item``."""
    items = [item.model_dump(exclude_unset=True) for item in payload.items]
    variants = [variant for item in items for variant in item.get("variants", [])]
    permissions = [
        "catalog.add_product",
        "catalog.change_product",
        "catalog.add_variant",
        "catalog.change_variant",
    ]
    if any("prices" in variant for variant in variants):
        scope_require(request, "prices:write")
        permissions += ["pricing.add_baseprice", "pricing.change_baseprice"]
    if any("stock" in variant for variant in variants):
        scope_require(request, "stock:write")
        permissions += ["inventory.change_stockitem"]
    _staff(request, *permissions)
    return upsert_answer(
        products_upsert(items, per_item=payload.mode == "per_item", actor_id=request.user.pk)
    )


@router.put("/categories", response={200: UpsertOut})
def categories_put(request: HttpRequest, payload: CategoriesIn):
    """Create or change categories by ``external_id``, in the order sent (a parent first,
    then its children may name it). Only the fields sent change."""
    _staff(request, "catalog.add_category", "catalog.change_category")
    items = [item.model_dump(exclude_unset=True) for item in payload.items]
    return upsert_answer(
        categories_upsert(items, per_item=payload.mode == "per_item", actor_id=request.user.pk)
    )


@router.put("/price-lists", response={200: UpsertOut})
def price_lists_put(request: HttpRequest, payload: PriceListsIn):
    """Create or change price lists by ``code`` and who they are for (customer groups by
    code, companies by the ERP's customer number; each set replaced when sent)."""
    _staff(request, "pricing.add_pricelist", "pricing.change_pricelist")
    items = [item.model_dump(exclude_unset=True) for item in payload.items]
    return upsert_answer(
        price_lists_upsert(items, per_item=payload.mode == "per_item", actor_id=request.user.pk)
    )


@router.put("/price-lists/{code}/entries", response={200: UpsertOut})
def price_list_entries_put(request: HttpRequest, code: str, payload: EntriesIn):
    """Set a list's entries per SKU and from-quantity: a net ``price`` or a
    ``discount_percent``, or ``remove``; entries not sent stay."""
    _staff(
        request,
        "pricing.add_pricelistentry",
        "pricing.change_pricelistentry",
        "pricing.delete_pricelistentry",
    )
    items = [item.model_dump() for item in payload.items]
    report = price_list_entries_upsert(
        code[:40], items, per_item=payload.mode == "per_item", actor_id=request.user.pk
    )
    return upsert_answer(report)


@router.put("/stock-levels", response={200: UpsertOut})
def stock_levels_put(request: HttpRequest, payload: StockLevelsIn):
    """Set on hand per SKU and warehouse code, as counted by the warehouse system; each
    difference is booked as a stock count. Refused below the units reserved for orders."""
    _staff(request, "inventory.change_stockitem")
    items = [item.model_dump() for item in payload.items]
    return upsert_answer(
        stock_levels_upsert(items, per_item=payload.mode == "per_item", actor_id=request.user.pk)
    )


@router.put("/list-prices", response={200: UpsertOut})
def list_prices_put(request: HttpRequest, payload: ListPricesIn):
    """Set list prices per SKU, currency and channel (gross for b2c, net for b2b)."""
    _staff(request, "pricing.add_baseprice", "pricing.change_baseprice")
    items = [item.model_dump() for item in payload.items]
    return upsert_answer(
        list_prices_upsert(items, per_item=payload.mode == "per_item", actor_id=request.user.pk)
    )
