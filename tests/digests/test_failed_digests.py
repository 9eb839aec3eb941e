"""A digest the mail server refuses is tried again over hours, then kept for staff, who can
send it again: nobody's digest is lost to a mail server's bad afternoon."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from portal.core.mail import MAIL_RETRY_WAITS
from portal.core.models import FailedEmail
from portal.digests.models import Digest, EmailKind
from portal.digests.services import digests_queue_due
from tests.core.refusing_smtp import LOCMEM_MAILERS, RefusingSMTPServer, follow_the_tries
from tests.digests.helpers import changed_lesson, person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_a_refused_digest_is_tried_for_hours_then_kept_and_sent_again(
    client, settings, django_capture_on_commit_callbacks
):
    server = RefusingSMTPServer()
    settings.MAILERS = server.mailers()
    reader = person(now=NOW - timedelta(days=1))
    changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(hours=5))
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert digests_queue_due(now=NOW) == 1
        waits = follow_the_tries()
    server.close()

    assert len(waits) == len(MAIL_RETRY_WAITS) and waits == sorted(waits)
    assert sum(waits, timedelta()) >= timedelta(hours=1)
    digest = Digest.objects.get(user=reader)
    assert (digest.status, digest.attempts) == (Digest.Status.FAILED, len(waits) + 1)
    failed = FailedEmail.objects.get()
    assert (failed.person, failed.kind) == (reader, EmailKind.DIGEST)
    assert failed.subject == "[Modhall] Your daily digest"
    assert failed.attempts == len(waits) + 1
    assert "554" in failed.error
    assert mail.outbox == []

    settings.MAILERS = LOCMEM_MAILERS  # the mail server is back
    client.force_login(UserFactory(is_staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("failed_email_send", kwargs={"pk": failed.pk}))
    [message] = mail.outbox
    assert message.to == [reader.email]
    assert "Lesson" in message.body
    assert Digest.objects.get(user=reader).status == Digest.Status.SENT
