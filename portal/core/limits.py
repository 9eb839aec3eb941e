"""The one rate limiter of the portal: how many of a thing a person may do in a window.

A limit counts the person's own recent rows (posts, applications, reports…) rather than cache
counters: the rows are already there and indexed by author and time, the count is exact across
every web process, and nothing is forgotten when a cache is flushed or away. Services call
``check`` inside their transaction after locking the person's row, so two requests sent at
the same moment are counted one after the other on PostgreSQL.

New accounts may get tighter limits: spam, scam and raid accounts are young, and a person who
just joined has no reason to go faster. A refusal is a ``RateLimited``: a ValidationError
(so forms show it like any other) that says the limit and when to try again, and carries
``retry_after`` in seconds for the response's ``Retry-After`` header (core/forms.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser
    from django.db.models import QuerySet

NEW_ACCOUNT_DAYS = 7
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
_WINDOW_NAMES = {MINUTE: "a minute", HOUR: "an hour", DAY: "a day"}


class RateLimited(ValidationError):
    """A limit is full: the message says which and when to try again."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, code="rate_limited")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limit:
    what: str  # the plural the person reads: "posts", "applications"
    per: timedelta
    regular: int
    new_account: int
    note: str = ""  # said after the limit, e.g. what was kept ("Your draft is saved.")

    def for_user(self, user: AbstractUser, now: datetime) -> int:
        return self.new_account if is_new_account(user, now) else self.regular

    def window(self) -> str:
        return _WINDOW_NAMES.get(self.per) or f"every {naturaldelta(self.per.total_seconds())}"


def is_new_account(user: AbstractUser, now: datetime | None = None) -> bool:
    return user.date_joined > (now or timezone.now()) - timedelta(days=NEW_ACCOUNT_DAYS)


def naturaldelta(seconds: float) -> str:
    """A wait in words, never shorter than the real one: "40 seconds", "3 minutes", "5 hours"."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 2 * 3600:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{math.ceil(seconds / 3600)} hours"


def recent_times(
    queryset: QuerySet, *, field: str, limit: Limit, user: AbstractUser, now: datetime
) -> list[datetime]:
    """The newest times in the window, at most as many as the person's limit (one query)."""
    return list(
        queryset.filter(**{f"{field}__gte": now - limit.per})
        .order_by(f"-{field}")
        .values_list(field, flat=True)[: limit.for_user(user, now)]
    )


def check(limit: Limit, *, user: AbstractUser, recent: list[datetime], now: datetime) -> None:
    """Raise ``RateLimited`` when ``recent`` (the times of the person's rows in the window,
    newest first, at most the limit: ``recent_times``) fills the limit."""
    allowed = limit.for_user(user, now)
    if len(recent) < allowed:
        return
    # The oldest counted row leaves the window first; then one more fits.
    retry_after = max(1, math.ceil((recent[allowed - 1] + limit.per - now).total_seconds()))
    noun = limit.what if allowed != 1 else limit.what.removesuffix("s")
    rule = f"{allowed} {noun} {limit.window()}"
    if allowed == limit.new_account and limit.new_account != limit.regular:
        rule += f" while an account is less than {NEW_ACCOUNT_DAYS} days old"
    note = f" {limit.note}" if limit.note else ""
    raise RateLimited(
        f"Slow down a little: the limit is {rule}.{note} Try again in {naturaldelta(retry_after)}.",
        retry_after=retry_after,
    )


def check_rows(
    limit: Limit, queryset: QuerySet, *, field: str, user: AbstractUser, now: datetime | None = None
) -> None:
    """``check`` the person's rows in ``queryset`` (theirs only), timed by ``field``."""
    now = now or timezone.now()
    recent = recent_times(queryset, field=field, limit=limit, user=user, now=now)
    check(limit, user=user, recent=recent, now=now)
