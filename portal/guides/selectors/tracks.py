"""A track's page: its lessons in order, with one reader's progress through them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from portal.accounts.models import User
from portal.guides.models import Badge, Lesson, LessonProgress, Track, TrackProgress
from portal.guides.selectors import own


@dataclass
class LessonRow:
    """A lesson of the track (its listed columns, as a dict) and the reader's progress in it."""

    lesson: dict
    progress: LessonProgress | None

    @property
    def is_read(self) -> bool:
        return self.progress is not None and self.progress.completed_at is not None

    @property
    def is_outdated(self) -> bool:
        """Read before the lesson last changed substantially."""
        return self.is_read and self.progress.completed_at < self.lesson["content_changed_at"]

    @property
    def ticked(self) -> int:
        if self.progress is None:
            return 0
        keys = {item["key"] for item in self.lesson["checklist"]}
        return len(keys.intersection(self.progress.checklist_done))


@dataclass
class TrackPage:
    track: Track
    rows: list[LessonRow]
    progress: TrackProgress | None
    badge: Badge | None

    @property
    def completed(self) -> int:
        return sum(1 for row in self.rows if row.is_read)

    @property
    def next_lesson(self) -> dict | None:
        return next((row.lesson for row in self.rows if not row.is_read), None)

    @property
    def started(self) -> bool:
        return self.completed > 0

    @property
    def minutes(self) -> int:
        return sum(row.lesson["minutes"] for row in self.rows)

    @property
    def checklist_done(self) -> list[str]:
        return self.progress.checklist_done if self.progress else []

    @property
    def check_passed(self) -> bool:
        return self.progress is not None and self.progress.check_passed_at is not None


def track_get(*, slug: str) -> Track:
    track = Track.objects.active().select_related("role").filter(slug=slug).first()
    if track is None:
        raise Http404("No such track.")
    return track


# What the track page shows of its lessons, as dicts: no model instances to build for a list.
_LISTED = ("pk", "slug", "title", "minutes", "summary", "checklist", "content_changed_at")


def track_page(*, slug: str, user: User | AnonymousUser) -> TrackPage:
    """The track, its lessons, and the reader's progress in them, in the track and their
    badge (one statement, own.py): three queries signed in, two signed out."""
    track = track_get(slug=slug)
    lessons = (
        Lesson.objects.filter(track_id=track.pk, is_retired=False)  # the track is active
        .order_by("position", "slug")
        .values(*_LISTED)
    )
    progress: dict[int, LessonProgress] = {}
    track_progress = badge = None
    if user.is_authenticated:
        rows = own.fetch(own.TRACK_SQL, {"user": user.pk, "track": track.pk})
        of_track, of_badge, _ = own.split(rows[0], own.TRACK_PROGRESS, own.BADGE, own.PROGRESS)
        track_progress = own.instance(TrackProgress, own.TRACK_PROGRESS, of_track)
        badge = own.instance(Badge, own.BADGE, of_badge)
        for row in rows:  # each with the same track progress and badge
            of_lesson = row[len(own.TRACK_PROGRESS) + len(own.BADGE) :]
            lesson_progress = own.instance(LessonProgress, own.PROGRESS, of_lesson)
            if lesson_progress is not None:
                progress[lesson_progress.lesson_id] = lesson_progress
    rows = [LessonRow(lesson=lesson, progress=progress.get(lesson["pk"])) for lesson in lessons]
    return TrackPage(track=track, rows=rows, progress=track_progress, badge=badge)
