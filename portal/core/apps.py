from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from portal.core import laptop_beat, lookups  # noqa: F401  (registers integer ``in``)

        # `make run` has no beat: the development server flushes the outbox itself.
        if laptop_beat.wanted():
            laptop_beat.start()
