"""Products, variants, list prices and stock written in bulk by an ERP or PIM, keyed by the
sender's own IDs (the product's ``external_id``, the variant's SKU, the warehouse's code).

One call carries up to ``MAX_ITEMS`` products. Everything is read before the write
transaction (the batch's own products, variants, prices and stock rows: indexed lookups
bounded by the batch, never the catalog), every item is checked, and only then is anything
written — all or nothing unless the caller asks for each item on its own. A field that is not
sent is left as it is; a value already there is not written again, so the same payload twice
changes nothing: no ``updated_at``, no stock movement, no audit entry.
"""

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tandem.catalog.models import Attribute, AttributeOption, Category, Product, ProductImage, Variant
from tandem.catalog.services import (
    category_tree_rebuild,
    product_changed_publish,
    products_reindex,
    search_text_for,
)
from tandem.catalog.tasks import reindex_products_with_attribute
from tandem.catalog.validators import validate_gtin
from tandem.core.audit import audit_record
from tandem.core.catalog_cache import catalog_cache_clear
from tandem.core.errors import DomainError, NotFound
from tandem.core.events import event_publish
from tandem.core.images import ImageProblem, image_extension
from tandem.core.translation import translation_problems, translations_merged
from tandem.core.upserts import CREATED, UNCHANGED, UPDATED, ItemResult, UpsertReport, first_of_each
from tandem.customers.models import Company, CustomerGroup
from tandem.inventory.errors import StockError
from tandem.inventory.models import StockItem, Warehouse
from tandem.inventory.services import StockLevel, stock_count_check, stock_levels_set
from tandem.pricing.list_prices import ListPrice, list_prices_set
from tandem.pricing.models import BasePrice, PriceList, PriceListEntry, TaxClass

MAX_ITEMS = 1_000
PRODUCT_FIELDS = (
    "name",
    "slug",
    "description",
    "brand",
    "visibility",
    "b2b_restricted",
    "allow_backorder",
    "is_active",
)
VARIANT_FIELDS = (
    "gtin",
    "name",
    "unit",
    "pack_size",
    "weight_kg",
    "min_quantity",
    "max_quantity",
    "quantity_step",
    "cost_price",
    "sort_order",
    "is_active",
)


class _Rollback(Exception):
    """A stock level refused under the row lock in an all-or-nothing batch."""


@dataclass(slots=True)
class _Plan:
    """What the batch found in the database (read before the write transaction)."""

    products: dict[str, Product]
    categories: dict[str, int]
    tax_classes: dict[str, int]
    warehouses: dict[str, int]
    variants: dict[str, Variant]
    prices: dict[tuple[int, str, str], Decimal]
    stock: dict[tuple[int, int], tuple[int, int]]  # (variant, warehouse) → (on hand, reserved)
    slugs: dict[str, int]  # slug → product id, of the slugs this batch would use
    options: dict[str, AttributeOption]  # "attribute:option" → the option named
    product_options: dict[int, set[int]]  # product id → its options now


def _read(items: list[dict[str, Any]]) -> _Plan:
    keys = [item["external_id"] for item in items]
    products = {
        product.external_id: product for product in Product.objects.filter(external_id__in_array=keys)
    }
    references = {item["category"] for item in items if item.get("category")}
    categories: dict[str, int] = {}
    for pk, external_id, slug in Category.objects.filter(
        Q(external_id__in_array=references) | Q(slug__in_array=references)
    ).values_list("pk", "external_id", "slug"):
        categories.setdefault(slug, pk)
        if external_id:
            categories[external_id] = pk  # an external ID wins over a slug that reads the same
    skus = [variant["sku"] for item in items for variant in item.get("variants", [])]
    variants = {variant.sku: variant for variant in Variant.objects.filter(sku__in_array=skus)}
    variant_ids = [variant.pk for variant in variants.values()]
    prices = {
        (variant_id, currency, channel): amount
        for variant_id, currency, channel, amount in BasePrice.objects.filter(
            variant_id__in_array=variant_ids
        ).values_list("variant_id", "currency", "channel", "amount")
    }
    stock = {
        (variant_id, warehouse_id): (on_hand, reserved)
        for variant_id, warehouse_id, on_hand, reserved in StockItem.objects.filter(
            variant_id__in_array=variant_ids
        ).values_list("variant_id", "warehouse_id", "on_hand", "reserved")
    }
    wanted_slugs = {_slug_candidates(item)[0] for item in items} | {
        candidate
        for item in items
        if item["external_id"] not in products
        for candidate in _slug_candidates(item)
    }
    slugs = dict(Product.objects.filter(slug__in_array=wanted_slugs - {""}).values_list("slug", "pk"))
    named = {name for item in items for name in item.get("options", [])}
    codes = {name.partition(":")[0] for name in named}
    options = {
        f"{option.attribute.code}:{option.slug}": option
        for option in AttributeOption.objects.filter(attribute__code__in=codes).select_related("attribute")
        if f"{option.attribute.code}:{option.slug}" in named
    }
    product_options: dict[int, set[int]] = {}
    for product_id, option_id in Product.options.through.objects.filter(
        product_id__in_array=[product.pk for product in products.values()]
    ).values_list("product_id", "attributeoption_id"):
        product_options.setdefault(product_id, set()).add(option_id)
    return _Plan(
        products=products,
        categories=categories,
        tax_classes=dict(TaxClass.objects.values_list("code", "pk")),
        warehouses=dict(Warehouse.objects.values_list("code", "pk")),
        variants=variants,
        prices=prices,
        stock=stock,
        slugs=slugs,
        options=options,
        product_options=product_options,
    )


