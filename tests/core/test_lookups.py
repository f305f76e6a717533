"""``__in_array`` finds what ``__in`` finds, on SQLite and on PostgreSQL (one array there)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.catalog.models import Variant
from tandem.inventory.models import StockItem
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def test_in_array_finds_what_in_finds_for_texts_keys_and_foreign_keys():
    variants = [make_product(f"P{n}", stock=5).variants.get() for n in range(3)]
    skus = [variants[0].sku, variants[2].sku, "NO-SUCH-SKU", variants[0].sku]
    ids = [variants[1].pk, variants[2].pk, 10**12]

    for lookup, values, model in (
        ("sku", skus, Variant),
        ("pk", ids, Variant),
        ("variant_id", ids, StockItem),
        ("sku", [], Variant),
        ("sku", {variants[1].sku, None}, Variant),
    ):
        expected = set(model.objects.filter(**{f"{lookup}__in": values}).values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            got = set(model.objects.filter(**{f"{lookup}__in_array": values}).values_list("pk", flat=True))
        assert got == expected, lookup
        if connection.vendor == "postgresql" and values:
            assert "= ANY(" in queries.captured_queries[0]["sql"]
