from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "portal.board"
    label = "board"
