"""Every guides page costs a fixed number of SQL queries, whatever the size of the data.

Prevents N+1 queries over lessons, tracks, readers, progress, feedback, badges and journal
notes: each page is measured with the small library and one reader, then again after the
library has grown to 500 lessons and the site to 10,000 readers with progress, check
attempts, badges, feedback and notes (made with bulk_create, so the test stays quick). The
counts must not move.

The numbers below are each page's own queries, one per kind of row it shows. A signed-in
request adds one query for the person (the session comes from the cache); the layout
(base.html) adds whatever its header costs (other apps' counters, such as unread
notifications): that is measured by rendering base.html alone, so a change to the header does
not read as a guides regression.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import F
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role, User
from portal.guides import services
from portal.guides.library_files import checklist_key
from portal.guides.models import (
    Badge,
    CheckAttempt,
    JournalEntry,
    Lesson,
    LessonFeedback,
    LessonProgress,
    Track,
)
from portal.guides.templatetags.guides import guide_badges
from tests.guides.conftest import submit

pytestmark = pytest.mark.django_db

PAGES = {
    # name: (the page's own queries, signed in as "reader" | "staff" | None, url builder)
    # the reader's read lessons, badges and roles with the tracks' versions, in one statement
    # (tracks and lessons: the fragments cache, keyed on those versions):
    "index": (1, "reader", lambda lib, badge: reverse("guides:index")),
    # the tracks' versions (0 while the library's shape was kept under a key that sync_guides
    # deleted; a key read from the rows cannot miss a sync, see selectors.library_cards):
    "index, signed out": (1, None, lambda lib, badge: reverse("guides:index")),
    # the track, its lessons, and the reader's lesson progress, track progress and badge in
    # one statement:
    "track": (3, "reader", lambda lib, badge: lib.enforcer.get_absolute_url()),
    "track, signed out": (2, None, lambda lib, badge: lib.enforcer.get_absolute_url()),
    # the lesson and track; the reader's progress, last attempt, feedback and journal note in
    # one statement (its neighbours only when the cached header and pager are drawn anew):
    "lesson": (2, "reader", lambda lib, badge: lib.ladder.get_absolute_url()),
    "lesson, signed out": (1, None, lambda lib, badge: lib.ladder.get_absolute_url()),
    # the track, and the reader's last attempt, progress and badge in one statement:
    "track check": (
        2,
        "reader",
        lambda lib, badge: reverse("guides:track_check", args=[lib.enforcer.slug]),
    ),
    # the count and one page of results:
    "search": (2, "reader", lambda lib, badge: reverse("guides:search") + "?q=moderation"),
    "search, page 2": (
        2,
        "reader",
        lambda lib, badge: reverse("guides:search") + "?q=moderation&page=2",
    ),
    # the suggested tracks and the roles to save:
    "find your role, answered": (
        2,
        "reader",
        lambda lib, badge: (
            reverse("guides:find_your_role")
            + "?experience=new&chat-enforcer=often&community-host=often&helper-bot-operator=rarely"
            "&right-hand=rarely&lead-moderator=sometimes&incident-responder=rarely"
            "&event-moderator=rarely"
        ),
    ),
    # the badge with its person and track:
    "certificate": (1, "reader", lambda lib, badge: badge.get_absolute_url()),
    # the staff member's profile (a staff tool: do they have a second factor?), the note that
    # they looked at the feedback now, lessons with their helpfulness, the comments' count and
    # page, lessons due for review, the header's Review count (staff hold tools):
    "staff feedback": (7, "staff", lambda lib, badge: reverse("guides:feedback_review")),
    # the glossary (its body from the fragments cache, keyed on its content hash):
    "glossary": (1, None, lambda lib, badge: reverse("guides:glossary")),
    # the count of the reader's notes, and one page of them with their lessons and tracks:
    "journal": (2, "reader", lambda lib, badge: reverse("guides:journal")),
    "journal, page 2": (2, "reader", lambda lib, badge: reverse("guides:journal") + "?page=2"),
}


def give_the_reader_some_progress(reader: User, library) -> Badge:
    services.lesson_complete(user=reader, lesson=library.ladder)
    services.lesson_checklist_save(
        user=reader, lesson=library.ladder, keys=[library.ladder.checklist[0]["key"]]
    )
    submit(reader, track=library.enforcer, lesson=library.ladder, right=False)
    submit(reader, track=library.enforcer)
    services.lesson_feedback_give(
        user=reader, lesson=library.ladder, helpful=False, reason="missing", comment="More?"
    )
    services.journal_entry_save(user=reader, lesson=library.ladder, body="Shorter **timeouts**.")
    services.lesson_complete(user=reader, lesson=library.basics)
    return services.lesson_complete(user=reader, lesson=library.rules)  # Start here's badge


def grow(library, reader: User, *, lessons: int = 500, readers: int = 10_000) -> None:
    """Hundreds of lessons (in the measured track and in new ones) and thousands of readers
    with progress, attempts, badges and feedback on the measured lessons."""
    tracks = [library.enforcer]
    for order, role in enumerate(Role.objects.exclude(slug="chat-enforcer"), start=10):
        tracks.append(
            Track.objects.create(
                slug=role.slug, title=role.name, role=role, order=order, summary="S",
                audience="A", content_hash="x",
            )
        )  # fmt: skip
    checklist = [{"key": checklist_key("Tick me"), "text": "Tick me"}]
    new_lessons = Lesson.objects.bulk_create(
        Lesson(
            uid=f"grown-{i}",
            track=tracks[i % len(tracks)],
            slug=f"grown-{i}",
            position=100 + i,
            source_path=f"x/{i}.md",
            title=f"Grown lesson {i}",
            summary="About moderation.",
            minutes=4,
            last_reviewed=date(2020, 1, 1),
            review_every_days=90,
            review_due=date(2020, 3, 31),
            checklist=checklist,
            body_html="<p>Moderation.</p>",
            body_text="Moderation in depth.",
            content_hash="x",
        )
        for i in range(lessons)
    )
    now = timezone.now()
    password = make_password(None)
    people = User.objects.bulk_create(
        (User(username=f"grown{i}", password=password) for i in range(readers)), batch_size=2000
    )
    LessonProgress.objects.bulk_create(
        [
            LessonProgress(user=person, lesson=lesson, completed_at=now)
            for person in people
            for lesson in (library.ladder, library.queue)
        ]
        # The measured reader has read much of the grown library too.
        + [LessonProgress(user=reader, lesson=lesson, completed_at=now) for lesson in new_lessons],
        batch_size=5000,
    )
    CheckAttempt.objects.bulk_create(
        (
            CheckAttempt(
                user=person, track=library.enforcer, lesson=library.ladder, number=1,
                question_keys=[library.ladder.questions[0]["key"]], answers=[2], score=1,
                total=1, passed=True, questions_hash=library.ladder.questions_hash,
            )
            for person in people
        ),
        batch_size=5000,
    )  # fmt: skip
    Badge.objects.bulk_create(
        (Badge(user=person, track=library.enforcer) for person in people), batch_size=5000
    )
    LessonFeedback.objects.bulk_create(
        (
            LessonFeedback(
                user=person, lesson=library.ladder, helpful=i % 3 != 0,
                reason="" if i % 3 else "confusing", comment=f"Comment {i}",
            )
            for i, person in enumerate(people)
        ),
        batch_size=5000,
    )  # fmt: skip
    JournalEntry.objects.bulk_create(
        [
            JournalEntry(user=person, lesson=library.ladder, prompt="P", body="B", body_html="B")
            for person in people
        ]
        # The measured reader has kept a note on much of the grown library too.
        + [
            JournalEntry(user=reader, lesson=lesson, prompt="P", body="N", body_html="<p>N</p>")
            for lesson in new_lessons
        ],
        batch_size=5000,
    )
    reader.profile.roles.set(Role.objects.all())
    # The lessons above were written directly, not by sync_guides: move what sync would.
    Track.objects.update(version=F("version") + 1)


def layout_queries(user) -> int:
    """What base.html costs by itself for this visitor (its header belongs to other apps)."""
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    render_to_string("base.html", request=request)  # as on every page after a person's first
    with CaptureQueriesContext(connection) as queries:
        render_to_string("base.html", request=request)
    return len(queries.captured_queries)


def measure(client, assert_queries, library, badge, reader, staff) -> dict[str, str]:
    failures = {}
    for name, (own, who, build_url) in PAGES.items():
        client.logout()
        person = {"reader": reader, "staff": staff}.get(who)
        if person:
            client.force_login(person)
        expected = own + layout_queries(person) + (1 if person else 0)  # the person
        url = build_url(library, badge)
        client.get(url)  # counted as every reader after the first sees it: caches filled
        try:
            with assert_queries(expected):
                response = client.get(url)
        except AssertionError as exc:
            failures[name] = str(exc)
            continue
        if response.status_code != 200:
            failures[name] = f"{url} answered {response.status_code}"
    return failures


def test_every_guides_page_costs_the_same_queries_for_small_and_large_data(
    client, assert_queries, library, user, staff_user
):
    badge = give_the_reader_some_progress(user, library)
    small = measure(client, assert_queries, library, badge, user, staff_user)
    assert not small, "\n\n".join(f"{name} (small data):\n{text}" for name, text in small.items())

    with assert_queries(1):
        str(guide_badges(user))  # the profile page's badges (that page is the accounts app's)

    grow(library, user)
    assert Lesson.objects.count() > 500 and User.objects.count() > 10_000
    large = measure(client, assert_queries, library, badge, user, staff_user)
    assert not large, "\n\n".join(f"{name} (large data):\n{text}" for name, text in large.items())
    Badge.objects.bulk_create(
        Badge(user=user, track=track) for track in Track.objects.exclude(badges__user=user)
    )
    every_track = Track.objects.count()
    with assert_queries(1):
        assert len(guide_badges(user)) == every_track
