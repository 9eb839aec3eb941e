"""Prepares what the load test needs from the database (run by bench/load.py inside Django):
signed-in sessions for some demo people, and the topics, posts and openings they will use.
Prints JSON."""

from __future__ import annotations

import json
import os
import sys

import django


def main(people: int) -> dict:
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from portal.accounts.models import User
    from portal.board.models import Opening
    from portal.forums.models import Post, Status, Topic

    # People with no application or post in the last day, so their rate limits leave room for
    # the run's writes (an earlier run's visitors have used theirs up).
    day_ago = timezone.now() - timedelta(days=1)
    users = list(
        User.objects.filter(is_active=True)
        .exclude(username__startswith="demo_")
        .exclude(applications__created_at__gte=day_ago)
        .exclude(forum_posts__created_at__gte=day_ago)
        .order_by("pk")[:people]
    )
    sessions = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append({"user_id": user.pk, "session": session.session_key})
    topic_rows = list(
        Topic.objects.filter(status=Status.PUBLISHED, is_locked=False, is_closed=False)
        .exclude(category__staff_only_posting=True)
        .order_by("-last_posted_at")[:200]
    )
    topics = [t.pk for t in topic_rows]
    posts = list(
        Post.objects.filter(status=Status.PUBLISHED, topic_id__in=topics)
        .exclude(author__in=users)  # nobody may react to their own post
        .order_by("-pk")
        .values_list("pk", flat=True)[:500]
    )
    openings = []
    for opening in (
        Opening.objects.visible()
        .select_related("channel")
        .prefetch_related("questions")
        .order_by("-pk")[:100]
    ):
        questions = [
            {"name": f"question_{q.pk}", "kind": q.kind, "choices": list(q.choices or [])}
            for q in opening.questions.all()
        ]
        openings.append(
            {"pk": opening.pk, "owner_id": opening.channel.owner_id, "questions": questions}
        )
    pages = ["/", "/guides/", "/board/", "/forums/", "/forums/latest/"]
    pages += [t.get_absolute_url() for t in topic_rows[:50]]
    return {"sessions": sessions, "topics": topics, "posts": posts, "openings": openings,
            "pages": pages}  # fmt: skip


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    print(json.dumps(main(int(sys.argv[1]))))
