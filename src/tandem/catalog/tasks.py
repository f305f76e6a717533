"""Catalog background work."""

from django_tasks import task

from tandem.catalog.models import Product
from tandem.catalog.services import products_reindex
from tandem.core.catalog_cache import catalog_cache_clear


@task()
def reindex_products_with_attribute(*, attribute_id: int) -> int:
    """After staff rename an attribute or its values, products carrying them are found by the
    new words. Runs in the worker: a common value can sit on tens of thousands of products."""
    ids = Product.objects.filter(options__attribute_id=attribute_id).values_list("pk", flat=True)
    count = products_reindex(product_ids=ids.distinct())
    catalog_cache_clear()
    return count
