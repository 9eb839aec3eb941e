"""pg_trgm, on PostgreSQL only: search finds a lesson (and, from forums' 0010, a forum topic)
whose title words are a little misspelt in the query ("recognizing", "burnot").

Guides own the extension, being the lower floor; forums' 0010 depends on this migration for
its trigram index. Lesson titles get no index of their own: the lessons are about fifty, and
search reads each one's similarity faster than an index could narrow them.
TrigramExtension does nothing on SQLite, whose search has no typo matching.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("guides", "0006_library_page")]

    operations = [TrigramExtension()]
