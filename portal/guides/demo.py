"""Demo guides: the real library, and some readers part-way through it.

The library is loaded from guides/ when no track is there yet (`make run` has usually done
that already through sync_guides). Progress, checklist ticks, passed checks, badges and
feedback are then written for the demo people in bulk, so "large" (ten thousand people, for
benchmarks) takes seconds, not minutes. demo_mod is half-way through "Start here", so a
newcomer logging in as them sees "continue where you left off".
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from portal.accounts.models import User
from portal.core.demo import DemoContext
from portal.core.progress import progress
from portal.guides.library import START_HERE, LibraryError, load_library
from portal.guides.models import (
    Badge,
    CheckAttempt,
    FeedbackReason,
    Lesson,
    LessonFeedback,
    LessonProgress,
    Track,
    TrackProgress,
)
from portal.guides.papers import check_paper
from portal.guides.sync import library_sync

COMMENTS = [
    "The worked scenario was the most useful part.",
    "Could you add an example for a very small channel?",
    "Some of the buttons are in a different place on mobile.",
    "I wish I had read this before my first raid.",
]
BATCH = 5000


def seed(ctx: DemoContext) -> None:
    if not Track.objects.exists():
        try:
            report = library_sync(library=load_library())
        except LibraryError as exc:
            ctx.say(f"Demo guides: skipped, the library has problems.\n{exc}")
            return
        ctx.say(report.lines()[0])
    if LessonProgress.objects.exists():
        ctx.say("Demo guide progress: already there.")
        return
    tracks = list(Track.objects.active().order_by("order", "title"))
    lessons: dict[int, list[Lesson]] = {track.pk: [] for track in tracks}
    for lesson in (
        Lesson.objects.active()
        .only("pk", "track_id", "checklist", "content_changed_at")
        .order_by("position")
    ):
        lessons[lesson.track_id].append(lesson)
    tracks = [track for track in tracks if lessons[track.pk]]
    people = list(User.objects.filter(is_active=True).order_by("pk").values_list("pk", "username"))
    if not tracks or not people:
        ctx.say("Demo guide progress: no tracks or no people to give it to.")
        return

    rng = ctx.rng
    now = timezone.now()
    start_here = next((t for t in tracks if t.slug == START_HERE), tracks[0])
    rows: dict[str, list] = defaultdict(list)

    def read(user_id: int, track: Track, count: int, when) -> None:
        for lesson in lessons[track.pk][:count]:
            # Nobody reads a lesson before it exists (or they would see "updated since you
            # read it" on a library loaded a minute ago).
            when = max(when, lesson.content_changed_at)
            ticked = [item["key"] for item in lesson.checklist if rng.random() < 0.5]
            rows["lessons"].append(
                LessonProgress(
                    user_id=user_id, lesson=lesson, completed_at=when, checklist_done=ticked
                )
            )
            if rng.random() < 0.15:
                helpful = rng.random() < 0.8
                rows["feedback"].append(
                    LessonFeedback(
                        user_id=user_id,
                        lesson=lesson,
                        helpful=helpful,
                        reason="" if helpful else rng.choice(FeedbackReason.values),
                        comment=rng.choice(COMMENTS) if rng.random() < 0.3 else "",
                    )
                )
        if count >= len(lessons[track.pk]):
            passed = not track.questions or rng.random() < 0.6
            if track.questions and passed:
                paper = check_paper(person=user_id, track=track, lesson=None, number=1)
                answers = [question.question["correct"] for question in paper.questions]
                rows["attempts"].append(
                    CheckAttempt(
                        user_id=user_id,
                        track=track,
                        number=1,
                        question_keys=paper.keys,
                        answers=answers,
                        score=len(answers),
                        total=len(answers),
                        passed=True,
                        questions_hash=track.questions_hash,
                        created_at=when,
                    )
                )
                rows["tracks"].append(
                    TrackProgress(user_id=user_id, track=track, check_passed_at=when)
                )
            if passed:
                rows["badges"].append(Badge(user_id=user_id, track=track, awarded_at=when))

    for user_id, username in progress(people, total=len(people), desc="guide progress"):
        when = now - timedelta(days=rng.randrange(1, 60))
        if username == "demo_mod":
            read(user_id, start_here, max(1, len(lessons[start_here.pk]) // 2), when)
            continue
        if username.startswith("demo_") or rng.random() < 0.3:
            continue  # the other demo accounts, and some people, have not started
        read(user_id, start_here, rng.randrange(1, len(lessons[start_here.pk]) + 1), when)
        for track in rng.sample(tracks, k=min(len(tracks), rng.randrange(0, 3))):
            if track.pk != start_here.pk:
                read(user_id, track, rng.randrange(1, len(lessons[track.pk]) + 1), when)

    LessonProgress.objects.bulk_create(rows["lessons"], batch_size=BATCH)
    TrackProgress.objects.bulk_create(rows["tracks"], batch_size=BATCH)
    CheckAttempt.objects.bulk_create(rows["attempts"], batch_size=BATCH)
    Badge.objects.bulk_create(rows["badges"], batch_size=BATCH)
    LessonFeedback.objects.bulk_create(rows["feedback"], batch_size=BATCH)
    ctx.say(
        f"Demo guide progress: {len(rows['lessons'])} lessons read, "
        f"{len(rows['badges'])} badges, {len(rows['feedback'])} feedback answers."
    )
