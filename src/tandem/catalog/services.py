"""Catalog writes that keep derived data right: category paths and the search index."""

import re
from collections.abc import Iterable

from django.db import transaction

from tandem.catalog.models import Category, Product
from tandem.core.catalog_cache import catalog_cache_clear
from tandem.core.events import event_publish


def category_tree_rebuild() -> None:
    """Recompute ``path`` and ``depth`` of every category from the parent links.

    Categories number in the hundreds, so one pass over all of them is cheap and keeps
    moves of whole subtrees correct.
    """
    with transaction.atomic():
        categories = list(Category.objects.all())
        by_parent: dict[int | None, list[Category]] = {}
        for category in categories:
            by_parent.setdefault(category.parent_id, []).append(category)
        changed: list[Category] = []

        def walk(parent_id: int | None, prefix: str, depth: int, seen: set[int]) -> None:
            for category in by_parent.get(parent_id, []):
                if category.pk in seen:
                    raise ValueError(f"category {category.pk} is its own ancestor")
                path, new_depth = f"{prefix}{category.pk:06d}.", depth
                if (category.path, category.depth) != (path, new_depth):
                    category.path, category.depth = path, new_depth
                    changed.append(category)
                walk(category.pk, path, depth + 1, seen | {category.pk})

        walk(None, "", 0, set())
        Category.objects.bulk_update(changed, ["path", "depth"], batch_size=500)
    catalog_cache_clear()


def product_changed_publish(changes: Iterable[tuple[Product, bool]], *, source: str) -> None:
    """``product.changed`` for products just created or changed (inside the transaction of the
    change): one event for a whole batch, so a feed of 1,000 products is one webhook, not
    1,000. ``changes``: each product and whether it was created."""
    items = [
        {"id": product.pk, "external_id": product.external_id, "created": created}
        for product, created in changes
    ]
    if items:
        event_publish("product.changed", {"products": items, "source": source})


def search_text_for(product: Product, variants, options) -> str:
    """Everything a shopper may type to find the product, in every language, casefolded."""
    parts = [*product.all_texts(), product.brand]
    for variant in variants:
        parts.extend([variant.sku, variant.gtin, *variant.all_texts()])
    for option in options:
        parts.extend(option.all_texts())
    # Punctuation becomes space so "CORD-145-1" is indexed as the words the query parser
    # makes of it (PostgreSQL would otherwise read "-145" as a negative number).
    return re.sub(r"[^\w]+", " ", " ".join(part for part in parts if part).casefold()).strip()


def product_reindex(*, product_id: int) -> None:
    """Rebuild one product's search text after its texts, variants or options changed."""
    products_reindex(product_ids=[product_id])


def products_reindex(*, product_ids: Iterable[int], batch_size: int = 500) -> int:
    """Rebuild the search text of many products, a batch at a time (three queries each)."""
    ids = list(product_ids)
    for start in range(0, len(ids), batch_size):
        products = list(
            Product.objects.filter(pk__in=ids[start : start + batch_size]).prefetch_related(
                "variants", "options"
            )
        )
        for product in products:
            product.search_text = search_text_for(product, product.variants.all(), product.options.all())
        Product.objects.bulk_update(products, ["search_text"], batch_size=batch_size)
    return len(ids)
