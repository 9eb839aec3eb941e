"""A track's page: its lessons in order, with one reader's progress through them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from portal.accounts.models import User
from portal.guides.models import Badge, Lesson, LessonProgress, Track, TrackProgress


@dataclass
class LessonRow:
    lesson: Lesson
    progress: LessonProgress | None

    @property
    def is_read(self) -> bool:
        return self.progress is not None and self.progress.completed_at is not None

    @property
    def is_outdated(self) -> bool:
        return self.progress is not None and self.progress.is_outdated(self.lesson)

    @property
    def ticked(self) -> int:
        if self.progress is None:
            return 0
        keys = {item["key"] for item in self.lesson.checklist}
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
    def next_lesson(self) -> Lesson | None:
        return next((row.lesson for row in self.rows if not row.is_read), None)

    @property
    def started(self) -> bool:
        return self.completed > 0

    @property
    def minutes(self) -> int:
        return sum(row.lesson.minutes for row in self.rows)

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


def track_page(*, slug: str, user: User | AnonymousUser) -> TrackPage:
    track = track_get(slug=slug)
    lessons = list(
        Lesson.objects.active().filter(track=track).for_listing().order_by("position", "slug")
    )
    progress_rows: dict[int, LessonProgress] = {}
    track_progress = badge = None
    if user.is_authenticated:
        progress_rows = {
            row.lesson_id: row
            for row in LessonProgress.objects.filter(user=user, lesson__track=track)
        }
        track_progress = TrackProgress.objects.filter(user=user, track=track).first()
        badge = Badge.objects.filter(user=user, track=track).first()
    rows = [LessonRow(lesson=lesson, progress=progress_rows.get(lesson.pk)) for lesson in lessons]
    return TrackPage(track=track, rows=rows, progress=track_progress, badge=badge)
