"""Posting a team's news to its Discord mod channel through a webhook the leads connected.

Most mod teams live in Discord, so coverage gaps, new applications, rulebook versions and
debriefs are posted there too. A post carries the event's one-line summary (names and titles
only, never anyone's text) and a link to Modhall, with mentions switched off
(``allowed_mentions``), so nothing posted can ping @everyone or a role.

The webhook address is a secret: whoever has it can post as the webhook. It is stored
encrypted (Fernet, from ``cryptography``) with a key derived from SECRET_KEY, so a copy of
the database alone does not give it away; a changed SECRET_KEY makes it unreadable, and the
webhook is then switched off with the usual notice to the leads, to be connected again. Only
https
addresses on Discord's own hosts with a webhook path are taken. DISCORD_WEBHOOK_HOSTS (in
settings) lists the hosts; tests add 127.0.0.1 to reach a stand-in server over plain http,
which is allowed for loopback hosts only and is for tests only.

A post that fails is tried again with a growing wait (Discord's own ``retry_after`` when it
answers 429); a post given up on counts as a failure, and after DISCORD_FAILURES_TO_STOP in
a row (or at once when Discord says the webhook no longer exists) the webhook is switched
off and the leads are told, so a deleted webhook does not fail for ever unnoticed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.core.outbox import enqueue_on_commit
from portal.teams.models import DiscordWebhook, EventKind, TeamEvent

# The kinds of team news worth a post in the mod channel.
POSTED_KINDS = {
    EventKind.COVERAGE_GAP,
    EventKind.APPLICATION,
    EventKind.RULEBOOK,
    EventKind.DEBRIEF,
}
TIMEOUT_SECONDS = 5
TRIES = 4
# Waits between tries: 10 s, 40 s, 160 s (and never more than MAX_WAIT, whatever a 429 says).
FIRST_WAIT = 10
MAX_WAIT = 600
DISCORD_FAILURES_TO_STOP = 3
_WEBHOOK_PATH = re.compile(r"^/api(?:/v\d+)?/webhooks/\d{1,25}/[A-Za-z0-9_\-]{1,100}/?$")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def webhook_url_check(url: str) -> str:
    """The address, if it is a Discord webhook's; a ValidationError saying what is wrong."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 (a bad port raises ValueError here)
    except ValueError:
        raise ValidationError("That is not a web address.", code="invalid") from None
    hosts = {h.lower() for h in settings.DISCORD_WEBHOOK_HOSTS}
    if host not in hosts:
        raise ValidationError(
            "Paste the webhook's address from Discord (it starts with "
            "https://discord.com/api/webhooks/).",
            code="host",
        )
    if parts.scheme != "https" and not (parts.scheme == "http" and host in _LOOPBACK):
        raise ValidationError("A webhook's address starts with https://.", code="scheme")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ValidationError("Paste the webhook's address alone, as Discord gives it.")
    if not _WEBHOOK_PATH.match(parts.path):
        raise ValidationError(
            "That is not a webhook's address: it ends with /api/webhooks/ then two parts.",
            code="path",
        )
    return url


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"modhall.teams.discord:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(url: str) -> str:
    return _fernet().encrypt(url.encode()).decode()


def unseal(sealed: str) -> str | None:
    """The address, or None when it cannot be read (SECRET_KEY changed)."""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def announce(event: TeamEvent) -> None:
    """Post the event to the team's Discord after commit, if it is of a kind worth it."""
    if event.kind in POSTED_KINDS:
        from portal.teams.tasks import post_to_discord

        enqueue_on_commit(post_to_discord, event.pk)


def message_for(event: TeamEvent, link: str) -> dict:
    channel = event.team.channel
    return {
        "content": f"**{channel.name} mod team**: {event.summary}\n<{link}>",
        # No @everyone, @here, role or user pings, whatever the summary holds.
        "allowed_mentions": {"parse": []},
    }


@dataclass(frozen=True)
class Delivery:
    ok: bool
    retry_after: float | None = None  # seconds, when Discord said to slow down
    error: str = ""
    gone: bool = False  # the webhook no longer exists, or was never valid


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A webhook never redirects; following one would send the post somewhere else.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _retry_after(error: urllib.error.HTTPError) -> float:
    try:
        body = json.loads(error.read() or b"{}")
        return float(body.get("retry_after"))
    except (ValueError, TypeError, AttributeError):
        pass
    try:
        return float(error.headers.get("Retry-After", ""))
    except ValueError:
        return float(FIRST_WAIT)


def deliver(url: str, message: dict) -> Delivery:
    """One POST to the webhook, within TIMEOUT_SECONDS."""
    request = urllib.request.Request(  # noqa: S310 (the address was checked: https or loopback)
        url,
        data=json.dumps(message).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "Modhall (team news)"},
        method="POST",
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
            return Delivery(ok=200 <= response.status < 300)
    except urllib.error.HTTPError as error:
        if error.code == 429:
            return Delivery(ok=False, retry_after=_retry_after(error), error="429 rate limited")
        gone = error.code in (401, 403, 404)
        return Delivery(ok=False, error=f"{error.code} {error.reason}"[:200], gone=gone)
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        return Delivery(ok=False, error=str(getattr(error, "reason", error))[:200])


def wait_before(tries_made: int, delivery: Delivery) -> int:
    """Seconds to wait before the next try: Discord's retry_after when it gave one, else
    10 s, 40 s, 160 s."""
    if delivery.retry_after is not None:
        return min(max(int(delivery.retry_after + 0.999), 1), MAX_WAIT)
    return min(FIRST_WAIT * 4 ** (tries_made - 1), MAX_WAIT)


def delivered(webhook: DiscordWebhook) -> None:
    if webhook.failures or webhook.last_error:
        DiscordWebhook.objects.filter(pk=webhook.pk).update(failures=0, last_error="")


@transaction.atomic
def delivery_failed(*, webhook: DiscordWebhook, delivery: Delivery) -> bool:
    """Count a post given up on; switch the webhook off (and tell the leads) when it has
    failed too often or is gone. Returns whether it was switched off."""
    from portal.teams.services import team_event_record

    webhook = DiscordWebhook.objects.select_for_update().get(pk=webhook.pk)
    if not webhook.active:
        return False
    webhook.failures += 1
    webhook.last_error = delivery.error[:200]
    stop = delivery.gone or webhook.failures >= DISCORD_FAILURES_TO_STOP
    if stop:
        webhook.active = False
        webhook.switched_off_at = timezone.now()
    webhook.save(update_fields=["failures", "last_error", "active", "switched_off_at"])
    if stop:
        from django.urls import reverse

        team_event_record(
            team=webhook.team,
            kind=EventKind.DISCORD,
            summary=f"The Discord webhook ending …{webhook.tail} was switched off: posts to "
            f"it failed ({webhook.last_error}). Connect it again once it works.",
            path=reverse("teams:discord", kwargs={"slug": webhook.team.slug}),
            leads_only=True,
        )
    return stop


@transaction.atomic
def discord_webhook_connect(*, team, url: str, actor) -> DiscordWebhook:
    url = webhook_url_check(url)
    webhook, _ = DiscordWebhook.objects.update_or_create(
        team=team,
        defaults={
            "url_sealed": seal(url),
            "tail": url.rstrip("/")[-4:],
            "connected_by": actor,
            "connected_at": timezone.now(),
            "active": True,
            "failures": 0,
            "last_error": "",
            "switched_off_at": None,
        },
    )
    return webhook


@transaction.atomic
def discord_webhook_disconnect(*, team) -> None:
    DiscordWebhook.objects.filter(team=team).delete()
