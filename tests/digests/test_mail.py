"""The one email pipeline: preferences, both parts, the headers, and one-click unsubscribe."""

import pytest
import time_machine
from django.core import mail
from django.template import engines
from django.test import Client

from portal.digests.mail import send_email, unsubscribe_url
from portal.digests.models import DigestFrequency, EmailKind, EmailPreferences

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sample_templates(settings, tmp_path):
    folder = tmp_path / "emails"
    folder.mkdir()
    (folder / "sample.txt").write_text(
        '{% extends "emails/base.txt" %}{% block body %}Hello {{ user.username }}: '
        "{{ news }}{% endblock %}"
    )
    (folder / "sample.html").write_text(
        '{% extends "emails/base.html" %}{% block body %}<p>Hello {{ user.username }}: '
        "{{ news }}</p>{% endblock %}"
    )
    settings.TEMPLATES[0]["DIRS"].append(tmp_path)
    engines._engines = {}  # the template engines were built before this setting changed
    yield
    settings.TEMPLATES[0]["DIRS"].remove(tmp_path)
    engines._engines = {}


def send(user, kind=EmailKind.APPLICATION_UPDATES, news="<b>you were shortlisted</b>"):
    return send_email(
        user=user, kind=kind, subject="News", template="sample", context={"news": news}
    )


# The unsubscribe link is signed with the time: held still, so the link worked out again here
# is the one the message carries (a second passing between them made a different link).
@time_machine.travel("2026-12-01 12:00:00+00:00", tick=False)
def test_an_email_has_both_parts_the_reason_and_the_headers(user):
    assert send(user)
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "[Modhall] News"
    assert "Hello " + user.username in message.body
    assert "updates on your applications" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    # Context is escaped in the HTML part like on any page, and left as typed in the text.
    assert "&lt;b&gt;you were shortlisted&lt;/b&gt;" in html
    assert "Hello " + user.username + ": <b>you were shortlisted</b>" in message.body
    link = unsubscribe_url(user=user, kind=EmailKind.APPLICATION_UPDATES)
    assert link.startswith("https://modhall.test/email/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert link in message.body and link in html


def test_no_email_of_a_kind_the_person_switched_off(user):
    EmailPreferences.objects.create(user=user, email_application_updates=False)
    assert not send(user)
    assert send(user, kind=EmailKind.FORUM_MENTIONS)
    assert len(mail.outbox) == 1


def test_no_email_to_an_inactive_person(user):
    user.is_active = False
    user.save()
    assert not send(user)
    assert mail.outbox == []


def test_one_click_unsubscribe_works_without_cookies_or_csrf(user):
    url = unsubscribe_url(user=user, kind=EmailKind.FORUM_REPLIES).removeprefix(
        "https://modhall.test"
    )
    mail_client = Client(enforce_csrf_checks=True)  # like a mail provider: no session, no token
    response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not EmailPreferences.objects.get(user=user).email_forum_replies


def test_opening_the_link_changes_nothing_until_confirmed(client, user):
    EmailPreferences.objects.create(user=user, digest_frequency=DigestFrequency.DAILY)
    url = unsubscribe_url(user=user, kind=EmailKind.DIGEST).removeprefix("https://modhall.test")
    page = client.get(url)
    assert page.status_code == 200
    assert "weekly digest instead" in page.content.decode()  # "less often" is offered first
    assert EmailPreferences.objects.get(user=user).digest_frequency == DigestFrequency.DAILY
    client.post(url, {"choice": "less_often"})
    assert EmailPreferences.objects.get(user=user).digest_frequency == DigestFrequency.WEEKLY
    client.post(url, {"choice": "unsubscribe"})
    assert EmailPreferences.objects.get(user=user).digest_frequency == DigestFrequency.OFF


def test_a_tampered_token_is_refused_and_changes_nothing(client, user):
    url = unsubscribe_url(user=user, kind=EmailKind.DIGEST).removeprefix("https://modhall.test")
    tampered = url[:-3] + ("x/" if url[-2] != "x" else "y/")
    assert client.post(tampered).status_code == 400
    assert not EmailPreferences.objects.filter(user=user, digest_frequency="off").exists()


def test_settings_page_needs_sign_in_and_saves_only_your_own(client, user, other_user):
    assert client.get("/email/settings/").status_code == 302
    client.force_login(user)
    response = client.post(
        "/email/settings/",
        {"digest_frequency": "daily", "digest_weekday": "2", "digest_hour": "19"},
    )
    assert response.status_code == 302
    saved = EmailPreferences.objects.get(user=user)
    assert (saved.digest_frequency, saved.digest_hour, saved.email_forum_replies) == (
        "daily",
        19,
        False,  # an unticked checkbox is a "no"
    )
    assert not EmailPreferences.objects.filter(user=other_user).exists()


def test_the_digest_preview_is_only_for_the_signed_in_person(client, user):
    from django.utils import timezone

    from tests.digests.helpers import changed_lesson

    assert client.get("/digests/preview/").status_code == 302  # to the log-in page
    client.force_login(user)
    page = client.get("/digests/preview/").content.decode()
    assert "Nothing new for you yet" in page
    user.profile.roles.set([])
    changed_lesson(role_slug=None, changed_at=timezone.now())
    page = client.get("/digests/preview/").content.decode()
    assert "Lesson 0 of Start Here" in page
    assert mail.outbox == []  # a preview never sends


@time_machine.travel("2026-12-01 12:00:00+00:00", tick=False)
def test_list_unsubscribe_goes_out_as_plain_ascii_in_the_raw_message(user):
    """What a mail provider parses: the bytes as the SMTP backend writes them."""
    import email
    import email.policy

    assert send(user)
    [message] = mail.outbox
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    link = unsubscribe_url(user=user, kind=EmailKind.APPLICATION_UPDATES)
    assert len(link) > 78  # long enough that Python's email package would have encoded it
    assert b"=?utf-8?" not in raw.split(b"\r\n\r\n", 1)[0].split(b"List-Unsubscribe:")[1][:20]
    header_line = next(line for line in raw.split(b"\r\n") if line.startswith(b"List-Unsubscribe:"))
    assert header_line == f"List-Unsubscribe: <{link}>".encode("ascii")
    assert parsed["List-Unsubscribe"] == f"<{link}>"


def test_a_link_scanner_probing_with_head_changes_nothing(user, client):
    url = unsubscribe_url(user=user, kind=EmailKind.FORUM_REPLIES).removeprefix(
        "https://modhall.test"
    )
    assert client.head(url).status_code == 200
    assert EmailPreferences.objects.get_or_create(user=user)[0].email_forum_replies


def test_the_plain_text_part_reads_as_plain_text(user):
    assert send(user, news='Tom & "Jerry" <3')
    [message] = mail.outbox
    assert 'Tom & "Jerry" <3' in message.body
    assert "&amp;" not in message.body and "&quot;" not in message.body
    assert "Tom &amp; &quot;Jerry&quot; &lt;3" in message.alternatives[0][0]
