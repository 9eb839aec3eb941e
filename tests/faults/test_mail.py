"""A mail server that refuses for a while, then accepts: the email about a saved action is
delivered once it accepts, and the action itself succeeds (issue 14, item 3). The server is a
real SMTP server of the test's own (bench/own_services.py) that answers 451 "try again later"
for a few seconds; the portal sends to it through Django's SMTP backend, as in production."""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from bench.own_services import MailServer, wait_until
from portal.celery import app as celery_app
from portal.digests.models import EmailPreferences
from portal.forums.models import Post
from tests.forums.factories import SettledUserFactory, TopicFactory

pytestmark = pytest.mark.django_db

REFUSING_SECONDS = 3


@pytest.fixture
def mail_server(settings):
    server = MailServer()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    yield server
    server.shutdown()
    server.server_close()


def run_the_periodic_jobs(*, later: timedelta) -> None:
    """Every job of the beat schedule, as beat would run it ``later`` from now: whatever the
    portal keeps for a later try gets its turn."""
    celery_app.loader.import_default_modules()  # every app's tasks, as a worker loads them
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + later):
        for entry in celery_app.conf.beat_schedule.values():
            celery_app.tasks[entry["task"]].apply()


def test_a_reply_email_refused_for_a_while_is_delivered_once_the_server_accepts(
    client, mail_server, django_capture_on_commit_callbacks
):
    topic = TopicFactory()
    EmailPreferences.objects.update_or_create(
        user=topic.author, defaults={"email_forum_replies": True}
    )
    client.force_login(SettledUserFactory())
    mail_server.refuse(451, REFUSING_SECONDS)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "Keep calm and mod on."}
        )
    assert response.status_code == 302  # the reply is saved, and shown as saved
    assert Post.objects.filter(topic=topic, body="Keep calm and mod on.").exists()
    assert mail_server.refused(topic.author.email), "the server refused the first try"

    wait_until(lambda: time.monotonic() > mail_server.refusing_until, REFUSING_SECONDS + 1)
    for hours in (1, 2, 6, 24):
        run_the_periodic_jobs(later=timedelta(hours=hours))
    delivered = mail_server.delivered(topic.author.email, "New reply")
    assert len(delivered) == 1, f"{len(delivered)} copies delivered"
