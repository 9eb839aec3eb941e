"""Talking to Twitch: its OAuth server (id.twitch.tv) and its Helix API, and nothing else.

Every call has a timeout (settings.TWITCH_TIMEOUT) and every answer that is not a success
becomes one of four errors, so the tasks above decide what to do with words, not status codes:

- ``TwitchUnauthorized``: the token is expired or revoked (401); refresh it once, or ask the
  person to reconnect.
- ``TwitchRateLimited``: Twitch said 429; its ``Ratelimit-Reset`` header (a Unix time) says
  when the bucket refills, and the task waits until then.
- ``TwitchUnavailable``: Twitch was slow (timeout), unreachable or answered 5xx; try later,
  with backoff.
- ``TwitchRefused``: any other 4xx (a used code, a wrong parameter); trying again will not
  help.

Only the addresses come from settings (TWITCH_AUTH_URL, TWITCH_API_URL): the stand-in Twitch
of the tests speaks the same protocol. Tokens are passed in and never logged.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import requests
from django.conf import settings

# Helix answers at most 100 rows a page (``first``, 1 to 100, default 20).
PAGE_SIZE = 100
# A list longer than this many pages is cut short rather than read forever (200,000 rows:
# no channel has that many moderators, nobody moderates that many channels).
MAX_PAGES = 2000


class TwitchError(Exception):
    """Twitch did not give what was asked."""


class TwitchUnauthorized(TwitchError):
    """The token is not (or no longer) valid: expired, revoked, or never was."""


class TwitchRefused(TwitchError):
    """A 4xx other than 401 and 429: asking again the same way will not help."""


class TwitchUnavailable(TwitchError):
    """Slow, unreachable or a 5xx: asking again later may."""


class TwitchRateLimited(TwitchError):
    """429: wait until ``reset_at`` (a Unix time), when the rate-limit bucket refills."""

    def __init__(self, reset_at: float, message: str = "rate limited") -> None:
        super().__init__(message)
        self.reset_at = reset_at

    def wait_seconds(self, now: float | None = None) -> int:
        """Whole seconds until the reset (at least 1, at most 15 minutes: a reset time far
        away or in the past is not trusted blindly)."""
        now = time.time() if now is None else now
        return int(min(max(math.ceil(self.reset_at - now), 1), 15 * 60))


@dataclass(frozen=True)
class Tokens:
    """What the token endpoint answers (the access token, the refresh token, its life)."""

    access_token: str
    refresh_token: str
    expires_in: int | None
    scopes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TokenOwner:
    """What /oauth2/validate says about a token: whose it is and what it allows."""

    user_id: str
    login: str
    scopes: list[str]


def auth_url(path: str) -> str:
    return f"{settings.TWITCH_AUTH_URL}/{path.lstrip('/')}"


def api_url(path: str) -> str:
    return f"{settings.TWITCH_API_URL}/{path.lstrip('/')}"


def _send(method: str, url: str, **kwargs) -> requests.Response:
    try:
        response = requests.request(method, url, timeout=settings.TWITCH_TIMEOUT, **kwargs)
    except requests.Timeout as error:
        raise TwitchUnavailable("Twitch did not answer in time") from error
    except requests.RequestException as error:
        raise TwitchUnavailable(f"Twitch could not be reached ({type(error).__name__})") from error
    if response.status_code < 400:
        return response
    message = _message(response)
    if response.status_code == 401:
        raise TwitchUnauthorized(message)
    if response.status_code == 429:
        raise TwitchRateLimited(_reset_at(response), message)
    if response.status_code >= 500:
        raise TwitchUnavailable(f"Twitch answered {response.status_code}: {message}")
    raise TwitchRefused(f"Twitch answered {response.status_code}: {message}")


def _message(response: requests.Response) -> str:
    # Twitch's errors are {"error": "Unauthorized", "status": 401, "message": "…"}.
    try:
        body = response.json()
    except ValueError:
        return response.reason or ""
    if isinstance(body, dict):
        return str(body.get("message") or body.get("error") or "")[:200]
    return ""


def _reset_at(response: requests.Response) -> float:
    try:
        return float(response.headers.get("Ratelimit-Reset", ""))
    except ValueError:
        # No usable reset time: wait a minute, Twitch's bucket refills within one.
        return time.time() + 60


def _json(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError as error:
        raise TwitchUnavailable("Twitch answered something that is not JSON") from error
    if not isinstance(body, dict):
        raise TwitchUnavailable("Twitch answered something unexpected")
    return body


def _tokens(body: dict) -> Tokens:
    if not body.get("access_token"):
        raise TwitchRefused("Twitch gave no access token")
    scope = body.get("scope") or []
    return Tokens(
        access_token=body["access_token"],
        refresh_token=body.get("refresh_token") or "",
        expires_in=int(body["expires_in"]) if body.get("expires_in") else None,
        scopes=list(scope) if isinstance(scope, list) else str(scope).split(),
    )


def authorize_address(*, redirect_uri: str, scopes: list[str], state: str) -> str:
    """Twitch's consent page asking for ``scopes``, coming back to ``redirect_uri``."""
    from urllib.parse import urlencode

    query = urlencode(
        {
            "client_id": settings.TWITCH_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": " ".join(scopes),
            "state": state,
        }
    )
    return f"{auth_url('oauth2/authorize')}?{query}"


