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
from portal.guides.selectors.checks import CheckResults, check_results, next_paper


@dataclass
class LessonPage:
    """A lesson as every reader sees it: the lesson and its place among its track's."""

    lesson: Lesson
    siblings: list[dict]
    today: date

    @property
    def track(self) -> Track:
        return self.lesson.track

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
    siblings = list(
        Lesson.objects.active()
        .filter(track_id=lesson.track_id)
        .order_by("position", "slug")
        .values("pk", "slug", "title")
    )
    return LessonPage(lesson=lesson, siblings=siblings, today=timezone.localdate())


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


# A lesson page reads these on every view, as SQL for the same reason as the index's reading
# (index.py; the three querysets cost about 3,500 Python calls, these about 1,100); raw()
# still converts each column as its model field does (dates, JSON) on every database. The
# table names come from the models.
_NAMES = {
    "progress": LessonProgress._meta.db_table,
    "attempt": CheckAttempt._meta.db_table,
    "feedback": LessonFeedback._meta.db_table,
    "journal": JournalEntry._meta.db_table,
}
_PROGRESS_SQL = (  # noqa: S608 (table names from the models; the ids are parameters)
    "SELECT id, completed_at, checklist_done, check_passed_at FROM {progress}"
    " WHERE user_id = %s AND lesson_id = %s"
).format(**_NAMES)
_ATTEMPT_SQL = (  # noqa: S608
    "SELECT id, number, question_keys, answers, score, total, passed, questions_hash"
    " FROM {attempt} WHERE user_id = %s AND track_id = %s AND lesson_id = %s"
    " ORDER BY number DESC LIMIT 1"  # the index of lesson_attempt_number_once
).format(**_NAMES)
_FEEDBACK_SQL = (  # noqa: S608
    "SELECT id, helpful, reason, comment, updated_at FROM {feedback}"
    " WHERE user_id = %s AND lesson_id = %s"
).format(**_NAMES)


_JOURNAL_SQL = (  # noqa: S608
    "SELECT id, body, body_html, updated_at FROM {journal} WHERE user_id = %s AND lesson_id = %s"
).format(**_NAMES)


def lesson_reading(*, user: User | AnonymousUser, lesson: Lesson) -> LessonReading:
    """Progress, feedback and the journal note are unique per reader and lesson: one row or
    none; the last attempt (and with it the next attempt's paper) is looked up only when the
    lesson has a check, the note only when it has a reflection prompt."""
    if not user.is_authenticated:
        return LessonReading(lesson=lesson)
    progress = next(iter(LessonProgress.objects.raw(_PROGRESS_SQL, [user.pk, lesson.pk])), None)
    attempt = paper = None
    if lesson.questions:
        attempts = CheckAttempt.objects.raw(_ATTEMPT_SQL, [user.pk, lesson.track_id, lesson.pk])
        attempt = next(iter(attempts), None)
        paper = next_paper(user=user, track=lesson.track, lesson=lesson, latest=attempt)
    feedback = next(iter(LessonFeedback.objects.raw(_FEEDBACK_SQL, [user.pk, lesson.pk])), None)
    journal = None
    if lesson.reflection:
        journal = next(iter(JournalEntry.objects.raw(_JOURNAL_SQL, [user.pk, lesson.pk])), None)
    return LessonReading(
        lesson=lesson,
        progress=progress,
        attempt=attempt,
        paper=paper,
        feedback=feedback,
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
