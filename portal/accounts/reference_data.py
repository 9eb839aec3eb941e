"""Rows every Modhall database must have: the role taxonomy, the language list, the site.

They are written after every migrate (the post_migrate signal, as Django itself does for the
default site and permissions), not by a data migration, because test runs that empty every
table (browser journeys, real workers) emit post_migrate afterwards and so get them back.
Idempotent: it only updates what differs.
"""

from __future__ import annotations

from django.conf import settings

from portal.accounts.roles import LANGUAGES, ROLES


def ensure_reference_data(**kwargs) -> None:
    from django.contrib.sites.models import Site

    from portal.accounts.models import Language, Role

    for order, (slug, name, description) in enumerate(ROLES, start=1):
        Role.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )
    for code, name in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name})
    domain = settings.SITE_URL.split("://", 1)[-1]
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
    )
    Site.objects.clear_cache()
