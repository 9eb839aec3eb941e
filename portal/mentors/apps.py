from django.apps import AppConfig


class MentorsConfig(AppConfig):
    name = "portal.mentors"
    verbose_name = "Mentoring"

    def ready(self) -> None:
        from portal.mentors import signals  # noqa: F401  (follows accounts' blocks)
