"""Seed the role taxonomy, the language list and the site's name (used in allauth's emails)."""

from django.conf import settings
from django.db import migrations


def seed(apps, schema_editor):
    from portal.accounts.roles import LANGUAGES, ROLES

    Role = apps.get_model("accounts", "Role")
    Language = apps.get_model("accounts", "Language")
    for order, (slug, name, description) in enumerate(ROLES, start=1):
        Role.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )
    for code, name in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name})

    Site = apps.get_model("sites", "Site")
    domain = settings.SITE_URL.split("://", 1)[-1]
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
