"""A reader's writes in the guides: reading, checklists, checks, badges, feedback, journal.

Every function acts for the signed-in person passed as ``user`` and only ever touches that
person's rows: views never pass another person's id, so nobody can change someone else's
progress. Loading the library itself is sync.py's job.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.accounts.models import User
from portal.guides.models import (
    Badge,
    CheckAttempt,
    FeedbackReason,
    JournalEntry,
    Lesson,
    LessonFeedback,
    LessonProgress,
    Track,
    TrackProgress,
)
from portal.guides.papers import check_paper
from portal.markup import render_markdown


def _keys_in(checklist: list[dict], keys: Iterable[str]) -> list[str]:
    """The submitted keys that name an item of this checklist, in the checklist's order."""
    wanted = set(keys)
    return [item["key"] for item in checklist if item["key"] in wanted]


@transaction.atomic
def lesson_complete(
    *, user: User, lesson: Lesson, completed: bool = True, now: datetime | None = None
) -> Badge | None:
    """Mark a lesson read (or not); returns the track's badge if this completed the track."""
    progress, _ = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    progress.completed_at = (now or timezone.now()) if completed else None
    progress.save(update_fields=["completed_at", "updated_at"])
    return badge_award_if_earned(user=user, track=lesson.track, now=now) if completed else None


@transaction.atomic
def lesson_checklist_save(*, user: User, lesson: Lesson, keys: Iterable[str]) -> LessonProgress:
    """Keep exactly the ticked items (a checkbox form sends only those that are ticked)."""
    progress, _ = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    progress.checklist_done = _keys_in(lesson.checklist, keys)
    progress.save(update_fields=["checklist_done", "updated_at"])
    return progress


@transaction.atomic
def track_checklist_save(*, user: User, track: Track, keys: Iterable[str]) -> TrackProgress:
    progress, _ = TrackProgress.objects.get_or_create(user=user, track=track)
    progress.checklist_done = _keys_in(track.checklist, keys)
    progress.save(update_fields=["checklist_done", "updated_at"])
    return progress


class StalePaper(Exception):
    """The answers are for an attempt that is not the reader's next one: the same page sent
    twice, or an older tab sent after a newer one. They cannot be graded, since the paper
    they answered may not be the one the number now gives."""


