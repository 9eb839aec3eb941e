"""The guides index: every track's card, and one reader's way through the library; and the
tracks that fit the roles the role questionnaire suggests."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from portal.accounts.models import Profile, Role, User
from portal.guides.library import START_HERE
from portal.guides.models import Badge, Lesson, LessonProgress, Track


@dataclass(frozen=True)
class LessonLink:
    pk: int
    title: str
    url: str
    minutes: int


@dataclass(frozen=True)
class TrackCard:
    """A track on the guides index as everyone sees it, in plain values: kept in the
    fragments cache with the rest of the library's shape (``library_cards``)."""

    pk: int
    version: int
    title: str
    url: str
    role_name: str
    role_slug: str | None
    summary: str
    lessons: tuple[LessonLink, ...]  # active lessons, in order

    @property
    def lesson_count(self) -> int:
        return len(self.lessons)

    @property
    def minutes(self) -> int:
        return sum(lesson.minutes for lesson in self.lessons)


# Versions are (track pk, track version) of every active track: what the index's cached
# pieces are keyed on, since sync_guides moves a track's version whenever the track or one of
# its lessons changes (sync.py).
Versions = list[tuple[int, int]]

# The library's shape (each active track with its lessons in order) is the same for every
# reader until sync_guides changes a track, and each reader's progress is worked out against
# it on every view of the index; so it is kept in the fragments cache under its tracks'
# versions instead of being read again (two queries).
SHAPE_LIFETIME_SECONDS = 24 * 60 * 60


def library_versions() -> Versions:
    return list(Track.objects.active().order_by().values_list("pk", "version"))


def library_cards(versions: Versions) -> list[TrackCard]:
    """Every active track with its lessons, as everyone sees them (no reader's progress)."""
    digest = hashlib.md5(repr(sorted(versions)).encode(), usedforsecurity=False).hexdigest()
    key = f"guides-library:{digest}"
    fragments = caches["fragments"]
    cards = fragments.get(key)
    if cards is None:
        cards = _library_cards_read()
        fragments.set(key, cards, SHAPE_LIFETIME_SECONDS)
    return cards


def _library_cards_read() -> list[TrackCard]:
    tracks = list(Track.objects.active().select_related("role"))
    lessons = (
        Lesson.objects.active()
        .only("pk", "track_id", "slug", "title", "position", "minutes")
        .order_by("position", "slug")
    )
    by_track: dict[int, list[LessonLink]] = {track.pk: [] for track in tracks}
    slugs = {track.pk: track.slug for track in tracks}
    for lesson in lessons:
        url = _lesson_url(slugs[lesson.track_id], lesson.slug)
        by_track[lesson.track_id].append(LessonLink(lesson.pk, lesson.title, url, lesson.minutes))
    return [
        TrackCard(
            pk=track.pk,
            version=track.version,
            title=track.title,
            url=track.get_absolute_url(),
            role_name=track.role_name,
            role_slug=track.role.slug if track.role_id else None,
            summary=track.summary,
            lessons=tuple(by_track[track.pk]),
        )
        for track in tracks
    ]


def _lesson_url(track_slug: str, lesson_slug: str) -> str:
    return reverse("guides:lesson", kwargs={"track_slug": track_slug, "lesson_slug": lesson_slug})


@dataclass(frozen=True)
class LibraryReading:
    """One reader's way through the library: the lessons they have read, their badges'
    certificate addresses by track, and the roles on their profile; with the library's
    versions, read in the same statement."""

    read: frozenset[int] = frozenset()
    certificates: dict[int, str] = field(default_factory=dict)
    role_slugs: frozenset[str] = frozenset()
    versions: Versions = field(default_factory=list)


# Table and column names for the statement below, from the models.
_NAMES = {
    "track": Track._meta.db_table,
    "progress": LessonProgress._meta.db_table,
    "badge": Badge._meta.db_table,
    "role": Role._meta.db_table,
    "profile": Profile._meta.db_table,
    "profile_roles": Profile.roles.through._meta.db_table,
    "role_id": Profile.roles.field.m2m_reverse_name(),
    "profile_id": Profile.roles.field.m2m_column_name(),
}