def _slug_candidates(item: dict[str, Any]) -> list[str]:
    """The slug sent, else the name's, else the name's with the external ID."""
    if item.get("slug"):
        return [item["slug"]]
    base = slugify(item.get("name", ""))[:180] or "product"
    return [base, slugify(f"{base}-{item['external_id']}")[:220]]


def _texts(result: ItemResult, path: str, sent: dict[str, dict[str, str]], allowed: Iterable[str]) -> None:
    for where, code, message in translation_problems(sent, tuple(allowed)):
        result.error(f"{path}.{where}", code, message)


def _apply(obj: Any, values: dict[str, Any]) -> list[str]:
    """Set the values that differ; the names of the fields changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


@dataclass(slots=True)
class _Writes:
    """What the checked batch will write."""

    new_products: list[Product] = field(default_factory=list)
    changed_products: dict[int, Product] = field(default_factory=dict)  # by index
    product_fields: set[str] = field(default_factory=set)
    new_variants: list[tuple[int, Variant]] = field(default_factory=list)  # (item index, variant)
    changed_variants: list[Variant] = field(default_factory=list)
    variant_fields: set[str] = field(default_factory=set)
    prices: list[tuple[int, Variant, str, str, Decimal]] = field(default_factory=list)
    stock: list[tuple[int, Variant, int, int]] = field(
        default_factory=list
    )  # item, variant, warehouse, units
    reindex: set[int] = field(default_factory=set)  # item indexes whose search text changes
    options: dict[int, list[AttributeOption]] = field(default_factory=dict)  # item index → its new set


def _check_product(
    index: int, item: dict[str, Any], plan: _Plan, writes: _Writes, slugs_used: Counter
) -> ItemResult:
    result = ItemResult(index=index, key=item["external_id"])
    product = plan.products.get(item["external_id"])
    values = {name: item[name] for name in PRODUCT_FIELDS if name in item and name != "slug"}
    if product is None:
        for name in ("name", "category"):
            if not item.get(name):
                result.error(name, "required", _("A new product needs this field."))
        slug = next(
            (c for c in _slug_candidates(item) if c not in plan.slugs and not slugs_used[c]),
            None,
        )
        if slug is None:
            result.error("slug", "slug_taken", _("Another product has this address; send a slug of its own."))
    else:
        result.id = product.pk
        slug = item.get("slug")
        if slug and plan.slugs.get(slug, product.pk) != product.pk:
            result.error("slug", "slug_taken", _("Another product has this address; send a slug of its own."))
    if slug:
        slugs_used[slug] += 1
        if slugs_used[slug] > 1 and (product is None or item.get("slug")):
            result.error(
                "slug", "slug_repeated", _("Two products of this batch would have the same address.")
            )
        values["slug"] = slug
    if item.get("category"):
        category_id = plan.categories.get(item["category"])
        if category_id is None:
            result.error("category", "category_unknown", _("No category has this external ID or slug."))
        values["category_id"] = category_id
    if "translations" in item:
        _texts(result, "translations", item["translations"], Product.translated_fields)
        values["translations"] = translations_merged(
            product.translations if product else {}, item["translations"]
        )
    chosen = None
    if "options" in item:
        unknown = [name for name in item["options"] if name not in plan.options]
        if unknown:
            result.error(
                "options",
                "option_unknown",
                _("Unknown specifications (attribute:value): %(names)s.") % {"names": ", ".join(unknown)},
            )
        chosen = [plan.options[name] for name in item["options"] if name in plan.options]
    variants = [
        _check_variant(result, position, variant, product, plan, writes)
        for position, variant in enumerate(item.get("variants", []))
    ]
    if product is None and not variants:
        result.error("variants", "required", _("A new product needs at least one variant."))
    if result.errors:
        return result
    options_change = chosen is not None and (
        product is None or {option.pk for option in chosen} != plan.product_options.get(product.pk, set())
    )
    if options_change:
        writes.options[index] = chosen
    if product is None:
        product = Product(external_id=item["external_id"], **values)
        product.search_text = search_text_for(
            product, [variant for variant, *_rest in variants], chosen or []
        )
        writes.new_products.append(product)
        result.status = CREATED
    else:
        changed = _apply(product, values)
        if changed:
            writes.changed_products[index] = product
            writes.product_fields.update(changed)
            if {"name", "description", "brand", "translations"} & set(changed):
                writes.reindex.add(index)
            result.status = UPDATED
    if product.pk is not None and (
        options_change or any(new or changed for _variant, new, changed, _prices, _stock in variants)
    ):
        writes.changed_products[index] = product  # variants and specifications are part of it: its time moves
        result.status = UPDATED
        if options_change:
            writes.reindex.add(index)
    for variant, new, changed, prices, stock in variants:
        if new:
            writes.new_variants.append((index, variant))
            if result.status != CREATED:
                writes.reindex.add(index)
        elif changed:
            writes.changed_variants.append(variant)
            writes.variant_fields.update(changed)
            if {"gtin", "name", "translations"} & set(changed):
                writes.reindex.add(index)
        writes.prices.extend((index, variant, *price) for price in prices)
        writes.stock.extend((index, variant, *level) for level in stock)
        if result.status == UNCHANGED and (new or changed or prices or stock):
            result.status = UPDATED
    return result


def _check_variant(
    result: ItemResult,
    position: int,
    sent: dict[str, Any],
    product: Product | None,
    plan: _Plan,
    writes: _Writes,
) -> tuple[Variant, bool, list[str], list[tuple[str, str, Decimal]], list[tuple[int, int]]]:
    path = f"variants.{position}"
    variant = plan.variants.get(sent["sku"])
    new = variant is None
    if variant is not None and (product is None or variant.product_id != product.pk):
        result.error(f"{path}.sku", "sku_taken", _("This SKU belongs to another product."))
    values = {name: sent[name] for name in VARIANT_FIELDS if name in sent}
    if "tax_class" in sent:
        values["tax_class_id"] = plan.tax_classes.get(sent["tax_class"])
        if values["tax_class_id"] is None:
            result.error(f"{path}.tax_class", "tax_class_unknown", _("No tax class has this code."))
    elif new:
        result.error(f"{path}.tax_class", "required", _("A new variant needs a tax class."))
    if values.get("gtin"):
        try:
            validate_gtin(values["gtin"])
        except ValidationError as error:
            result.error(f"{path}.gtin", "gtin_invalid", error.messages[0])
    minimum = values.get("min_quantity", variant.min_quantity if variant else 1)
    maximum = values.get("max_quantity", variant.max_quantity if variant else None)
    if maximum is not None and maximum < minimum:
        result.error(
            f"{path}.max_quantity",
            "below_minimum",
            _("The maximum cannot be below the minimum order quantity."),
        )
    if "translations" in sent:
        _texts(result, f"{path}.translations", sent["translations"], Variant.translated_fields)
        values["translations"] = translations_merged(
            variant.translations if variant else {}, sent["translations"]
        )
    if variant is None:
        variant = Variant(sku=sent["sku"], **values)
        changed: list[str] = []
    else:
        changed = _apply(variant, values)
    prices = []
    seen = set()
    for number, price in enumerate(sent.get("prices", [])):
        key = (price["currency"], price["channel"])
        if key in seen:
            result.error(
                f"{path}.prices.{number}", "repeated", _("This currency and channel are given twice.")
            )
        seen.add(key)
        if new or plan.prices.get((variant.pk, *key)) != price["amount"]:
            prices.append((*key, price["amount"]))
    stock = []
    for number, level in enumerate(sent.get("stock", [])):
        warehouse_id = plan.warehouses.get(level["warehouse"])
        if warehouse_id is None:
            result.error(
                f"{path}.stock.{number}.warehouse", "warehouse_unknown", _("No warehouse has this code.")
            )
            continue
        on_hand, reserved = plan.stock.get((variant.pk, warehouse_id), (None, 0)) if not new else (None, 0)
        refusal = _count_refusal(level["on_hand"], reserved)
        if refusal is not None:
            result.error(f"{path}.stock.{number}.on_hand", refusal.code, str(refusal.message))
        elif level["on_hand"] != on_hand:
            stock.append((warehouse_id, level["on_hand"]))
    return variant, new, changed, prices, stock


PRODUCT_PERMISSIONS = [
    "catalog.add_product",
    "catalog.change_product",
    "catalog.add_variant",
    "catalog.change_variant",
]
PRICE_PERMISSIONS = ["pricing.add_baseprice", "pricing.change_baseprice"]
STOCK_PERMISSIONS = ["inventory.change_stockitem"]


def products_permissions(items: list[dict[str, Any]]) -> list[str]:
    """The rights writing these products asks of a user, whichever way they come (the API, a
    file import): list prices and stock sent with them need those rights too."""
    variants = [variant for item in items for variant in item.get("variants", [])]
    needed = list(PRODUCT_PERMISSIONS)
    if any("prices" in variant for variant in variants):
        needed += PRICE_PERMISSIONS
    if any("stock" in variant for variant in variants):
        needed += STOCK_PERMISSIONS
    return needed


def _count_refusal(on_hand: int, reserved: int) -> StockError | None:
    """Why this count cannot be booked (the stock service's own rule), checked before writing."""
    try:
        stock_count_check(on_hand=on_hand, reserved=reserved)
    except StockError as error:
        return error
    return None


def products_upsert(
    items: list[dict[str, Any]], *, per_item: bool = False, dry_run: bool = False, actor_id: int | None = None
) -> UpsertReport:
    """Create or change the products of ``items`` (each as sent: only the fields given), with
    their variants, list prices and stock. All or nothing unless ``per_item``: then the good
    items are written and the bad ones reported."""
    plan = _read(items)
    writes = _Writes()
    slugs_used: Counter = Counter()
    results = []
    seen_keys: set[str] = set()
    seen_skus: dict[str, int] = {}
    for index, item in enumerate(items):
        if item["external_id"] in seen_keys:
            result = ItemResult(index=index, key=item["external_id"])
            result.error("external_id", "repeated", _("This external ID is given twice in the batch."))
            results.append(result)
            continue
        seen_keys.add(item["external_id"])
        repeated = [
            position
            for position, variant in enumerate(item.get("variants", []))
            if seen_skus.setdefault(variant["sku"], index * 10_000 + position) != index * 10_000 + position
        ]
        result = ItemResult(index=index, key=item["external_id"])
        for position in repeated:
            result.error(f"variants.{position}.sku", "repeated", _("This SKU is given twice in the batch."))
        results.append(result if repeated else _check_product(index, item, plan, writes, slugs_used))
    report = UpsertReport(items=results)
    if report.errors and not per_item:
        return report
    if dry_run:  # checked only (a file import's first pass)
        return report
    _write(report, writes, actor_id=actor_id)
    return report


def _write(report: UpsertReport, writes: _Writes, *, actor_id: int | None) -> None:
    """Write what the checked items change, in one transaction. A stock level that became
    impossible while the batch was checked (an order reserved the units meanwhile) rolls the
    whole batch back and is reported on its item."""
    done = [result for result in report.items if result.status in (CREATED, UPDATED)]
    if not done:
        report.written = True
        return
    by_index = {result.index: result for result in report.items}
    try:
        with transaction.atomic():
            _write_products(report, writes, by_index)
            _options_write(writes, by_index)
            list_prices_set(
                [
                    ListPrice(v.pk, currency, channel, amount)
                    for _i, v, currency, channel, amount in writes.prices
                ]
            )
            levels = [StockLevel(v.pk, warehouse_id, units) for _i, v, warehouse_id, units in writes.stock]
            refused = stock_levels_set(levels=levels, note="API", actor_id=actor_id).refused
            for position, error in refused.items():
                by_index[writes.stock[position][0]].error("variants", error.code, str(error.message))
            if refused:
                raise _Rollback
            changed = [*writes.new_products, *writes.changed_products.values()]
            created = {product.pk for product in writes.new_products}
            product_changed_publish([(product, product.pk in created) for product in changed], source="api")
            audit_record(
                action="catalog.products_upserted",
                actor_id=actor_id,
                changes={
                    "created": report.count(CREATED),
                    "updated": report.count(UPDATED),
                    "external_ids": [result.key for result in done],
                },
            )
            transaction.on_commit(catalog_cache_clear)
    except _Rollback:
        for result in report.items:
            if result.status == CREATED:
                result.id = None
        return
    # the search text of changed products reads their variants and specifications: after the
    # write transaction, not while it holds the rows (new products got theirs before insert)
    products_reindex(product_ids=[by_index[index].id for index in writes.reindex])
    report.written = True


def _options_write(writes: _Writes, by_index: dict[int, ItemResult]) -> None:
    """Replace the specifications of the products that were sent new ones."""
    if not writes.options:
        return
    through = Product.options.through
    product_ids = [by_index[index].id for index in writes.options]
    through.objects.filter(product_id__in=product_ids).delete()
    through.objects.bulk_create(
        [
            through(product_id=by_index[index].id, attributeoption_id=option.pk)
            for index, options in writes.options.items()
            for option in options
        ],
        batch_size=1000,
    )


def _write_products(report: UpsertReport, writes: _Writes, by_index: dict[int, ItemResult]) -> None:
    Product.objects.bulk_create(writes.new_products, batch_size=500)
    created = iter(writes.new_products)
    for result in report.items:
        if result.status == CREATED:
            result.id = next(created).pk
    if writes.changed_products:
        now = timezone.now()
        for product in writes.changed_products.values():
            product.updated_at = now
        fields = [*sorted(writes.product_fields), "updated_at"]
        Product.objects.bulk_update(list(writes.changed_products.values()), fields, batch_size=500)
    for index, variant in writes.new_variants:
        variant.product_id = by_index[index].id
    Variant.objects.bulk_create([variant for _index, variant in writes.new_variants], batch_size=500)
    if writes.changed_variants:
        Variant.objects.bulk_update(writes.changed_variants, sorted(writes.variant_fields), batch_size=500)


def _by_sku(items: list[dict[str, Any]]) -> tuple[dict[str, int], list[ItemResult]]:
    """SKU → variant id for the items, and a result per item (unknown SKUs as errors)."""
    found = dict(
        Variant.objects.filter(sku__in_array={item["sku"] for item in items}).values_list("sku", "pk")
    )
    results = []
    for index, item in enumerate(items):
        result = ItemResult(index=index, key=item["sku"], id=found.get(item["sku"]))
        if result.id is None:
            result.error("sku", "unknown_sku", _("No variant has this SKU."))
        results.append(result)
    return found, results


def stock_levels_upsert(
    items: list[dict[str, Any]], *, per_item: bool = False, dry_run: bool = False, actor_id: int | None = None
) -> UpsertReport:
    """Set on hand per SKU and warehouse code, as a warehouse system counted it."""
    variants, results = _by_sku(items)
    warehouses = dict(Warehouse.objects.values_list("code", "pk"))
    current = {
        (variant_id, warehouse_id): (on_hand, reserved)
        for variant_id, warehouse_id, on_hand, reserved in StockItem.objects.filter(
            variant_id__in_array=variants.values()
        ).values_list("variant_id", "warehouse_id", "on_hand", "reserved")
    }
    levels, positions, seen = [], [], set()
    for item, result in zip(items, results, strict=True):
        warehouse_id = warehouses.get(item["warehouse"])
        if warehouse_id is None:
            result.error("warehouse", "warehouse_unknown", _("No warehouse has this code."))
        if result.errors:
            continue
        key = (result.id, warehouse_id)
        if key in seen:
            result.error("sku", "repeated", _("This SKU and warehouse are given twice in the batch."))
            continue
        seen.add(key)
        on_hand, reserved = current.get(key, (None, 0))
        refusal = _count_refusal(item["on_hand"], reserved)
        if refusal is not None:
            result.error("on_hand", refusal.code, str(refusal.message))
        elif item["on_hand"] != on_hand:
            result.status = CREATED if on_hand is None else UPDATED
            levels.append(StockLevel(result.id, warehouse_id, item["on_hand"]))
            positions.append(result)
    report = UpsertReport(items=results)
    if report.errors and not per_item:
        return report
    if dry_run:  # checked only (a file import's first pass)
        return report
    try:
        with transaction.atomic():
            refused = stock_levels_set(levels=levels, note="API", actor_id=actor_id).refused
            for position, error in refused.items():
                positions[position].error("on_hand", error.code, str(error.message))
            if refused:
                raise _Rollback
    except _Rollback:
        return report
    report.written = True
    return report


def list_prices_upsert(
    items: list[dict[str, Any]], *, per_item: bool = False, dry_run: bool = False, actor_id: int | None = None
) -> UpsertReport:
    """Set list prices per SKU, currency and channel."""
    variants, results = _by_sku(items)
    current = {
        (variant_id, currency, channel): amount
        for variant_id, currency, channel, amount in BasePrice.objects.filter(
            variant_id__in_array=variants.values()
        ).values_list("variant_id", "currency", "channel", "amount")
    }
    prices, seen = [], set()
    for item, result in zip(items, results, strict=True):
        if result.errors:
            continue
        key = (result.id, item["currency"], item["channel"])
        if key in seen:
            result.error("sku", "repeated", _("This SKU, currency and channel are given twice in the batch."))
            continue
        seen.add(key)
        if current.get(key) != item["amount"]:
            result.status = CREATED if key not in current else UPDATED
            prices.append(ListPrice(result.id, item["currency"], item["channel"], item["amount"]))
    report = UpsertReport(items=results)
    if report.errors and not per_item:
        return report
    if dry_run:  # checked only (a file import's first pass)
        return report
    with transaction.atomic():
        if list_prices_set(prices):
            audit_record(
                action="pricing.list_prices_set",
                actor_id=actor_id,
                changes={
                    "prices": [f"{p.variant_id} {p.currency} {p.channel} {p.amount}" for p in prices][:1000]
                },
            )
    report.written = True
    return report


CATEGORY_FIELDS = ("name", "description", "sort_order", "is_active")


def categories_upsert(
    items: list[dict[str, Any]], *, per_item: bool = False, actor_id: int | None = None
) -> UpsertReport:
    """Create or change categories by ``external_id``, in the order sent (a parent sent
    before its children in the same batch may be named by them). ``parent`` is a category's
    external ID or slug, or null for the top level; a parent below the category itself is
    refused. Categories number in the hundreds: the whole tree is read before the write."""
    tree = {pk: parent_id for pk, parent_id in Category.objects.values_list("pk", "parent_id")}
    by_key: dict[str, Category] = {}
    for category in Category.objects.all():
        by_key.setdefault(category.slug, category)
        if category.external_id:
            by_key[category.external_id] = category
    existing = {c.external_id: c for c in by_key.values() if c.external_id}
    slugs = {category.slug for category in by_key.values()}
    results, planned = [], []  # planned: (result, category, parent key or None, changed fields)
    for index, item in enumerate(items):
        result = ItemResult(index=index, key=item["external_id"])
        results.append(result)
        category = existing.get(item["external_id"])
        if any(other.key == result.key for other in results[:-1]):
            result.error("external_id", "repeated", _("This external ID is given twice in the batch."))
            continue
        values = {name: item[name] for name in CATEGORY_FIELDS if name in item}
        if "translations" in item:
            _texts(result, "translations", item["translations"], Category.translated_fields)
            values["translations"] = translations_merged(
                category.translations if category else {}, item["translations"]
            )
        if category is None:
            if not item.get("name"):
                result.error("name", "required", _("A new category needs a name."))
            slug = item.get("slug") or slugify(item.get("name", ""))[:140] or "category"
            if slug in slugs and not item.get("slug"):
                slug = slugify(f"{slug}-{item['external_id']}")[:140]
            if slug in slugs:
                result.error(
                    "slug", "slug_taken", _("Another category has this address; send a slug of its own.")
                )
            slugs.add(slug)
            values["slug"] = slug
            category = Category(external_id=item["external_id"])
        elif item.get("slug") and item["slug"] != category.slug:
            if item["slug"] in slugs:
                result.error(
                    "slug", "slug_taken", _("Another category has this address; send a slug of its own.")
                )
            values["slug"] = item["slug"]
            slugs.add(item["slug"])
        parent = None
        if item.get("parent"):
            parent = by_key.get(item["parent"])
            if parent is None:
                result.error("parent", "category_unknown", _("No category has this external ID or slug."))
            elif category.pk and _below(parent, category, tree):
                result.error(
                    "parent",
                    "parent_cycle",
                    _("A category cannot be placed inside itself or its subcategories."),
                )
        if result.errors:
            continue
        changed = _apply(category, values)
        parent_id = parent.pk if parent is not None else None
        moved = parent_id != category.parent_id or (parent is not None and parent.pk is None)
        if "parent" in item and moved:
            category.parent = parent
            changed.append("parent")
        if category.pk is None:
            result.status = CREATED
        elif changed:
            result.status = UPDATED
            tree[category.pk] = category.parent_id
        else:
            continue
        by_key[item["external_id"]] = category
        planned.append((result, category))
    report = UpsertReport(items=results)
    if report.errors and not per_item:
        return report
    with transaction.atomic():
        for result, category in planned:
            category.save()  # in the order sent: a parent made earlier in the batch has its id
            result.id = category.pk
        if planned:
            category_tree_rebuild()
            audit_record(
                action="catalog.categories_upserted",
                actor_id=actor_id,
                changes={"external_ids": [result.key for result, _category in planned]},
            )
    report.written = True
    return report


def _below(parent: Category, category: Category, tree: dict[int, int | None]) -> bool:
    """Whether ``parent`` is ``category`` or one of its subcategories (by the tree as read)."""
    node: int | None = parent.pk
    while node is not None:
        if node == category.pk:
            return True
        node = tree.get(node)
    return False


PRICE_LIST_FIELDS = ("name", "currency", "priority", "valid_from", "valid_until", "is_active")


def price_lists_upsert(
    items: list[dict[str, Any]], *, per_item: bool = False, actor_id: int | None = None
) -> UpsertReport:
    """Create or change price lists by ``code`` with who they are for: ``customer_groups``
    (codes) and ``companies`` (the ERP's customer numbers), each set replaced when sent."""
    lists = {row.code: row for row in PriceList.objects.filter(code__in=[item["code"] for item in items])}
    group_codes = {code for item in items for code in item.get("customer_groups", [])}
    groups = dict(CustomerGroup.objects.filter(code__in=group_codes).values_list("code", "pk"))
    company_keys = {key for item in items for key in item.get("companies", [])}
    companies = dict(Company.objects.filter(external_id__in=company_keys).values_list("external_id", "pk"))
    current_groups: dict[int, set[int]] = {}
    current_companies: dict[int, set[int]] = {}
    for list_id, group_id in PriceList.customer_groups.through.objects.filter(
        pricelist_id__in=[row.pk for row in lists.values()]
    ).values_list("pricelist_id", "customergroup_id"):
        current_groups.setdefault(list_id, set()).add(group_id)
    for list_id, company_id in PriceList.companies.through.objects.filter(
        pricelist_id__in=[row.pk for row in lists.values()]
    ).values_list("pricelist_id", "company_id"):
        current_companies.setdefault(list_id, set()).add(company_id)
    results: list[ItemResult] = []
    planned = []
    for item, result in first_of_each(items, "code", results):
        price_list = lists.get(item["code"])
        if price_list is None:
            for name in ("name", "currency"):
                if not item.get(name):
                    result.error(name, "required", _("A new price list needs this field."))
            price_list = PriceList(code=item["code"])
        values = {name: item[name] for name in PRICE_LIST_FIELDS if name in item}
        start = values.get("valid_from", price_list.valid_from)
        end = values.get("valid_until", price_list.valid_until)
        if start and end and end < start:
            result.error("valid_until", "before_start", _("A price list cannot end before it starts."))
        wanted_groups = wanted_companies = None
        if "customer_groups" in item:
            unknown = [code for code in item["customer_groups"] if code not in groups]
            if unknown:
                result.error("customer_groups", "customer_group_unknown", ", ".join(unknown))
            wanted_groups = {groups[code] for code in item["customer_groups"] if code in groups}
        if "companies" in item:
            unknown = [key for key in item["companies"] if key not in companies]
            if unknown:
                result.error("companies", "company_unknown", ", ".join(unknown))
            wanted_companies = {companies[key] for key in item["companies"] if key in companies}
        if result.errors:
            continue
        changed = _apply(price_list, values)
        groups_change = wanted_groups is not None and wanted_groups != current_groups.get(
            price_list.pk, set()
        )
        companies_change = wanted_companies is not None and wanted_companies != current_companies.get(
            price_list.pk, set()
        )
        if price_list.pk is None:
            result.status = CREATED
        elif changed or groups_change or companies_change:
            result.status = UPDATED
        else:
            result.id = price_list.pk
            continue
        planned.append(
            (
                result,
                price_list,
                wanted_groups if groups_change or price_list.pk is None else None,
                wanted_companies if companies_change or price_list.pk is None else None,
            )
        )
    report = UpsertReport(items=results)
    if report.errors and not per_item:
        return report
    with transaction.atomic():
        for result, price_list, wanted_groups, wanted_companies in planned:
            price_list.save()
            result.id = price_list.pk
            if wanted_groups is not None:
                price_list.customer_groups.set(wanted_groups)
            if wanted_companies is not None:
                price_list.companies.set(wanted_companies)
            event_publish("price_list.changed", {"price_list_id": price_list.pk, "source": "api"})
        if planned:
            audit_record(
                action="price_list.upserted",
                actor_id=actor_id,
                changes={"codes": [result.key for result, *_rest in planned]},
            )
            transaction.on_commit(catalog_cache_clear)
    report.written = True
    return report


def price_list_entries_upsert(
    code: str, items: list[dict[str, Any]], *, per_item: bool = False, actor_id: int | None = None
) -> UpsertReport:
    """Set a price list's entries per SKU and from-quantity: a net ``price`` or a
    ``discount_percent`` off the list price (one of the two), or ``remove``. NotFound for an
    unknown list."""
    price_list = PriceList.objects.filter(code=code).first()
    if price_list is None:
        raise NotFound(_("No price list has this code."))
    variants, results = _by_sku(items)
    existing = {
        (entry.variant_id, entry.min_quantity): entry
        for entry in PriceListEntry.objects.filter(
            price_list=price_list, variant_id__in_array=variants.values()
        )
    }
    created, changed, removed, seen = [], [], [], set()
    for item, result in zip(items, results, strict=True):
        key = (result.id, item.get("min_quantity", 1))
        result.key = f"{item['sku']}@{key[1]}"
        if result.errors:
            continue
        if key in seen:
            result.error("sku", "repeated", _("This SKU and quantity are given twice in the batch."))
            continue
        seen.add(key)
        entry = existing.get(key)
        if item.get("remove"):
            if entry is not None:
                removed.append(entry.pk)
                result.status = UPDATED
            continue
        price, discount = item.get("price"), item.get("discount_percent")
        if (price is None) == (discount is None):
            result.error("price", "price_or_discount", _("Give a net price or a discount, one of the two."))
            continue
        if entry is None:
            created.append(
                PriceListEntry(
                    price_list=price_list,
                    variant_id=key[0],
                    min_quantity=key[1],
                    price=price,
                    discount_percent=discount,
                )
            )
            result.status = CREATED
        elif (entry.price, entry.discount_percent) != (price, discount):
            entry.price, entry.discount_percent = price, discount
            changed.append(entry)
            result.status = UPDATED
    report = UpsertReport(items=results)
    if report.errors and not per_item:
        return report
    with transaction.atomic():
        PriceListEntry.objects.bulk_create(created, batch_size=1000)
        PriceListEntry.objects.bulk_update(changed, ["price", "discount_percent"], batch_size=1000)
        PriceListEntry.objects.filter(pk__in=removed).delete()
        if created or changed or removed:
            counts = {"created": len(created), "updated": len(changed), "removed": len(removed)}
            audit_record(
                action="price_list.entries_set", actor_id=actor_id, target=price_list, changes=counts
            )
            event_publish("price_list.changed", {"price_list_id": price_list.pk, "source": "api", **counts})
            transaction.on_commit(catalog_cache_clear)
    report.written = True
    return report


ATTRIBUTE_FIELDS = ("name", "unit", "is_filterable", "sort_order")


def attributes_upsert(
    items: list[dict[str, Any]], *, per_item: bool = False, actor_id: int | None = None
) -> UpsertReport:
    """Create or change attributes (specifications, filters) by ``code`` with their values
    by ``slug`` (values not sent stay); products then name them as ``code:slug``."""
    attributes = {
        row.code: row for row in Attribute.objects.filter(code__in=[item["code"] for item in items])
    }
    options = {
        (option.attribute_id, option.slug): option
        for option in AttributeOption.objects.filter(attribute__in=attributes.values())
    }
    results: list[ItemResult] = []
    planned = []  # (result, attribute, [options to save])
    for item, result in first_of_each(items, "code", results):
        attribute = attributes.get(item["code"])
        if attribute is None and not item.get("name"):
            result.error("name", "required", _("A new attribute needs a name."))
        if "translations" in item:
            _texts(result, "translations", item["translations"], Attribute.translated_fields)
        attribute = attribute or Attribute(code=item["code"])
        values = {name: item[name] for name in ATTRIBUTE_FIELDS if name in item}
        if "translations" in item:
            values["translations"] = translations_merged(attribute.translations, item["translations"])
        saves, seen = [], set()
        for position, sent in enumerate(item.get("options", [])):
            if sent["slug"] in seen:
                result.error(
                    f"options.{position}.slug", "repeated", _("This key is given twice in the batch.")
                )
                continue
            seen.add(sent["slug"])
            option = options.get((attribute.pk, sent["slug"])) if attribute.pk else None
            if option is None and not sent.get("value"):
                result.error(f"options.{position}.value", "required", _("A new value needs its text."))
                continue
            option = option or AttributeOption(slug=sent["slug"])
            option_values = {name: sent[name] for name in ("value", "sort_order") if name in sent}
            if "translations" in sent:
                _texts(result, f"options.{position}.translations", sent["translations"], ("value",))
                option_values["translations"] = translations_merged(option.translations, sent["translations"])
            if _apply(option, option_values) or option.pk is None:
                saves.append(option)
        if result.errors:
            continue
        changed = _apply(attribute, values)
        if attribute.pk is None:
            result.status = CREATED
        elif changed or saves:
            result.status = UPDATED
        else:
            result.id = attribute.pk
            continue
        planned.append((result, attribute, saves))
    report = UpsertReport(items=results)
    if report.errors and not per_item:
        return report
    with transaction.atomic():
        for result, attribute, saves in planned:
            attribute.save()
            result.id = attribute.pk
            for option in saves:
                option.attribute = attribute
                option.save()
        if planned:
            audit_record(
                action="catalog.attributes_upserted",
                actor_id=actor_id,
                changes={"codes": [result.key for result, *_rest in planned]},
            )
            changed_ids = [attribute.pk for _result, attribute, _saves in planned]
            transaction.on_commit(catalog_cache_clear)
            transaction.on_commit(
                lambda: [reindex_products_with_attribute.enqueue(attribute_id=pk) for pk in changed_ids],
                robust=True,
            )
    report.written = True
    return report


MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE = 6000
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def product_image_add(
    *, external_id: str, content: bytes, alt: str = "", sort_order: int = 0, actor_id: int | None = None
) -> ProductImage:
    """Add a photo to the product with this external ID (JPEG, PNG or WebP, decoded in full
    before it is kept); DomainError saying what is wrong, NotFound for an unknown product."""
    product = Product.objects.filter(external_id=external_id).first()
    if product is None:
        raise NotFound(_("No product has this external ID."))
    if not content:
        raise DomainError(_("Choose an image file."), code="image_missing", field="file")
    if len(content) > MAX_IMAGE_BYTES:
        raise DomainError(_("An image must be at most 10 MB."), code="image_too_large", field="file")
    try:
        extension = image_extension(content, formats=IMAGE_FORMATS, max_side=MAX_IMAGE_SIDE)
    except ImageProblem as problem:
        message = (
            _("An image must be at most 6000 × 6000 pixels.")
            if problem.code == "too_big"
            else _("An image must be a JPEG, PNG or WebP file.")
        )
        raise DomainError(message, code=f"image_{problem.code}", field="file") from problem
    with transaction.atomic():
        image = ProductImage(product=product, alt=alt[:200], sort_order=sort_order)
        image.image.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
        image.save()
        Product.objects.filter(pk=product.pk).update(updated_at=timezone.now())
        audit_record(
            action="catalog.image_added", actor_id=actor_id, target=product, changes={"image": image.pk}
        )
        transaction.on_commit(catalog_cache_clear)
    return image


def product_image_remove(*, external_id: str, image_id: int, actor_id: int | None = None) -> None:
    """Take a photo off the product with this external ID (the file goes after commit)."""
    image = ProductImage.objects.filter(product__external_id=external_id, pk=image_id).first()
    if image is None:
        raise NotFound()
    with transaction.atomic():
        storage, name = image.image.storage, image.image.name
        image.delete()
        Product.objects.filter(pk=image.product_id).update(updated_at=timezone.now())
        audit_record(action="catalog.image_removed", actor_id=actor_id, changes={"image": image_id})
        transaction.on_commit(catalog_cache_clear)
        transaction.on_commit(lambda: storage.delete(name), robust=True)
