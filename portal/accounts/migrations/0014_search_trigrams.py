"""Trigram GIN indexes for the moderator directory's search, on PostgreSQL only: each word is
looked for anywhere in a profile's stored search text and in usernames (``LIKE '%word%'``, the
username as Django compares it ignoring case, ``UPPER(username::text)``), which pg_trgm's
indexes serve, so a search reads the people holding the word instead of all of them. Created
by hand, as forums' 0010 is, since SQLite has no GIN indexes; the extension is enabled by
guides' 0007.
"""

from django.db import migrations

INDEXES = {
    "profile_search_trgm": "accounts_profile USING gin (search_text gin_trgm_ops)",
    "user_username_upper_trgm": "accounts_user USING gin (upper(username::text) gin_trgm_ops)",
}


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
        ("accounts", "0013_search_text"),
        ("guides", "0007_search_trigrams"),
    ]

    operations = [migrations.RunPython(create, drop)]
