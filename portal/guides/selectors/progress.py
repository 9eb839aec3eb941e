"""Readers' progress on given tracks, for another part of the site that may show it: a mod
team's leads see their members' progress on the tracks they assigned, and nothing else.

Asked for exact (reader, track) pairs and answering for those pairs only, so a caller
cannot learn of a track it did not ask about. Three queries whatever the number of pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from portal.guides.models import Badge, Lesson, LessonProgress


@dataclass(frozen=True)
class TrackStanding:
    """How far one reader is through one track."""

    done: int
    total: int
    passed: bool  # the track's check passed (its badge earned)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.passed or (self.total > 0 and self.done >= self.total)


def assigned_progress(*, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], TrackStanding]:
    """Each (user id, track id) pair's standing: lessons read of the track's active lessons,
    and whether its check is passed."""
    wanted = set(pairs)
    if not wanted:
        return {}
    users = {u for u, _ in wanted}
    tracks = {t for _, t in wanted}
    totals = dict(
        Lesson.objects.active()
        .filter(track_id__in=tracks)
        .order_by()
        .values_list("track_id")
        .annotate(n=Count("pk"))
    )
    done = Counter(
        LessonProgress.objects.filter(
            user_id__in=users,
            lesson__track_id__in=tracks,
            lesson__is_retired=False,
            completed_at__isnull=False,
        ).values_list("user_id", "lesson__track_id")
    )
    passed = set(
        Badge.objects.filter(user_id__in=users, track_id__in=tracks).values_list(
            "user_id", "track_id"
        )
    )
    return {
        (u, t): TrackStanding(done=done[(u, t)], total=totals.get(t, 0), passed=(u, t) in passed)
        for u, t in wanted
    }
