from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "portal.teams"
    verbose_name = "Mod teams"

    def ready(self) -> None:
        # The import from Twitch starts when the owner's permission arrives (a signal of the
        # Twitch app below).
        from portal.teams import twitch_import  # noqa: F401
