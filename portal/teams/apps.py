from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "portal.teams"
    verbose_name = "Mod teams"

    def ready(self) -> None:
        from portal.board.signals import application_moved
        from portal.teams.hiring_board import application_moved_to_team

        application_moved.connect(application_moved_to_team, dispatch_uid="teams-applications")
        # The import from Twitch starts when the owner's permission arrives (a signal of the
        # Twitch app below).
        from portal.teams import twitch_import  # noqa: F401
