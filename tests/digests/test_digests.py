"""The digest run: who is due, what they get, and never a second copy."""

from __future__ import annotations

import io
import smtplib
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction

from portal.digests.models import Digest, DigestFrequency, EmailPreferences
from portal.digests.services import (
    DueEntry,
    digest_build_chunk,
    digests_queue_due,
    digests_send_chunk,
    due_entries_take,
)
from tests.digests.helpers import changed_lesson, person

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
# People set up "a day before NOW" with the default hour are due at 08:00 UTC on the 24th;
# a digest window ends at the due time, so the lessons below change before 08:00.


class RefusingMailServer:
    """Stands in for an SMTP server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection refused")


def test_only_people_due_now_are_taken_in_any_timezone():
    midnight = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # when they set their preferences
    sydney = person(timezone="Australia/Sydney", hour=20, now=midnight)  # 09:00 UTC: due
    london = person(timezone="Europe/London", hour=11, now=midnight)  # 11:00 UTC: due
    new_york = person(timezone="America/New_York", hour=9, now=midnight)  # 14:00 UTC: not yet
    tokyo = person(timezone="Asia/Tokyo", hour=8, now=midnight)  # 23:00 UTC: not yet
    off = person(timezone="UTC", hour=1, frequency=DigestFrequency.OFF, now=midnight)

    entries = due_entries_take(now=NOW)

    assert {e.user_id for e in entries} == {sydney.pk, london.pk}
    assert {e.period for e in entries} == {"d:2026-11-24"}
    assert not {new_york.pk, tokyo.pk, off.pk} & {e.user_id for e in entries}
    # Their next digest moved on, so the next run does not take them again.
    assert due_entries_take(now=NOW) == []
    assert EmailPreferences.objects.get(user=sydney).next_digest_at == datetime(
        2026, 11, 25, 9, tzinfo=UTC
    )


def test_a_digest_lists_new_lessons_for_the_persons_roles_with_both_parts_and_headers():
    reader = person(role_slugs=("chat-enforcer",), now=NOW - timedelta(days=1))
    changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(hours=6), n=1)
    changed_lesson(role_slug="event-moderator", changed_at=NOW - timedelta(hours=6), n=2)
    changed_lesson(role_slug=None, changed_at=NOW - timedelta(hours=5), n=3)  # Start here
    changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(days=40), n=4)

    call_command("send_digests", now=NOW.isoformat(), stdout=io.StringIO())

    [message] = mail.outbox
    assert message.to == [reader.email]
    assert "Lesson 1 of Chat Enforcer" in message.body
    assert "Lesson 3 of Start Here" in message.body
    assert "Event Moderator" not in message.body  # not one of their roles
    assert "Lesson 4" not in message.body  # changed before the window
    assert "https://modhall.test/guides/chat-enforcer/lesson-1/" in message.body
    html = message.alternatives[0][0]
    assert 'href="https://modhall.test/guides/chat-enforcer/lesson-1/"' in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "/email/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    digest = Digest.objects.get(user=reader)
    assert (digest.status, digest.item_count) == (Digest.Status.SENT, 2)


def test_running_twice_sends_one_email():
    reader = person(now=NOW - timedelta(days=1))
    changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(hours=5))
    entry = DueEntry(reader.pk, "d:2026-11-24", NOW - timedelta(hours=4))
    first = digests_send_chunk(entries=[entry])
    second = digests_send_chunk(entries=[entry])
    assert (first.sent, second.already_done) == ([reader.pk], [reader.pk])
    assert len(mail.outbox) == 1


def test_an_empty_digest_is_not_sent_but_recorded_as_skipped():
    reader = person(now=NOW - timedelta(days=1))
    result = digests_send_chunk(entries=[DueEntry(reader.pk, "d:2026-11-24", NOW)])
    assert result.skipped == [reader.pk]
    assert mail.outbox == []
    assert Digest.objects.get(user=reader).status == Digest.Status.SKIPPED


def test_the_next_window_starts_where_the_last_one_ended():
    reader = person(now=NOW - timedelta(days=3))
    changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(days=1, hours=2), n=1)
    digests_send_chunk(entries=[DueEntry(reader.pk, "d:2026-11-23", NOW - timedelta(days=1))])
    changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(hours=5), n=2)
    digests_send_chunk(entries=[DueEntry(reader.pk, "d:2026-11-24", NOW)])
    first, second = mail.outbox
    assert "Lesson 1" in first.body and "Lesson 2" not in first.body
    assert "Lesson 2" in second.body and "Lesson 1" not in second.body


def test_a_failed_send_is_retried_then_recorded_as_failed(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.digests.test_digests.RefusingMailServer"}}
    reader = person(now=NOW - timedelta(days=1))
    changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(hours=5))
    entry = DueEntry(reader.pk, "d:2026-11-24", NOW)

    first = digests_send_chunk(entries=[entry], final_attempt=False)
    assert first.retry == [entry]
    digest = Digest.objects.get(user=reader)
    assert (digest.status, digest.attempts) == (Digest.Status.PENDING, 1)
    assert "SMTPServerDisconnected" in digest.error

    last = digests_send_chunk(entries=[entry], final_attempt=True)
    assert last.failed == [reader.pk]
    assert Digest.objects.get(user=reader).status == Digest.Status.FAILED


def test_a_pending_digest_is_sent_once_the_server_is_back(settings):
    reader = person(now=NOW - timedelta(days=1))
    changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(hours=5))
    entry = DueEntry(reader.pk, "d:2026-11-24", NOW)
    settings.MAILERS = {"default": {"BACKEND": "tests.digests.test_digests.RefusingMailServer"}}
    digests_send_chunk(entries=[entry], final_attempt=False)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert digests_send_chunk(entries=[entry], final_attempt=False).sent == [reader.pk]
    assert len(mail.outbox) == 1


def test_a_rolled_back_transaction_queues_nothing(django_capture_on_commit_callbacks):
    person(now=NOW - timedelta(days=1))
    changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(hours=5))
    with (
        django_capture_on_commit_callbacks() as queued,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        assert digests_queue_due(now=NOW) == 1
        raise RuntimeError("the run failed")
    assert queued == []
    assert mail.outbox == []
    assert not Digest.objects.exists()
    # …and the person is still due: their next-due time rolled back too.
    assert len(due_entries_take(now=NOW)) == 1


def test_the_beat_job_queues_and_sends_through_celery(django_capture_on_commit_callbacks):
    reader = person(now=NOW - timedelta(days=1))
    changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(hours=5))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert digests_queue_due(now=NOW) == 1
    assert len(queued) == 1  # one chunk
    # Tasks run inline here (no worker); tests/digests/test_worker.py uses a real one.
    assert [m.to for m in mail.outbox] == [[reader.email]]


def test_people_without_preferences_get_the_weekly_default():
    from tests.factories import UserFactory

    newcomer = UserFactory()
    EmailPreferences.objects.filter(user=newcomer).delete()
    digests_queue_due(now=NOW)
    preferences = EmailPreferences.objects.get(user=newcomer)
    assert preferences.digest_frequency == DigestFrequency.WEEKLY
    assert preferences.next_digest_at > NOW


def test_queueing_is_skipped_while_another_run_holds_the_lock():
    from django.core.cache import cache

    from portal.digests.services import QUEUE_LOCK_KEY

    person(now=NOW - timedelta(days=1))
    cache.add(QUEUE_LOCK_KEY, "another run", 60)
    assert digests_queue_due(now=NOW) is None
    cache.delete(QUEUE_LOCK_KEY)
    assert digests_queue_due(now=NOW) == 1


def test_dry_run_sends_and_records_nothing(capsys):
    person(now=NOW - timedelta(days=1))
    changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(hours=5))
    call_command("send_digests", dry_run=True, now=NOW.isoformat())
    assert "1 due: 1 would be sent" in capsys.readouterr().out
    assert mail.outbox == [] and not Digest.objects.exists()
    assert len(due_entries_take(now=NOW)) == 1


def test_send_digests_for_one_named_person(capsys):
    reader = person(now=NOW)  # not due until tomorrow
    changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(hours=5))
    call_command("send_digests", user=reader.username, now=NOW.isoformat())
    assert [m.to for m in mail.outbox] == [[reader.email]]


def test_send_digests_explains_bad_arguments():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date and time"):
        call_command("send_digests", now="next tuesday")
    with pytest.raises(CommandError, match="No person with the username"):
        call_command("send_digests", user="nobody-here")


# Queries to build a chunk: the people (1), their roles, languages and availability
# (3 prefetches), their last digests (1); then the forums (1: what they watch; more only
# when someone watches something), the board (2: new openings, the person's channels) and
# the guides (1: lessons changed in the window).
BUILD_QUERIES = 12  # one per builder query; teams adds the memberships of the chunk,
# mentoring the open mentorships of the chunk, the forums the chunk's private conversations


def test_building_a_chunk_costs_the_same_queries_for_3_or_30_people(assert_queries):
    """Prevents an N+1 in digest building: shared data is read once per chunk."""
    for n in range(3):
        changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(hours=5), n=n)
    for size in (3, 30):
        people = [person(now=NOW - timedelta(days=1)) for _ in range(size)]
        entries = [DueEntry(p.pk, "d:2026-11-24", NOW) for p in people]
        with assert_queries(BUILD_QUERIES):
            _, sections = digest_build_chunk(entries=entries)
        assert all(len(sections[p.pk][0].items) == 3 for p in people)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
def test_concurrent_runs_send_one_email_per_person():
    people = [person(now=NOW - timedelta(days=1)) for _ in range(5)]
    changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(hours=5))
    entries = [DueEntry(p.pk, "d:2026-11-24", NOW) for p in people]
    barrier = threading.Barrier(3)
    errors = []

    def run():
        try:
            barrier.wait()
            digests_send_chunk(entries=entries)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert Digest.objects.filter(status=Digest.Status.SENT).count() == 5
