"""A team's Discord webhook, tested against a stand-in webhook server on 127.0.0.1: the
address is checked and never shown back, posts carry the summary and a link with mentions
off, a failing post is tried again (after Discord's own retry_after on a 429), and a webhook
that keeps failing is switched off with a notice to the leads."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.core.models import OutboxTask
from portal.core.outbox import outbox_flush
from portal.teams import discord
from portal.teams.models import DiscordWebhook, EventKind, TeamEvent
from portal.teams.services import team_event_record

pytestmark = pytest.mark.django_db


class StandIn:
    """A webhook server answering from a script of (status, body) and noting each post."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict | None]] = []
        self.posts: list[dict] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                stand_in.posts.append(json.loads(self.rfile.read(length)))
                status, body = stand_in.script.pop(0) if stand_in.script else (204, None)
                payload = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/webhooks/123456/s3cr3t-tok3n"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stand_in(settings):
    settings.DISCORD_WEBHOOK_HOSTS = ["discord.com", "127.0.0.1"]
    server = StandIn()
    yield server
    server.close()


@pytest.fixture
def hooked(crew, stand_in):
    discord.discord_webhook_connect(team=crew.team, url=stand_in.url, actor=crew.owner)
    return crew


def gap(crew, capture):
    with capture(execute=True):
        return team_event_record(
            team=crew.team,
            kind=EventKind.COVERAGE_GAP,
            summary="Coverage gap: the Fri 23 Oct 20:00 stream needs 1 more moderator.",
            leads_only=True,
        )


@pytest.mark.parametrize(
    "url",
    [
        "http://discord.com/api/webhooks/1/abc",
        "https://evil.example/api/webhooks/1/abc",
        "https://discord.com.evil.example/api/webhooks/1/abc",
        "https://discord.com/api/users/1",
        "https://user:pw@discord.com/api/webhooks/1/abc",
        "https://discord.com/api/webhooks/1/abc?wait=true",
        "javascript:alert(1)",
        "https://discord.com:99999/api/webhooks/1/abc",
    ],
)
def test_only_a_discord_webhook_address_is_taken(url):
    with pytest.raises(ValidationError):
        discord.webhook_url_check(url)


def test_a_real_webhook_address_is_taken():
    url = "https://discord.com/api/webhooks/123456789012345678/AbC-dEf_123"
    assert discord.webhook_url_check(url) == url


def test_plain_http_is_for_the_loopback_stand_in_only(settings):
    settings.DISCORD_WEBHOOK_HOSTS = ["discord.com", "127.0.0.1"]
    discord.webhook_url_check("http://127.0.0.1:8000/api/webhooks/1/abc")
    with pytest.raises(ValidationError):
        discord.webhook_url_check("http://discord.com/api/webhooks/1/abc")


def test_a_lead_connects_and_the_address_is_never_shown_back(client, crew, stand_in):
    client.force_login(crew.lead)
    url = reverse("teams:discord", kwargs={"slug": crew.team.slug})
    page = client.post(url, {"url": stand_in.url}, follow=True).text
    assert DiscordWebhook.objects.get(team=crew.team).active
    assert "…ok3n" in page and "s3cr3t" not in page and "123456" not in page


def test_a_bad_address_is_refused_beside_the_field(client, crew):
    client.force_login(crew.owner)
    url = reverse("teams:discord", kwargs={"slug": crew.team.slug})
    response = client.post(url, {"url": "https://example.com/hook"})
    assert response.status_code == 400
    assert "Paste the webhook" in response.text and "example.com" not in response.text


def test_a_gap_is_posted_with_its_summary_a_link_and_no_mentions(
    hooked, stand_in, django_capture_on_commit_callbacks
):
    event = gap(hooked, django_capture_on_commit_callbacks)
    [post] = stand_in.posts
    assert event.summary in post["content"]
    assert f"/teams/{hooked.team.slug}/" in post["content"]
    assert post["allowed_mentions"] == {"parse": []}


