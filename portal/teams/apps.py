from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "portal.teams"
    verbose_name = "Mod teams"
