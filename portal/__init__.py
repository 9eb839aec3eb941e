"""Modhall: the Django project package (settings, URLs, the Celery app) and its apps."""

from portal.celery import app as celery_app

__all__ = ["celery_app"]
