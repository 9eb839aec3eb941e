"""pg_trgm and a trigram GIN index on lesson titles, on PostgreSQL only: search finds a lesson
whose title words are a little misspelt in the query ("recognizing", "autmod").

TrigramExtension does nothing on SQLite (the laptop's search has no typo matching); the index
is created by hand because SQLite has no GIN indexes (as forums' 0002 does).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "guides_lesson_title_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON guides_lesson USING gin (title gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("guides", "0006_library_page")]

    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