@transaction.atomic
def check_submit(
    *,
    user: User,
    track: Track,
    lesson: Lesson | None,
    number: int,
    positions: list[int],
    now: datetime | None = None,
) -> tuple[CheckAttempt, Badge | None]:
    """Grade attempt ``number`` at a knowledge check (the lesson's, or the track's when
    ``lesson`` is None): ``positions`` are the choices picked, as placed on that attempt's
    paper (papers.py), which is rebuilt here from the reader and the number.

    Every attempt is kept; passing once is enough and is remembered on the reader's progress.
    Returns the attempt and, when this pass completed the track, the badge it earned. Raises
    StalePaper when ``number`` is not the reader's next attempt, ValueError when a question
    has no answer.
    """
    now = now or timezone.now()
    owner = lesson if lesson is not None else track
    paper = check_paper(person=user.pk, track=track, lesson=lesson, number=number)
    if not paper.questions:
        raise ValueError("This check has no questions.")
    answers = paper.answers(positions)
    previous = (
        CheckAttempt.objects.filter(user=user, track=track, lesson=lesson)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    if number != (previous or 0) + 1:
        raise StalePaper(f"Attempt {number} was sent after attempt {previous}.")
    score = sum(
        1
        for question, answer in zip(paper.questions, answers, strict=True)
        if question.question["correct"] == answer
    )
    try:
        # A savepoint: the same page sent twice at once finds its number taken.
        with transaction.atomic():
            attempt = CheckAttempt.objects.create(
                user=user,
                track=track,
                lesson=lesson,
                number=number,
                question_keys=paper.keys,
                answers=answers,
                score=score,
                total=len(paper),
                passed=score >= paper.pass_mark,
                questions_hash=owner.questions_hash,
                created_at=now,
            )
    except IntegrityError as exc:
        raise StalePaper(f"Attempt {number} was already sent.") from exc
    badge = None
    if attempt.passed:
        if lesson is not None:
            progress, _ = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
        else:
            progress, _ = TrackProgress.objects.get_or_create(user=user, track=track)
        if progress.check_passed_at is None:
            progress.check_passed_at = now
            progress.save(update_fields=["check_passed_at", "updated_at"])
        badge = badge_award_if_earned(user=user, track=track, now=now)
    return attempt, badge


def track_is_complete(*, user: User, track: Track) -> bool:
    """Every current lesson read, and the track's own check passed (when it has one)."""
    lesson_ids = set(Lesson.objects.active().filter(track=track).values_list("pk", flat=True))
    if not lesson_ids:
        return False
    read = set(
        LessonProgress.objects.filter(
            user=user, lesson_id__in=lesson_ids, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    if read != lesson_ids:
        return False
    if track.questions:
        return TrackProgress.objects.filter(
            user=user, track=track, check_passed_at__isnull=False
        ).exists()
    return True


def badge_award_if_earned(*, user: User, track: Track, now: datetime | None = None) -> Badge | None:
    """Award the track's badge when the track is complete; returns it only when new.

    A badge once earned is kept: a track that later gains a lesson does not take it back.
    """
    if Badge.objects.filter(user=user, track=track).exists():
        return None
    if not track_is_complete(user=user, track=track):
        return None
    try:
        # A savepoint: a double-submitted form racing this one hits the unique constraint
        # and simply finds the badge already there.
        with transaction.atomic():
            return Badge.objects.create(user=user, track=track, awarded_at=now or timezone.now())
    except IntegrityError:
        return None


@transaction.atomic
def lesson_feedback_give(
    *, user: User, lesson: Lesson, helpful: bool, reason: str, comment: str
) -> LessonFeedback:
    """Record (or change) one reader's "was this helpful?" for a lesson."""
    if not helpful and reason not in FeedbackReason.values:
        raise ValueError("Say what was wrong when a lesson was not helpful.")
    feedback, _ = LessonFeedback.objects.update_or_create(
        user=user,
        lesson=lesson,
        defaults={
            "helpful": helpful,
            "reason": "" if helpful else reason,
            "comment": comment.strip(),
        },
    )
    return feedback


# The longest note a reader can keep on one lesson: a few paragraphs of reflection. Far below
# the site's Markdown limit (settings.MARKDOWN_MAX_LENGTH), which is sized for lessons.
JOURNAL_MAX_LENGTH = 5_000


@transaction.atomic
def journal_entry_save(*, user: User, lesson: Lesson, body: str) -> JournalEntry:
    """Keep (or replace) the reader's private note on the lesson's reflection prompt, rendered
    once here through portal/markup.py."""
    if not lesson.reflection:
        raise ValueError("This lesson has no reflection prompt to write about.")
    body = body.strip()
    if not body:
        raise ValueError("Write something to keep, or delete the note.")
    if len(body) > JOURNAL_MAX_LENGTH:
        raise ValueError(f"Keep a note to {JOURNAL_MAX_LENGTH:,} characters.")
    entry, _ = JournalEntry.objects.update_or_create(
        user=user,
        lesson=lesson,
        defaults={
            "prompt": lesson.reflection,
            "body": body,
            "body_html": render_markdown(body),
            "updated_at": timezone.now(),
        },
    )
    return entry


@transaction.atomic
def journal_entry_delete(*, user: User, entry_id: int) -> bool:
    """Delete one of the reader's own notes; False when they have no note with that id."""
    deleted, _ = JournalEntry.objects.of(user).filter(pk=entry_id).delete()
    return deleted > 0


def feedback_review_seen(*, user: User) -> datetime | None:
    """Staff opened the feedback page: comments up to now are no longer new to them (the
    header's Review count). Returns when they had looked before (None: never)."""
    before = user.guide_feedback_seen_at
    user.guide_feedback_seen_at = timezone.now()
    User.objects.filter(pk=user.pk).update(guide_feedback_seen_at=user.guide_feedback_seen_at)
    return before
