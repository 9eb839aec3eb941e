"""Reference data (roles, languages, the site's name) is written by
portal.accounts.reference_data after every migrate, so it also comes back after test runs
that empty the tables. This migration is kept, empty, because later migrations depend on it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = []
