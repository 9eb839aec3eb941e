"""The forums' rate limits and duplicate detection for posting.

The limiter itself is the portal's one (core/limits.py: counted from the person's own rows,
tighter for new accounts); this module says what the forums limit and how fast. Services call
these inside their transaction after locking the person's row. Forum moderators have no limits
(the posting service skips them).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from portal.accounts.models import User
from portal.core.limits import DAY, HOUR, MINUTE, Limit, check_rows

DUPLICATE_WINDOW = timedelta(minutes=10)

POSTS = Limit("posts", MINUTE, regular=6, new_account=2)
TOPICS = Limit("topics", MINUTE, regular=2, new_account=1)
TOPICS_HOURLY = Limit("topics", HOUR, regular=20, new_account=3)
REPORTS = Limit("reports", HOUR, regular=20, new_account=5)


def check_posting(*, user: User, starting_topic: bool, now: datetime | None = None) -> None:
    from portal.forums.models import Post, Topic

    now = now or timezone.now()
    check_rows(POSTS, Post.objects.filter(author=user), field="created_at", user=user, now=now)
    if starting_topic:
        topics = Topic.objects.filter(author=user)
        for limit in (TOPICS, TOPICS_HOURLY):
            check_rows(limit, topics, field="created_at", user=user, now=now)


def check_reporting(*, user: User, now: datetime | None = None) -> None:
    from portal.forums.models import Flag

    check_rows(REPORTS, Flag.objects.filter(reporter=user), field="created_at", user=user, now=now)


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


# Private conversations. Starting one is first contact with people who did not ask for it,
# the commonest path of scams and harassment towards new moderators: a new account starts
# few (and no message of theirs may carry links, see services/conversations.py).
CONVERSATIONS = Limit("new conversations", HOUR, regular=10, new_account=2)
CONVERSATIONS_DAILY = Limit("new conversations", DAY, regular=30, new_account=3)


def check_conversation_start(*, user: User, now: datetime | None = None) -> None:
    from portal.forums.models import Topic

    now = now or timezone.now()
    started = Topic.objects.filter(author=user, is_private=True, purpose="")
    for limit in (CONVERSATIONS, CONVERSATIONS_DAILY):
        check_rows(limit, started, field="created_at", user=user, now=now)
