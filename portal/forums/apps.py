from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "portal.forums"
    label = "forums"
    verbose_name = "Forums"
