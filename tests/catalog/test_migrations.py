"""Migrations that keep what earlier ones built: the SQLite search triggers survive later
changes of the product table (a rebuilt table would drop them and search would find nothing
new)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_search_triggers_are_there_after_every_migration():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL searches a GIN index, no triggers")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA compile_options")
        if "ENABLE_FTS5" not in {row[0] for row in cursor.fetchall()}:
            pytest.skip("this SQLite has no FTS5: search falls back to LIKE")
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'catalog_product'"
        )
        assert {row[0] for row in cursor.fetchall()} == {
            "catalog_product_fts_ai",
            "catalog_product_fts_ad",
            "catalog_product_fts_au",
        }
