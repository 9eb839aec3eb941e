"""The board's emails and periodic jobs: what each person is told, when, and only once.

Email tests run through a real Celery worker when CELERY_BROKER_URL is set (inline
otherwise): the services enqueue after commit, so these tests commit (transactional db).
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from portal.board import services, tasks
from portal.board.models import ApplicationStatus, Opening, OpeningStatus
from portal.digests.models import EmailPreferences
from tests.board.conftest import settled
from tests.board.factories import ApplicationFactory, OpeningFactory
from tests.factories import ChannelFactory


def wait_for_mail(count: int, timeout: float = 20) -> list:
    """The worker runs in another thread: wait until it has sent ``count`` messages."""
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)  # and a moment more, to catch any message sent twice
    return list(mail.outbox)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_owner_is_emailed_about_a_new_application(celery_worker, opening, moderator):
    services.application_submit(opening=opening, applicant=moderator, message="Hi", answers={})
    [message] = wait_for_mail(1)
    assert message.to == [opening.channel.owner.email]
    assert "New application to “Night-shift chat enforcer”" in message.subject
    assert f"/board/openings/{opening.pk}/applications/" in message.body


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_applicant_is_emailed_on_every_change_with_the_reason(
    celery_worker, opening, streamer, moderator
):
    application = ApplicationFactory(opening=opening, applicant=moderator)
    services.application_move(application=application, actor=streamer, to_status="shortlisted")
    services.application_move(
        application=application,
        actor=streamer,
        to_status="declined",
        reason="We found someone in your timezone.",
    )
    messages = wait_for_mail(2)
    assert [m.to for m in messages] == [[moderator.email], [moderator.email]]
    subjects = sorted(m.subject for m in messages)
    assert subjects == [
        "[Modhall] Your application to Night Owl Radio: declined",
        "[Modhall] Your application to Night Owl Radio: shortlisted",
    ]
    declined = next(m for m in messages if "declined" in m.subject)
    assert "We found someone in your timezone." in declined.body
    assert application.get_absolute_url() in declined.body
    html, _ = declined.alternatives[0]
    assert "We found someone in your timezone." in html


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_no_update_email_for_someone_who_switched_them_off(
    celery_worker, opening, streamer, moderator
):
    EmailPreferences.objects.create(user=moderator, email_application_updates=False)
    application = ApplicationFactory(opening=opening, applicant=moderator)
    services.application_move(application=application, actor=streamer, to_status="accepted")
    assert wait_for_mail(1, timeout=2) == []
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_an_invitation_is_emailed_once(celery_worker, opening, streamer, moderator):
    services.invitation_send(
        opening=opening, invitee=moderator, invited_by=streamer, message="Loved your bio!"
    )
    [message] = wait_for_mail(1)
    assert message.to == [moderator.email]
    assert "Night Owl Radio invites you to apply" in message.subject
    assert "Loved your bio!" in message.body
    assert opening.get_absolute_url() in message.body


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_owner_is_told_why_staff_removed_their_opening(celery_worker, opening):
    staff = settled(username="staffer", is_staff=True)
    services.opening_remove(opening=opening, staff=staff, reason="It asked for a joining fee.")
    [message] = wait_for_mail(1)
    assert message.to == [opening.channel.owner.email]
    assert "It asked for a joining fee." in message.body


# --- Expiry and reminders ------------------------------------------------------------------


def test_the_expiry_job_expires_openings_past_their_closing_day_with_a_frozen_clock(db):
    channel = ChannelFactory(timezone="America/New_York")
    with time_machine.travel(datetime(2026, 1, 5, 12, 0, tzinfo=UTC), tick=False):
        closing = OpeningFactory(
            channel=channel, timezone="America/New_York", closes_on=date(2026, 1, 20)
        )
        paused = OpeningFactory(
            channel=channel,
            timezone="America/New_York",
            closes_on=date(2026, 1, 20),
            status=OpeningStatus.PAUSED,
        )
        later = OpeningFactory(
            channel=channel, timezone="America/New_York", closes_on=date(2026, 1, 21)
        )
        filled = OpeningFactory(
            channel=channel,
            timezone="America/New_York",
            closes_on=date(2026, 1, 20),
            status=OpeningStatus.FILLED,
        )

    # 23:59 on the closing day in New York (EST: 04:59 UTC the next day): still open.
    with time_machine.travel(datetime(2026, 1, 21, 4, 59, tzinfo=UTC), tick=False):
        assert tasks.expire_openings() == 0
        assert set(Opening.objects.visible()) == {closing, later}

    # Midnight in New York: the closing day is over.
    with time_machine.travel(datetime(2026, 1, 21, 5, 0, 1, tzinfo=UTC), tick=False):
        assert tasks.expire_openings() == 2
        assert set(Opening.objects.visible()) == {later}
        assert tasks.expire_openings() == 0  # running again changes nothing

    for opening, status in [
        (closing, OpeningStatus.EXPIRED),
        (paused, OpeningStatus.EXPIRED),
        (later, OpeningStatus.OPEN),
        (filled, OpeningStatus.FILLED),
    ]:
        opening.refresh_from_db()
        assert opening.status == status


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_owners_are_reminded_once_a_few_days_before_closing_with_a_link_to_extend(
    celery_worker, channel
):
    now = datetime.now(UTC)
    soon = OpeningFactory(
        channel=channel, title="Closing soon", closes_on=now.date() + timedelta(days=1)
    )
    OpeningFactory(
        channel=channel, title="Closing later", closes_on=now.date() + timedelta(days=20)
    )
    OpeningFactory(
        channel=channel,
        title="Paused",
        closes_on=now.date() + timedelta(days=1),
        status=OpeningStatus.PAUSED,
    )
    assert tasks.remind_expiring_openings() == 1
    assert tasks.remind_expiring_openings() == 0  # the second run finds it done
    [message] = wait_for_mail(1)
    assert message.to == [channel.owner.email]
    assert "“Closing soon” closes on" in message.subject
    assert reverse("board:opening_extend", kwargs={"pk": soon.pk}) in message.body

    # Extending earns a new reminder before the new date, not a repeat now.
    services.opening_extend(opening=soon, closes_on=now.date() + timedelta(days=2))
    soon.refresh_from_db()
    assert soon.reminder_sent_at is None
    assert tasks.remind_expiring_openings() == 1
    assert len(wait_for_mail(2)) == 2


@pytest.mark.django_db
def test_a_reminder_for_an_opening_closed_meanwhile_is_not_sent(opening):
    Opening.objects.filter(pk=opening.pk).update(
        reminder_sent_at=datetime.now(UTC), status=OpeningStatus.CLOSED
    )
    assert tasks.send_opening_reminder(opening.pk) is False
    assert tasks.send_opening_reminder(999_999) is False
    assert mail.outbox == []


@pytest.mark.django_db
def test_email_tasks_for_rows_that_are_gone_do_nothing():
    assert tasks.send_new_application(999_999) is False
    assert tasks.send_application_update(999_999) is False
    assert tasks.send_invitation(999_999) is False
    assert tasks.send_opening_removed(999_999) is False
    assert mail.outbox == []


def test_email_tasks_go_to_the_email_queue():
    from portal.celery import app

    router = app.amqp.router
    for name in ["send_new_application", "send_application_update", "send_opening_reminder"]:
        route = router.route({}, f"portal.board.tasks.{name}", args=(1,), kwargs={})
        assert route["queue"].name == "email"
    route = router.route({}, "portal.board.tasks.expire_openings", args=(), kwargs={})
    assert route["queue"].name == "default"
