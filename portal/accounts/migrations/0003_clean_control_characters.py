"""Text stored before forms refused control characters, cleaned (portal/core/text.py)."""

from functools import partial

from django.db import migrations

from portal.core.text import clean_stored_text


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_seed_roles_languages_site")]

    operations = [
        migrations.RunPython(
            partial(clean_stored_text, app_label="accounts"), migrations.RunPython.noop
        ),
    ]
