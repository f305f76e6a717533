"""Full-text index for product search on PostgreSQL (SQLite gets an FTS5 table in 0004;
see catalog.selectors.apply_search)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS product_search_fts ON catalog_product "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
)
DROP = "DROP INDEX IF EXISTS product_search_fts"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
