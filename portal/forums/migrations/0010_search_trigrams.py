"""pg_trgm and a trigram GIN index on topic titles, on PostgreSQL only: search finds a title
whose words are a little misspelt in the query ("timout" finds "Timeout or ban …") through
pg_trgm's word-similarity operator, which this index serves.

TrigramExtension does nothing on SQLite (the laptop's search has no typo matching); the index
is created by hand for the same reason as 0002's.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "forums_topic_title_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON forums_topic USING gin (title gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("forums", "0008_clean_control_characters")]

    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
