from django.apps import AppConfig


class MentorsConfig(AppConfig):
    name = "portal.mentors"
    verbose_name = "Mentoring"
