"""A trigram GIN index on the openings' stored search text, on PostgreSQL only: the board's
search looks for each word anywhere in it (``LIKE '%word%'``), which pg_trgm's index serves,
so a search reads the openings holding the word instead of every opening. Created by hand, as
forums' 0010 is, since SQLite has no GIN indexes; the extension is enabled by guides' 0007.
"""

from django.db import migrations

INDEXES = {"board_opening_search_trgm": "board_opening USING gin (search_text gin_trgm_ops)"}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0009_search_text"),
        ("guides", "0007_search_trigrams"),
    ]

    operations = [migrations.RunPython(create, drop)]
