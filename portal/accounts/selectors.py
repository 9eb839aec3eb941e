"""Reads about people that pages share, each at a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from portal.accounts.models import Block, Profile, User


def profile_for_viewer(*, username: str, viewer: User) -> Profile:
    """The profile page's profile, or 404 when the viewer may not see it.

    A private profile is visible to its owner and to staff only; to everyone else it does not
    exist (404, not 403, so a private profile's username is not confirmed).
    """
    profile = (
        Profile.objects.select_related("user")
        .prefetch_related("roles", Prefetch("languages"))
        .filter(user__username=username, user__is_active=True)
        .first()
    )
    if profile is None:
        raise Http404("No such person.")
    is_owner = viewer.is_authenticated and viewer.pk == profile.user_id
    if not profile.is_public and not is_owner and not viewer.is_staff:
        raise Http404("No such person.")
    return profile


@dataclass(frozen=True)
class SignedInSession:
    """One place the person is signed in, as the sessions page shows it."""

    pk: int
    device: str
    browser: str
    ip: str
    started: datetime
    last_used: datetime
    is_current: bool


def describe_user_agent(user_agent: str) -> tuple[str, str]:
    """("iPhone", "Mobile Safari 17") or ("Windows computer", "Firefox 133") from a browser's
    User-Agent, in words a person recognises; the rules ship with ua-parser-builtins."""
    from ua_parser import parse

    result = parse(user_agent or "")
    browser = "Unknown browser"
    if result.user_agent and result.user_agent.family != "Other":
        agent = result.user_agent
        browser = f"{agent.family} {agent.major}" if agent.major else agent.family
    if result.device and result.device.family not in ("Other", "Spider"):
        device = result.device.family
    elif result.os and result.os.family != "Other":
        device = f"{result.os.family} computer"
    else:
        device = "Unknown device"
    return device, browser


def signed_in_sessions(*, user: User, current_key: str | None) -> list[SignedInSession]:
    """Where the person is signed in, most recently used first: allauth's UserSession rows
    whose session is still alive and still theirs (not expired, not signed out, not left
    behind by a password change), in two queries whatever their number. Rows no longer alive
    are only left out: allauth forgets them at the person's next sign-in."""
    from allauth.usersessions.models import UserSession

    rows = list(UserSession.objects.filter(user_id=user.pk).order_by("-last_seen_at", "-pk"))
    alive = {
        session.session_key: session.get_decoded()
        for session in Session.objects.filter(
            session_key__in=[row.session_key for row in rows], expire_date__gt=timezone.now()
        )
    }
    auth_hash = user.get_session_auth_hash()
    listed = []
    for row in rows:
        data = alive.get(row.session_key)
        if (
            data is None
            or str(data.get(SESSION_KEY)) != str(user.pk)
            or not constant_time_compare(data.get(HASH_SESSION_KEY, ""), auth_hash)
        ):
            continue
        device, browser = describe_user_agent(row.user_agent)
        listed.append(
            SignedInSession(
                pk=row.pk,
                device=device,
                browser=browser,
                ip=row.ip,
                started=row.created_at,
                last_used=row.last_seen_at,
                is_current=row.session_key == current_key,
            )
        )
    return listed


def blocked_ids(*, user: User) -> set[int]:
    """The people this person blocks (one query): whose posts to collapse for them."""
    if not user.is_authenticated:
        return set()
    return set(Block.objects.filter(blocker=user).values_list("blocked_id", flat=True))


def blocked_either_way(*, a_id: int, b_id: int) -> bool:
    """Whether either person blocks the other: no conversation, mention, invitation or
    application passes between them. (Either way, so the blocked person cannot learn of the
    block by finding they can still write while the other cannot.)"""
    return Block.objects.between(a_id, b_id).exists()


def blocks_of(*, user: User) -> list[Block]:
    """The person's list of blocked people, for their settings page."""
    return list(Block.objects.filter(blocker=user).select_related("blocked__profile"))
