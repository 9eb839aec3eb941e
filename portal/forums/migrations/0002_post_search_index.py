"""A GIN index on the posts' stored search vectors, on PostgreSQL only.

Declared here rather than in Post.Meta because SQLite (the laptop's database) has no GIN
indexes: there search falls back to icontains and the column stays empty.
"""

from django.db import migrations

INDEX = "forums_post_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON forums_post USING gin (search_vector)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
