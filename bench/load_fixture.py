"""What the load test needs from a database, run inside Django by bench/load.py:

    python -m bench.load_fixture plan writes|realistic PEOPLE   # people, topics, pages… (JSON)
    python -m bench.load_fixture sessions FILE                  # a session per person in FILE
    python -m bench.load_fixture state FILE                     # the writes found (JSON)

The plan is read once, from the candidate's copy of the data; each code's copy then gets
sessions for the same people, and after the run its own count of what was stored.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timedelta

import django

REPLY_MARK = "Load test reply"


def plan(mix: str, people: int) -> dict:
    from django.db.models import Count, Q
    from django.utils import timezone

    from portal.accounts.models import User
    from portal.forums.models import Suspension

    now = timezone.now()
    day_ago = now - timedelta(days=1)
    suspended = Suspension.objects.filter(lifted_at__isnull=True, until__gt=now)
    # Never a demo account (demo_mod is the page benchmark's reader), never a suspended person.
    users = (
        User.objects.filter(is_active=True)
        .exclude(username__startswith="demo_")
        .exclude(pk__in=suspended.values("user_id"))
        .order_by("pk")
    )
    if mix == "writes":
        # Today's mix: people with no application or post in the last day, so their rate
        # limits leave room for the run's writes.
        users = users.exclude(applications__created_at__gte=day_ago).exclude(
            forum_posts__created_at__gte=day_ago
        )
        ids = list(users.values_list("pk", flat=True)[:people])
        return {"users": ids, **_writes_plan(ids)}
    # The realistic mix spreads its writes over many people and counts each one's limits
    # itself, starting from what they used before the run.
    rows = list(
        users.exclude(forum_posts__created_at__gte=now - timedelta(minutes=2))
        .annotate(today=Count("applications", filter=Q(applications__created_at__gte=day_ago)))
        .values_list("pk", "today")[:people]
    )
    ids = [pk for pk, _ in rows]
    return {"users": ids, "applications_today": dict(rows), **_realistic_plan(ids)}


def _open_topics():
    from portal.forums.models import Topic

    # published(): public topics only (a team's discussion or a conversation answers 404 to
    # the people the load test is, and would be measured as a cheap page).
    return (
        Topic.objects.published()
        .filter(is_locked=False, is_closed=False)
        .exclude(category__staff_only_posting=True)
        .order_by("-last_posted_at", "-pk")
    )


def _openings(limit: int) -> list[dict]:
    from portal.board.models import Opening

    openings = []
    for opening in (
        Opening.objects.visible()
        .select_related("channel")
        .prefetch_related("questions")
        .order_by("-pk")[:limit]
    ):
        questions = [
            {"name": f"question_{q.pk}", "kind": q.kind, "choices": list(q.choices or [])}
            for q in opening.questions.all()
        ]
        openings.append(
            {"pk": opening.pk, "owner_id": opening.channel.owner_id, "questions": questions,
             "url": opening.get_absolute_url()}
        )  # fmt: skip
    return openings


def _writes_plan(users: list[int]) -> dict:
    """Today's write-heavy mix: 200 recent topics to reply in, 500 posts to react to, 100
    openings, and a few pages to browse."""
    from portal.forums.models import Post, Status

    topic_rows = list(_open_topics()[:200])
    topics = [t.pk for t in topic_rows]
    posts = list(
        Post.objects.filter(status=Status.PUBLISHED, topic_id__in=topics)
        .exclude(author__in=users)  # nobody may react to their own post
        .order_by("-pk")
        .values_list("pk", flat=True)[:500]
    )
    pages = ["/", "/guides/", "/board/", "/forums/", "/forums/latest/"]
    pages += [t.get_absolute_url() for t in topic_rows[:50]]
    return {"topics": topics, "posts": posts, "openings": _openings(100), "pages": pages}


def _realistic_plan(users: list[int]) -> dict:
    """A wide set of pages to read (topics by recent activity with their page counts,
    categories, lists, the board with filters, openings, guides) and what people may write
    to (open topics, posts with their authors, openings with their questions)."""
    from django.db.models import Count

    from portal.accounts.models import Language, Role
    from portal.board.models import Opening
    from portal.forums.models import POSTS_PER_PAGE, TOPICS_PER_PAGE, Category, Post, Status, Topic
    from portal.guides.models import Lesson, Track

    readable = Topic.objects.published().order_by("-last_posted_at", "-pk")
    topics = [
        [t.get_absolute_url(), t.reply_count // POSTS_PER_PAGE + 1]
        for t in readable.only("pk", "slug", "reply_count")[:3000]
    ]
    categories = [
        [c.get_absolute_url(), max(1, c.n // TOPICS_PER_PAGE + 1)]
        for c in Category.objects.public()
        .annotate(n=Count("topics", filter=_published_topics()))
        .order_by("order", "pk")
    ]
    open_topics = list(_open_topics().values_list("pk", flat=True)[:2000])
    posts = list(
        Post.objects.filter(
            status=Status.PUBLISHED, topic_id__in=open_topics[:1000], topic__is_locked=False
        )
        .order_by("-pk")
        .values_list("pk", "author_id")[:5000]
    )
    visible = Opening.objects.visible()
    roles = list(
        Role.objects.filter(openings__in=visible).distinct().values_list("slug", flat=True)
    )
    languages = list(
        Language.objects.filter(openings__in=visible).distinct().values_list("code", flat=True)
    )
    board = ["/board/?sort=closing", "/board/?page=2", "/board/?compensation=paid"]
    board += [f"/board/?role={slug}" for slug in roles]
    board += [f"/board/?language={code}" for code in languages]
    board += [f"/board/?role={slug}&sort=closing" for slug in roles[:4]]
    openings = _openings(300)
    return {
        "reply_topics": open_topics,
        "posts": [[pk, author] for pk, author in posts],
        "openings": openings,
        "browse": {
            "topics": topics,
            "categories": categories,
            "board": board,
            "openings": [o["url"] for o in openings],
            "lessons": [lesson.get_absolute_url() for lesson in _lessons(Lesson)],
            "tracks": [track.get_absolute_url() for track in Track.objects.active()],
        },
    }


def _published_topics():
    from django.db.models import Q

    from portal.forums.models import Status

    return Q(topics__status=Status.PUBLISHED)


def _lessons(lesson_model) -> list:
    return list(lesson_model.objects.active().select_related("track"))


def sessions(user_ids: list[int]) -> dict[int, str]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from portal.accounts.models import User

    result = {}
    for user in User.objects.filter(pk__in=user_ids):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        result[user.pk] = session.session_key
    return result


def state(users: list[int], posts: list[int], since: str) -> dict:
    """What the people wrote since ``since``, and the reactions and applications now."""
    from portal.board.models import Application
    from portal.forums.models import Post, Reaction, Status

    since_at = datetime.fromisoformat(since)
    replies = Post.objects.filter(
        author_id__in=users, created_at__gte=since_at, body__startswith=REPLY_MARK
    )
    return {
        "replies": replies.count(),
        "replies_published": replies.filter(status=Status.PUBLISHED).count(),
        "applications": sorted(
            Application.objects.filter(
                applicant_id__in=users, created_at__gte=since_at
            ).values_list("applicant_id", "opening_id")
        ),
        "all_applications": sorted(
            Application.objects.filter(applicant_id__in=users).values_list(
                "applicant_id", "opening_id"
            )
        ),
        "reactions": sorted(
            Reaction.objects.filter(user_id__in=users, post_id__in=posts).values_list(
                "user_id", "post_id", "kind"
            )
        ),
        "outbox": _outbox(),
        **_emailed(since_at),
    }


def _emailed(since: datetime) -> dict:
    """Reply notifications made since ``since``, and how many of them the worker's email task
    has handled (only it sets emailed_at): proof that tasks ran on the worker."""
    from portal.forums.models import Notification

    made = Notification.objects.filter(created_at__gte=since, kind="reply")
    return {"notified": made.count(), "emailed": made.exclude(emailed_at=None).count()}


def _outbox() -> int:
    from portal.core.models import OutboxTask

    return OutboxTask.objects.count()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    command = sys.argv[1]
    if command == "plan":
        print(json.dumps(plan(sys.argv[2], int(sys.argv[3]))))
    else:
        with open(sys.argv[2]) as file:
            given = json.load(file)
        if command == "sessions":
            print(json.dumps(sessions(given["users"])))
        else:
            print(json.dumps(state(given["users"], given["posts"], given["since"])))