# The index reads these on every view. As SQL, one statement: four querysets cost about
# 2,500 Python calls to build and compile, more than the rest of the page beyond the layout;
# this costs about 120. The names come from the models, the reader's id is a parameter.
_READING_SQL = (  # noqa: S608 (table and column names from the models; the id is a parameter)
    "SELECT 'read', lesson_id, '' FROM {progress} WHERE user_id = %s"
    " AND completed_at IS NOT NULL"
    " UNION ALL SELECT 'badge', track_id, code FROM {badge} WHERE user_id = %s"
    " UNION ALL SELECT 'role', 0, r.slug FROM {role} r"
    " JOIN {profile_roles} pr ON pr.{role_id} = r.id"
    " JOIN {profile} p ON p.id = pr.{profile_id} WHERE p.user_id = %s"
    " UNION ALL SELECT 'track', id, CAST(version AS TEXT) FROM {track} WHERE is_retired = %s"
).format(**_NAMES)


def library_reading(*, user: User) -> LibraryReading:
    read, certificates, role_slugs, versions = set(), {}, set(), []
    with connection.cursor() as cursor:
        cursor.execute(_READING_SQL, [user.pk] * 3 + [False])
        for kind, pk, text in cursor.fetchall():
            if kind == "read":
                read.add(pk)
            elif kind == "badge":
                certificates[pk] = reverse("guides:certificate", kwargs={"code": text})
            elif kind == "role":
                role_slugs.add(text)
            else:
                versions.append((pk, int(text)))
    return LibraryReading(
        read=frozenset(read),
        certificates=certificates,
        role_slugs=frozenset(role_slugs),
        versions=versions,
    )


@dataclass(frozen=True)
class CardReading:
    """A track's card with one reader's way through it (nothing, for a signed-out visitor)."""

    card: TrackCard
    done: int = 0
    next_lesson: LessonLink | None = None
    certificate: str | None = None
    fits: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.card.lesson_count) if self.card.lesson_count else 0


@dataclass(frozen=True)
class LibraryIndex:
    cards: list[CardReading]

    @property
    def started(self) -> list[CardReading]:
        """Tracks begun and not yet completed: "continue where you left off"."""
        return [row for row in self.cards if row.done and not row.certificate]


def library_index(*, user: User | AnonymousUser) -> LibraryIndex:
    """The index in one query: the reader's reading with the library's versions (or, for a
    visitor, the versions alone); the tracks and lessons come from the fragments cache."""
    if not user.is_authenticated:
        return LibraryIndex(cards=[CardReading(card) for card in library_cards(library_versions())])
    reading = library_reading(user=user)
    rows = []
    for card in library_cards(reading.versions):
        done = sum(1 for lesson in card.lessons if lesson.pk in reading.read)
        rows.append(
            CardReading(
                card=card,
                done=done,
                next_lesson=next((le for le in card.lessons if le.pk not in reading.read), None),
                certificate=reading.certificates.get(card.pk),
                fits=card.role_slug is not None and card.role_slug in reading.role_slugs,
            )
        )
    return LibraryIndex(cards=rows)


# --- finding your role --------------------------------------------------------------------------


def tracks_for_roles(*, role_slugs: list[str]) -> list[Track]:
    """The suggested tracks, in the order the roles were suggested (start-here first)."""
    wanted = Q(role__slug__in=role_slugs)
    if START_HERE in role_slugs:
        wanted |= Q(role__isnull=True)
    tracks = list(Track.objects.active().select_related("role").filter(wanted))
    rank = {slug: i for i, slug in enumerate(role_slugs)}
    return sorted(tracks, key=lambda t: rank.get(t.role.slug if t.role else START_HERE, 99))
