"""An email never turns a saved action into an error, and none is lost: a refusing mail
server is tried again with growing waits kept in the outbox, then the email is kept as failed
for staff, who can send it again; /healthz says so meanwhile."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.core.mail import MAIL_RETRY_WAITS
from portal.core.models import FailedEmail, OutboxTask
from portal.core.outbox import outbox_flush
from portal.digests.models import EmailKind
from tests.core.refusing_smtp import LOCMEM_MAILERS, RefusingSMTPServer, follow_the_tries
from tests.factories import UserFactory
from tests.forums.factories import SettledUserFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing_smtp(settings):
    server = RefusingSMTPServer()
    settings.MAILERS = server.mailers()
    yield server
    server.close()


def test_a_refused_reply_email_is_tried_with_growing_waits_then_kept_as_failed(
    client, refusing_smtp, django_capture_on_commit_callbacks
):
    topic = TopicFactory(title="Handling raids")
    client.force_login(SettledUserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "Hi"})
    assert response.status_code == 302  # the reply is saved and shown, whatever the mail did
    assert topic.posts.count() == 2

    waits = follow_the_tries()

    assert waits == sorted(waits) and len(set(waits)) == len(waits)  # each wait longer
    assert waits[0] <= timedelta(minutes=2)
    assert sum(waits, timedelta()) >= timedelta(hours=1)
    assert refusing_smtp.refused == len(waits) + 1 == len(MAIL_RETRY_WAITS) + 1
    failed = FailedEmail.objects.get()
    assert failed.person == topic.author
    assert failed.kind == EmailKind.FORUM_REPLIES
    assert "Handling raids" in failed.subject
    assert "554" in failed.error and "SMTP" in failed.error
    assert failed.attempts == len(waits) + 1
    assert not OutboxTask.objects.exists()
    assert mail.outbox == []


def test_a_mail_server_that_is_away_is_tried_again_later(
    client, settings, django_capture_on_commit_callbacks
):
    gone = RefusingSMTPServer()
    gone.close()  # nothing listens on its port any more: connections are refused
    settings.MAILERS = gone.mailers()
    topic = TopicFactory()
    client.force_login(SettledUserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "Hi"})
    assert response.status_code == 302
    waiting = OutboxTask.objects.get()
    assert waiting.retries == 1
    assert "refused" in waiting.last_error.lower()
    assert not FailedEmail.objects.exists()


@pytest.fixture
def given_up(client, refusing_smtp, django_capture_on_commit_callbacks) -> FailedEmail:
    topic = TopicFactory(title="Handling raids")
    client.force_login(SettledUserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "Hi"})
    client.logout()
    follow_the_tries()
    return FailedEmail.objects.get()


def test_staff_see_the_failed_email_and_send_it_again(
    client, given_up, settings, django_capture_on_commit_callbacks
):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    page = client.get(reverse("failed_emails")).content.decode()
    assert "Handling raids" in page
    assert f"@{given_up.person.username}" in page
    assert "554" in page
    assert "Send again" in page

    settings.MAILERS = LOCMEM_MAILERS  # the mail server is back
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("failed_email_send", kwargs={"pk": given_up.pk}))
    assert response.status_code == 302 and response["Location"] == reverse("failed_emails")
    [message] = mail.outbox
    assert message.to == [given_up.person.email]
    assert "Handling raids" in message.subject
    given_up.refresh_from_db()
    assert given_up.sent_again_by == staff and given_up.sent_again_at is not None
    assert "No failed emails" in client.get(reverse("failed_emails")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("failed_email_send", kwargs={"pk": given_up.pk}))
    assert len(mail.outbox) == 1  # a second press sends nothing more


def test_send_again_needs_a_post_with_a_csrf_token(given_up, settings):
    staff = UserFactory(is_staff=True)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    settings.MAILERS = LOCMEM_MAILERS
    url = reverse("failed_email_send", kwargs={"pk": given_up.pk})
    assert browser.get(url).status_code == 405
    assert browser.post(url).status_code == 403
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["anonymous", "member", "the person it was for"])
def test_nobody_but_staff_sees_or_resends_failed_emails(client, given_up, settings, who):
    if who == "member":
        client.force_login(UserFactory())
    elif who == "the person it was for":
        client.force_login(given_up.person)
    settings.MAILERS = LOCMEM_MAILERS
    assert client.get(reverse("failed_emails")).status_code == 404
    send = reverse("failed_email_send", kwargs={"pk": given_up.pk})
    assert client.post(send).status_code == 404
    assert mail.outbox == []
    given_up.refresh_from_db()
    assert given_up.sent_again_at is None


def test_the_failed_emails_page_costs_the_same_queries_with_few_or_many(client, assert_queries):
    """Prevents an N+1: each row names its person."""
    client.force_login(UserFactory(is_staff=True))

    def fail(n: int) -> None:
        FailedEmail.objects.bulk_create(
            FailedEmail(
                person=UserFactory(), kind="forum_replies", subject="Hi", error="554",
                task_name="portal.forums.tasks.send_notification_email", args=[1],
            )
            for _ in range(n)
        )  # fmt: skip

    fail(2)
    client.get(reverse("failed_emails"))  # warm the session and the user
    # the signed-in person, their profile (a staff tool: do they have a second factor?), the
    # count, a page of rows with their people, the header's Review count (staff hold tools)
    with assert_queries(5):
        page = client.get(reverse("failed_emails"))
    assert page.content.decode().count("Send again</button>") == 2
    fail(120)
    with assert_queries(5):
        page = client.get(reverse("failed_emails"))
    assert page.content.decode().count("Send again</button>") == 50
    assert "Page 1 of 3" in page.content.decode()


# With committed transactions, as in production: the email is queued the moment the action's
# transaction commits, inside the request (tasks run inline here, as on a laptop).


@pytest.mark.django_db(transaction=True)
def test_an_email_that_cannot_be_built_does_not_undo_the_application(client, monkeypatch):
    from portal.board.models import Application
    from portal.digests import mail as digest_mail
    from tests.board.conftest import settled
    from tests.board.factories import OpeningFactory
    from tests.factories import ChannelFactory

    def broken_template(name, context):
        raise ValueError("a template bug")

    monkeypatch.setattr(digest_mail, "render_to_string", broken_template)
    owner = settled(username="streamer")
    opening = OpeningFactory(channel=ChannelFactory(owner=owner))
    client.raise_request_exception = False
    client.force_login(settled(username="moderator"))
    response = client.post(reverse("board:apply", kwargs={"pk": opening.pk}), {"message": "Hi"})

    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    assert "submitted" in client.get(response["Location"]).content.decode().lower()
    failed = FailedEmail.objects.get()
    assert (failed.person, failed.kind) == (owner, EmailKind.NEW_APPLICATIONS)
    assert "a template bug" in failed.error
    assert not OutboxTask.objects.exists()  # a bug is not tried again and again


@pytest.mark.django_db(transaction=True)
def test_sign_up_and_password_reset_succeed_while_the_mail_server_refuses(
    client, refusing_smtp, settings
):
    from portal.accounts.models import User

    client.raise_request_exception = False
    response = client.post(
        reverse("account_signup"),
        {"email": "newmod@example.com", "username": "newmod",
         "password1": "a long pass phrase", "password2": "a long pass phrase"},
    )  # fmt: skip
    assert response.status_code == 302
    newcomer = User.objects.get(username="newmod")
    client.logout()
    response = client.post(reverse("account_reset_password"), {"email": "newmod@example.com"})
    assert response.status_code == 302

    waiting = OutboxTask.objects.filter(task_name="portal.accounts.tasks.send_account_email")
    assert waiting.count() == 2 and all(t.retries == 1 for t in waiting)

    settings.MAILERS = LOCMEM_MAILERS  # the mail server is back: the next flush sends them
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert outbox_flush() == (2, 0)
    assert sorted(m.subject for m in mail.outbox) == [
        "[Modhall] Password Reset Email",
        "[Modhall] Please Confirm Your Email Address",
    ]
    assert all(m.to == [newcomer.email] for m in mail.outbox)


@pytest.mark.django_db(transaction=True)
def test_healthz_reports_recent_mail_failures(client):
    assert client.get("/healthz").json()["mail"] == "ok"
    person = UserFactory()
    FailedEmail.objects.create(person=person, kind="forum_replies", subject="Hi", error="554")
    FailedEmail.objects.create(
        person=person,
        kind="forum_replies",
        error="554",
        failed_at=timezone.now() - timedelta(days=3),  # long ago: not "recent"
    )
    response = client.get("/healthz")
    assert response.status_code == 200  # mail is reported, it does not make the site unhealthy
    assert response.json()["mail"] == "1 failed in the last 24 hours (see /email/failed/)"
    assert response.json()["status"] == "ok"
