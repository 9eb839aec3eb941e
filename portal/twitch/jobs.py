"""Running one job with a grant: the steps every Twitch job shares, whatever it reads.

A job (verify where I moderate, import a mod team) gets the token from the grant (exchanging
the consent's code the first time), checks the token is the connected Twitch account's, makes
its calls, refreshes an expired token once, and then forgets the grant: the token is revoked
on Twitch and the row deleted, so nothing is kept once the job is done.

What went wrong is said in the job's own words: ``TryLater`` (Twitch was slow, down or
rate-limited: the task asks again, after the reset time Twitch gave or with backoff),
``Reconnect`` (the permission is gone: ask the person, once) and ``WrongAccount``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from portal.twitch import client
from portal.twitch.models import TwitchGrant


class TryLater(Exception):
    """Ask again in ``seconds`` (or after the task's own backoff when None)."""

    def __init__(self, seconds: int | None = None) -> None:
        super().__init__(f"try again in {seconds or 'a while'} seconds")
        self.seconds = seconds


class Reconnect(Exception):
    """Twitch no longer accepts the permission (revoked, expired past refreshing, or the
    consent's code was refused): only the person can give it again."""


class WrongAccount(Exception):
    """The person approved with a Twitch account other than the one their Modhall account is
    connected to: nothing of that account is read."""

    def __init__(self, login: str) -> None:
        super().__init__(login)
        self.login = login


def _token(grant: TwitchGrant) -> str:
    if grant.access_token:
        return grant.access_token
    tokens = client.code_exchange(code=grant.code, redirect_uri=grant.redirect_uri)
    grant.access_token, grant.refresh_token, grant.code = (
        tokens.access_token,
        tokens.refresh_token,
        "",
    )
    grant.save(update_fields=["access_token", "refresh_token", "code"])
    owner = client.token_owner(access_token=grant.access_token)
    if owner.user_id != grant.twitch_user_id:
        raise WrongAccount(owner.login)
    return grant.access_token


def _refresh(grant: TwitchGrant) -> str:
    tokens = client.token_refresh(refresh_token=grant.refresh_token)
    grant.access_token = tokens.access_token
    grant.refresh_token = tokens.refresh_token or grant.refresh_token
    grant.refreshed = True
    grant.save(update_fields=["access_token", "refresh_token", "refreshed"])
    return grant.access_token


def with_grant[T](grant: TwitchGrant, call: Callable[[str], T], *, last_try: bool) -> T:
    """``call(access_token)``, turning Twitch's failures into the job's words. On the last try
    a passing failure is final too (TwitchUnavailable is raised for the caller to record)."""
    try:
        try:
            return call(_token(grant))
        except client.TwitchUnauthorized:
            # An expired access token: refreshed once per job. A refresh Twitch refuses, or a
            # second 401, means the person took the permission back.
            if grant.refreshed or not grant.refresh_token:
                raise
            return call(_refresh(grant))
    except client.TwitchUnauthorized as error:
        raise Reconnect(str(error)) from error
    except client.TwitchRefused as error:
        raise Reconnect(str(error)) from error
    except client.TwitchRateLimited as error:
        if last_try:
            raise client.TwitchUnavailable("still rate limited") from error
        raise TryLater(error.wait_seconds()) from error
    except client.TwitchUnavailable:
        if last_try:
            raise
        raise TryLater(None) from None


def grant_forget(*, grant: TwitchGrant) -> None:
    """The job is done: revoke the token on Twitch (after commit, never holding the
    transaction open on a slow Twitch) and delete the grant."""
    token = grant.access_token
    TwitchGrant.objects.filter(pk=grant.pk).delete()
    if token:
        transaction.on_commit(lambda: client.token_revoke(access_token=token), robust=True)
