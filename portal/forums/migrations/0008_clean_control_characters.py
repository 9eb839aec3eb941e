"""Text stored before forms refused control characters, cleaned (portal/core/text.py)."""

from functools import partial

from django.db import migrations

from portal.core.text import clean_stored_text


class Migration(migrations.Migration):
    dependencies = [("forums", "0007_versions_and_reaction_counts")]

    operations = [
        migrations.RunPython(
            partial(clean_stored_text, app_label="forums"), migrations.RunPython.noop
        ),
    ]