def test_team_news_of_other_kinds_is_not_posted(
    hooked, stand_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        team_event_record(team=hooked.team, kind=EventKind.JOINED, summary="Sam joined.")
    assert stand_in.posts == []


def test_a_429_waits_as_long_as_discord_asks_then_posts(
    hooked, stand_in, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    stand_in.script = [(429, {"retry_after": 2.5, "global": False})]
    gap(hooked, django_capture_on_commit_callbacks)
    waiting = OutboxTask.objects.get(task_name="portal.teams.tasks.post_to_discord")
    wait = (waiting.not_before - timezone.now()).total_seconds()
    assert 2 <= wait <= 3.5
    time_machine.shift(timedelta(seconds=4))
    outbox_flush()
    assert len(stand_in.posts) == 2
    assert DiscordWebhook.objects.get().failures == 0


def test_a_failing_webhook_is_tried_again_then_switched_off_with_a_notice_to_the_leads(
    hooked, stand_in, django_capture_on_commit_callbacks, time_machine, mailoutbox
):
    time_machine.move_to(timezone.now(), tick=False)
    stand_in.script = [(500, None)] * (discord.TRIES * discord.DISCORD_FAILURES_TO_STOP)
    for _ in range(discord.DISCORD_FAILURES_TO_STOP):
        gap(hooked, django_capture_on_commit_callbacks)
        for _ in range(discord.TRIES - 1):
            time_machine.shift(timedelta(seconds=discord.MAX_WAIT + 1))
            with django_capture_on_commit_callbacks(execute=True):
                outbox_flush()
    assert len(stand_in.posts) == discord.TRIES * discord.DISCORD_FAILURES_TO_STOP
    webhook = DiscordWebhook.objects.get()
    assert not webhook.active and webhook.switched_off_at and "500" in webhook.last_error
    notice = TeamEvent.objects.get(kind=EventKind.DISCORD)
    assert notice.leads_only and f"…{webhook.tail}" in notice.summary
    assert hooked.owner.email in {m.to[0] for m in mailoutbox if "Discord" in m.subject}
    # Switched off: nothing more is posted.
    gap(hooked, django_capture_on_commit_callbacks)
    assert len(stand_in.posts) == discord.TRIES * discord.DISCORD_FAILURES_TO_STOP


def test_a_webhook_discord_no_longer_knows_is_switched_off_at_once(
    hooked, stand_in, django_capture_on_commit_callbacks
):
    stand_in.script = [(404, {"message": "Unknown Webhook", "code": 10015})]
    gap(hooked, django_capture_on_commit_callbacks)
    assert len(stand_in.posts) == 1
    assert not DiscordWebhook.objects.get().active


def test_a_post_that_goes_through_clears_earlier_failures(
    hooked, stand_in, django_capture_on_commit_callbacks
):
    DiscordWebhook.objects.update(failures=2, last_error="500 Internal Server Error")
    gap(hooked, django_capture_on_commit_callbacks)
    assert DiscordWebhook.objects.get().failures == 0


def test_an_unreachable_webhook_fails_within_its_timeout(settings):
    settings.DISCORD_WEBHOOK_HOSTS = ["127.0.0.1"]
    # Nothing listens on port 9: refused at once, reported as a failure, never raised.
    delivery = discord.deliver("http://127.0.0.1:9/api/webhooks/1/abc", {"content": "x"})
    assert not delivery.ok and delivery.error


def test_disconnecting_stops_the_posts(client, hooked, stand_in):
    client.force_login(hooked.lead)
    client.post(reverse("teams:discord_disconnect", kwargs={"slug": hooked.team.slug}))
    assert not DiscordWebhook.objects.exists()


def test_the_address_is_kept_encrypted(hooked, stand_in):
    webhook = DiscordWebhook.objects.get()
    assert "s3cr3t" not in webhook.url_sealed and "127.0.0.1" not in webhook.url_sealed
    assert discord.unseal(webhook.url_sealed) == stand_in.url


def test_an_address_sealed_under_another_secret_key_switches_the_webhook_off(
    hooked, stand_in, settings, django_capture_on_commit_callbacks
):
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    gap(hooked, django_capture_on_commit_callbacks)
    assert stand_in.posts == []
    webhook = DiscordWebhook.objects.get()
    assert not webhook.active and webhook.last_error == "address unreadable"
    assert TeamEvent.objects.filter(kind=EventKind.DISCORD, leads_only=True).exists()
