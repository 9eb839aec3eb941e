from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = "People and profiles"

    def ready(self) -> None:
        from portal.accounts import signals  # noqa: F401  (connects allauth's signals)
        from portal.accounts.reference_data import ensure_reference_data

        post_migrate.connect(ensure_reference_data, sender=self)
