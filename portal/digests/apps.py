from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "portal.digests"
    label = "digests"

    def ready(self) -> None:
        from portal.digests import signals  # noqa: F401  (follows accounts' time zone changes)