def code_exchange(*, code: str, redirect_uri: str) -> Tokens:
    """Trade the code Twitch's consent page gave for tokens."""
    response = _send(
        "POST",
        auth_url("oauth2/token"),
        data={
            "client_id": settings.TWITCH_CLIENT_ID,
            "client_secret": settings.TWITCH_CLIENT_SECRET,
            "code": code,
            "grant_type": "authorization_code",
            "redirect_uri": redirect_uri,
        },
    )
    return _tokens(_json(response))


def token_refresh(*, refresh_token: str) -> Tokens:
    """A new access token for an expired one. Twitch answers 400 "Invalid refresh token" when
    the person disconnected Modhall: that is the same as a revoked token."""
    try:
        response = _send(
            "POST",
            auth_url("oauth2/token"),
            data={
                "client_id": settings.TWITCH_CLIENT_ID,
                "client_secret": settings.TWITCH_CLIENT_SECRET,
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
            },
        )
    except TwitchRefused as error:
        raise TwitchUnauthorized(str(error)) from error
    return _tokens(_json(response))


def token_owner(*, access_token: str) -> TokenOwner:
    """Whose token this is (Twitch's /oauth2/validate)."""
    body = _json(
        _send(
            "GET", auth_url("oauth2/validate"), headers={"Authorization": f"OAuth {access_token}"}
        )
    )
    if not body.get("user_id"):
        raise TwitchRefused("the token belongs to no Twitch user")
    return TokenOwner(
        user_id=str(body["user_id"]),
        login=str(body.get("login") or ""),
        scopes=list(body.get("scopes") or []),
    )


def token_revoke(*, access_token: str) -> None:
    """Tell Twitch to forget the token: done with it. Failing to is not the person's
    problem (the token expires on its own within hours), so nothing is raised."""
    with contextlib.suppress(TwitchError):
        _send(
            "POST",
            auth_url("oauth2/revoke"),
            data={"client_id": settings.TWITCH_CLIENT_ID, "token": access_token},
        )


def helix_pages(*, path: str, params: dict, access_token: str) -> Iterator[dict]:
    """Every row of a paginated Helix list, following ``pagination.cursor`` into ``after``
    until Twitch gives none."""
    headers = {"Authorization": f"Bearer {access_token}", "Client-Id": settings.TWITCH_CLIENT_ID}
    cursor = ""
    for _ in range(MAX_PAGES):
        query = {**params, "first": PAGE_SIZE}
        if cursor:
            query["after"] = cursor
        body = _json(_send("GET", api_url(path), params=query, headers=headers))
        yield from body.get("data") or []
        cursor = (body.get("pagination") or {}).get("cursor") or ""
        if not cursor:
            return


def moderated_channels(*, user_id: str, access_token: str) -> list[dict]:
    """Helix "Get Moderated Channels" (scope user:read:moderated_channels): the channels
    where ``user_id`` is a moderator, every page. Rows: broadcaster_id, broadcaster_login,
    broadcaster_name."""
    return list(
        helix_pages(
            path="moderation/channels", params={"user_id": user_id}, access_token=access_token
        )
    )


def channel_moderators(*, broadcaster_id: str, access_token: str) -> list[dict]:
    """Helix "Get Moderators" (scope moderation:read): rows of user_id, user_login,
    user_name."""
    return list(
        helix_pages(
            path="moderation/moderators",
            params={"broadcaster_id": broadcaster_id},
            access_token=access_token,
        )
    )


def channel_vips(*, broadcaster_id: str, access_token: str) -> list[dict]:
    """Helix "Get VIPs" (scope channel:read:vips): rows of user_id, user_login, user_name."""
    return list(
        helix_pages(
            path="channels/vips",
            params={"broadcaster_id": broadcaster_id},
            access_token=access_token,
        )
    )
