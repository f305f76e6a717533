"""Full-text index for product search on SQLite: an FTS5 table kept in step with
``catalog_product.search_text`` by triggers (PostgreSQL uses the GIN index of 0003)."""

from django.db import migrations

STATEMENTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_product_fts USING fts5("
    "search_text, content='catalog_product', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS catalog_product_fts_ai AFTER INSERT ON catalog_product BEGIN "
    "INSERT INTO catalog_product_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS catalog_product_fts_ad AFTER DELETE ON catalog_product BEGIN "
    "INSERT INTO catalog_product_fts(catalog_product_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS catalog_product_fts_au AFTER UPDATE OF search_text ON catalog_product "
    "BEGIN INSERT INTO catalog_product_fts(catalog_product_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO catalog_product_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO catalog_product_fts(catalog_product_fts) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS catalog_product_fts_au",
    "DROP TRIGGER IF EXISTS catalog_product_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_product_fts_ai",
    "DROP TABLE IF EXISTS catalog_product_fts",
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA compile_options")
        if "ENABLE_FTS5" not in {row[0] for row in cursor.fetchall()}:
            return  # no FTS5 in this SQLite build: search falls back to LIKE
    for statement in STATEMENTS:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_product_search_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
