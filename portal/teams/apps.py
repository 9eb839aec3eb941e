from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "portal.teams"
    verbose_name = "Mod teams"

    def ready(self) -> None:
        from portal.board.signals import application_moved
        from portal.teams.hiring_board import application_moved_to_team

        application_moved.connect(application_moved_to_team, dispatch_uid="teams-applications")
