from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = "People and profiles"

    def ready(self) -> None:
        from portal.accounts import signals  # noqa: F401  (connects allauth's signals)
