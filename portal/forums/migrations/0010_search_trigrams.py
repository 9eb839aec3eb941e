"""A trigram GIN index on topic titles, on PostgreSQL only: search finds a title whose words
are a little misspelt in the query ("timout" finds "Timeout or ban …") through pg_trgm's
word-similarity operator, which this index serves. The extension itself is enabled by guides'
0007 (the lower floor, which uses it too).

And a GIN index on the opening posts' vectors alone (about one post in twenty): search looks
for topics whose title holds the words however old they are, and for a common word the
whole-table index would return every post using it, to keep the few opening posts.

Both indexes are created by hand for the same reason as 0002's: SQLite has no GIN indexes (and
the laptop's search no typo matching).
"""

from django.db import migrations

INDEXES = {
    "forums_topic_title_trgm": "forums_topic USING gin (title gin_trgm_ops)",
    "forums_post_opening_search_gin": "forums_post USING gin (search_vector) WHERE is_opening",
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
        ("forums", "0009_count_unread_notifications"),
        ("guides", "0007_search_trigrams"),
    ]

    operations = [migrations.RunPython(create, drop)]
