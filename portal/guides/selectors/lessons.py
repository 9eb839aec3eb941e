"""A lesson's page: the lesson among its track's, and one reader's state in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from portal.accounts.models import User
from portal.guides.models import (
    CheckAttempt,
    JournalEntry,
    Lesson,
    LessonFeedback,
    LessonProgress,
    Track,
)
from portal.guides.papers import CheckPaper
from portal.guides.selectors import own
from portal.guides.selectors.checks import CheckResults, check_results, next_paper


@dataclass
class LessonPage:
    """A lesson as every reader sees it: the lesson and its place among its track's."""

    lesson: Lesson
    today: date

    @property
    def track(self) -> Track:
        return self.lesson.track

    @cached_property
    def siblings(self) -> list[dict]:
        """The track's active lessons in order. Only the page's cached header ("Lesson 2 of
        5") and pager show them, keyed on the track's version (which a sync moves whenever
        one of its lessons changes), so they are read only when one of those is drawn anew."""
        return list(
            Lesson.objects.active()
            .filter(track_id=self.lesson.track_id)
            .order_by("position", "slug")
            .values("pk", "slug", "title")
        )

    def _index(self) -> int:
        return next(i for i, s in enumerate(self.siblings) if s["pk"] == self.lesson.pk)

    @property
    def number(self) -> int:
        return self._index() + 1

    @property
    def previous(self) -> dict | None:
        index = self._index()
        return self.siblings[index - 1] if index > 0 else None

    @property
    def next(self) -> dict | None:
        index = self._index()
        return self.siblings[index + 1] if index + 1 < len(self.siblings) else None

    @property
    def is_due_for_review(self) -> bool:
        return self.lesson.is_due_for_review(self.today)


def lesson_page(*, track_slug: str, lesson_slug: str) -> LessonPage:
    lesson = (
        Lesson.objects.active()
        .select_related("track")
        .defer("search_vector", "body_text")
        .filter(track__slug=track_slug, slug=lesson_slug)
        .first()
    )
    if lesson is None:
        raise Http404("No such lesson.")
    return LessonPage(lesson=lesson, today=timezone.localdate())


@dataclass
class LessonReading:
    """One reader's state in one lesson: their progress, last check attempt, the paper of
    their next, their feedback and their journal note (none of them for a signed-out
    visitor)."""

    lesson: Lesson
    progress: LessonProgress | None = None
    attempt: CheckAttempt | None = None
    paper: CheckPaper | None = None
    feedback: LessonFeedback | None = None
    journal: JournalEntry | None = None  # their private note on the reflection prompt

    @property
    def completed_at(self) -> datetime | None:
        return self.progress.completed_at if self.progress else None

    @property
    def is_read(self) -> bool:
        return self.completed_at is not None

    @property
    def is_outdated(self) -> bool:
        """Read before the lesson last changed substantially."""
        return self.progress is not None and self.progress.is_outdated(self.lesson)

    @property
    def checklist_done(self) -> list[str]:
        return self.progress.checklist_done if self.progress else []

    @property
    def check_passed_at(self) -> datetime | None:
        return self.progress.check_passed_at if self.progress else None

    @cached_property
    def results(self) -> CheckResults | None:
        return check_results(track=self.lesson.track, lesson=self.lesson, attempt=self.attempt)

    @property
    def feedback_answers(self) -> dict[str, object]:
        """The reader's feedback as the feedback form's ``initial``."""
        if self.feedback is None:
            return {}
        return {
            "helpful": "yes" if self.feedback.helpful else "no",
            "reason": self.feedback.reason,
            "comment": self.feedback.comment,
        }


def lesson_reading(*, user: User | AnonymousUser, lesson: Lesson) -> LessonReading:
    """Progress, feedback and the journal note are unique per reader and lesson: one row or
    none; the last attempt is the one with the highest number. All four in one statement
    (own.py); the paper of the next attempt only when the lesson has a check."""
    if not user.is_authenticated:
        return LessonReading(lesson=lesson)
    (row,) = own.fetch(
        own.LESSON_SQL, {"user": user.pk, "track": lesson.track_id, "lesson": lesson.pk}
    )
    progress, last, feedback, note = own.split(
        row, own.PROGRESS, own.ATTEMPT, own.FEEDBACK, own.NOTE
    )
    attempt = paper = journal = None
    if lesson.questions:
        attempt = own.instance(CheckAttempt, own.ATTEMPT, last)
        paper = next_paper(user=user, track=lesson.track, lesson=lesson, latest=attempt)
    if lesson.reflection:
        journal = own.instance(JournalEntry, own.NOTE, note)
    return LessonReading(
        lesson=lesson,
        progress=own.instance(LessonProgress, own.PROGRESS, progress),
        attempt=attempt,
        paper=paper,
        feedback=own.instance(LessonFeedback, own.FEEDBACK, feedback),
        journal=journal,
    )


def lesson_get(*, track_slug: str, lesson_slug: str) -> Lesson:
    """The lesson a form posts to, with what the services need (its track, checks, list)."""
    lesson = (
        Lesson.objects.active()
        .select_related("track")
        .defer("search_vector", "body_text", "body_html")
        .filter(track__slug=track_slug, slug=lesson_slug)
        .first()
    )
    if lesson is None:
        raise Http404("No such lesson.")
    return lesson
