"""Rate limits and duplicate detection for posting, counted from the database.

The limits count a person's own recent rows (posts, topics, reports) rather than cache
counters: the rows are already there and indexed by author and time, the count is exact
across every web process, and nothing expires early when a cache is flushed. Services call
these inside their transaction after locking the person's row, so two posts sent at the same
moment are counted one after the other on PostgreSQL.

New accounts get tighter limits: spam and raid accounts are young, and a person who just
joined has no reason to post faster than this. Forum moderators have no limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from portal.accounts.models import User

NEW_ACCOUNT_DAYS = 7
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DUPLICATE_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class Limit:
    what: str  # "posts", "topics", "reports"
    per: timedelta
    regular: int
    new_account: int

    def for_user(self, user: User, now: datetime) -> int:
        return self.new_account if is_new_account(user, now) else self.regular

    def window(self) -> str:
        return "a minute" if self.per == MINUTE else "an hour"


POSTS = Limit("posts", MINUTE, regular=6, new_account=2)
TOPICS = Limit("topics", MINUTE, regular=2, new_account=1)
TOPICS_HOURLY = Limit("topics", HOUR, regular=20, new_account=3)
REPORTS = Limit("reports", HOUR, regular=20, new_account=5)


def is_new_account(user: User, now: datetime | None = None) -> bool:
    return user.date_joined > (now or timezone.now()) - timedelta(days=NEW_ACCOUNT_DAYS)


def check(limit: Limit, *, user: User, recent: list[datetime], now: datetime) -> None:
    """Raise a ValidationError with a clear message when ``recent`` (the times of the person's
    rows in the window, newest first, at most the limit) fills the limit."""
    allowed = limit.for_user(user, now)
    if len(recent) < allowed:
        return
    oldest = recent[allowed - 1]
    wait = max(1, int((oldest + limit.per - now).total_seconds()) + 1)
    when = f"{wait} seconds" if wait < 120 else f"{wait // 60} minutes"
    noun = limit.what if allowed != 1 else limit.what.removesuffix("s")
    rule = f"{allowed} {noun} {limit.window()}"
    if allowed == limit.new_account and limit.new_account != limit.regular:
        rule += f" while an account is less than {NEW_ACCOUNT_DAYS} days old"
    raise ValidationError(
        f"Slow down a little: the limit is {rule}. Try again in {when}.",
        code="rate_limited",
    )


def recent_times(queryset, *, field: str, limit: Limit, user: User, now: datetime) -> list:
    """The newest times in the window, at most as many as the person's limit (one query)."""
    return list(
        queryset.filter(**{f"{field}__gte": now - limit.per})
        .order_by(f"-{field}")
        .values_list(field, flat=True)[: limit.for_user(user, now)]
    )


def check_posting(*, user: User, starting_topic: bool, now: datetime | None = None) -> None:
    from portal.forums.models import Post, Topic

    now = now or timezone.now()
    posts = Post.objects.filter(author=user)
    check(
        POSTS,
        user=user,
        recent=recent_times(posts, field="created_at", limit=POSTS, user=user, now=now),
        now=now,
    )
    if starting_topic:
        topics = Topic.objects.filter(author=user)
        for limit in (TOPICS, TOPICS_HOURLY):
            check(
                limit,
                user=user,
                recent=recent_times(topics, field="created_at", limit=limit, user=user, now=now),
                now=now,
            )


def check_reporting(*, user: User, now: datetime | None = None) -> None:
    from portal.forums.models import Flag

    now = now or timezone.now()
    reports = Flag.objects.filter(reporter=user)
    check(
        REPORTS,
        user=user,
        recent=recent_times(reports, field="created_at", limit=REPORTS, user=user, now=now),
        now=now,
    )


def check_duplicate(*, user: User, body_hash: str, now: datetime | None = None) -> None:
    """The same person posting the same text again within minutes: a double submit, or spam."""
    from portal.forums.models import Post, Status

    now = now or timezone.now()
    earlier = (
        Post.objects.filter(
            author=user, body_hash=body_hash, created_at__gte=now - DUPLICATE_WINDOW
        )
        .exclude(status=Status.DELETED)
        .order_by("-created_at")
        .values_list("pk", flat=True)
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            format_html(
                'You posted exactly this a moment ago (<a href="{}">see your post</a>). '
                "Add something new, or wait a few minutes to repeat it.",
                reverse("forums:post", kwargs={"pk": earlier}),
            ),
            code="duplicate",
        )
