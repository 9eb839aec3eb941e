from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ForumsConfig(AppConfig):
    name = "portal.forums"
    label = "forums"
    verbose_name = "Forums"

    def ready(self) -> None:
        from portal.forums.reference_data import ensure_reference_data

        # Sent after accounts' own (INSTALLED_APPS order), so the roles exist.
        post_migrate.connect(ensure_reference_data, sender=self)
