"""Writing a parsed guide library (library.py) into the database, all or nothing.

Lessons are upserted by ``uid`` and compared by a hash of everything stored about them, so
an unchanged library costs a handful of queries and changes nothing (a second run says so).
A lesson or track no longer in the files is retired, never deleted: readers' progress,
feedback and badges point at it. The whole write is one transaction, so a failure half-way
(or a crash) leaves the database as it was.

"Updated since you read it" needs to know when a lesson changed in a way a reader would care
about. A typo fix should not send every reader back, so the body is compared word by word
with the stored text and only a change of more than a few per cent of it counts
(SUBSTANTIAL_SIMILARITY); a reworded title or a new question does not count either.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from portal.accounts.models import Role
from portal.guides.library import LESSON_FIELDS, TRACK_FIELDS, Library
from portal.guides.models import Lesson, LibraryPage, Track

# Word-level similarity (difflib's ratio) below which a body change is "substantial":
# 0.97 lets a few corrected words through and catches a new or rewritten paragraph.
SUBSTANTIAL_SIMILARITY = 0.97
SEARCH_CONFIG = "english"
SYNC_LOCK_ID = 7_468_601  # any constant unique to this lock: "guides sync"


@dataclass
class SyncReport:
    tracks_created: list[str] = field(default_factory=list)
    tracks_updated: list[str] = field(default_factory=list)
    tracks_retired: list[str] = field(default_factory=list)
    lessons_created: list[str] = field(default_factory=list)
    lessons_updated: list[str] = field(default_factory=list)
    lessons_retired: list[str] = field(default_factory=list)
    pages_updated: list[str] = field(default_factory=list)  # the glossary, by slug
    # uids of updated lessons whose body changed enough to show "updated since you read it"
    lessons_rewritten: list[str] = field(default_factory=list)
    track_count: int = 0
    lesson_count: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.tracks_created,
                self.tracks_updated,
                self.tracks_retired,
                self.lessons_created,
                self.lessons_updated,
                self.lessons_retired,
                self.pages_updated,
            )
        )

    def lines(self) -> list[str]:
        if not self.changed:
            return [
                f"Guides are up to date: no changes ({self.track_count} tracks, "
                f"{self.lesson_count} lessons)."
            ]
        parts = [
            ("track", "created", self.tracks_created),
            ("track", "updated", self.tracks_updated),
            ("track", "retired", self.tracks_retired),
            ("lesson", "created", self.lessons_created),
            ("lesson", "updated", self.lessons_updated),
            ("lesson", "retired", self.lessons_retired),
            ("page", "updated", self.pages_updated),
        ]
        counts = ", ".join(
            f"{len(names)} {noun}{'s' if len(names) != 1 else ''} {verb}"
            for noun, verb, names in parts
            if names
        )
        lines = [
            f"Guides synced: {self.track_count} tracks, {self.lesson_count} lessons ({counts})."
        ]
        lines += [f"  {noun}s {verb}: {_names(names)}" for noun, verb, names in parts if names]
        if self.lessons_rewritten:
            lines.append(f"  marked “updated since you read it”: {_names(self.lessons_rewritten)}")
        return lines


def _names(names: list[str], shown: int = 10) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def is_substantial_change(old_text: str, new_text: str) -> bool:
    if old_text == new_text:
        return False
    matcher = difflib.SequenceMatcher(None, old_text.split(), new_text.split(), autojunk=False)
    return matcher.ratio() < SUBSTANTIAL_SIMILARITY


@transaction.atomic
def library_sync(*, library: Library, now: datetime | None = None) -> SyncReport:
    """Make the database's guide library match ``library``; report what changed."""
    if settings.IS_POSTGRES:
        # Two release steps deploying at once would otherwise both insert the same new
        # lessons and one would fail; the second now waits and then finds nothing to do.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SYNC_LOCK_ID])
    now = now or timezone.now()
    report = SyncReport(track_count=len(library.tracks), lesson_count=len(library.lessons))
    tracks = _tracks_sync(library=library, now=now, report=report)
    changed = _lessons_sync(library=library, tracks=tracks, now=now, report=report)
    _pages_sync(library=library, now=now, report=report)
    changed |= {tracks[slug].pk for slug in report.tracks_updated}
    if changed:
        # A track's card on the index shows its lessons (how many, how long, which comes
        # next), so a change to the track or to any of its lessons moves the track's version,
        # and with it the keys of what the index keeps (nothing is forgotten by hand).
        Track.objects.filter(pk__in=changed).update(version=F("version") + 1)
    return report


def _tracks_sync(*, library: Library, now: datetime, report: SyncReport) -> dict[str, Track]:
    roles = {role.slug: role for role in Role.objects.all()}
    existing = {track.slug: track for track in Track.objects.all()}
    created, updated = [], []
    for parsed in library.tracks:
        role = roles.get(parsed.role_slug)  # None for start-here, the common foundation
        track = existing.get(parsed.slug)
        if track is None:
            track = Track(slug=parsed.slug, role=role, synced_at=now, **parsed.stored_fields())
            track.content_hash = parsed.content_hash
            created.append(track)
            existing[parsed.slug] = track
        elif track.content_hash != parsed.content_hash or track.is_retired:
            for name, value in parsed.stored_fields().items():
                setattr(track, name, value)
            track.role = role
            track.content_hash = parsed.content_hash
            track.is_retired = False
            track.synced_at = now
            updated.append(track)
    Track.objects.bulk_create(created)
    if updated:
        Track.objects.bulk_update(
            updated, ["role", *TRACK_FIELDS, "content_hash", "is_retired", "synced_at"]
        )
    in_library = {parsed.slug for parsed in library.tracks}
    retired = [t for slug, t in existing.items() if slug not in in_library and not t.is_retired]
    Track.objects.filter(pk__in=[t.pk for t in retired]).update(is_retired=True, synced_at=now)
    report.tracks_created = [t.slug for t in created]
    report.tracks_updated = [t.slug for t in updated]
    report.tracks_retired = [t.slug for t in retired]
    return existing


def _pages_sync(*, library: Library, now: datetime, report: SyncReport) -> None:
    """The library's own pages (the glossary): written when their file changed. A page no
    longer in the library is deleted: unlike a lesson, nothing anyone did points at it."""
    existing = {page.slug: page for page in LibraryPage.objects.all()}
    for parsed in library.pages:
        page = existing.get(parsed.slug)
        if page is not None and page.content_hash == parsed.content_hash:
            continue
        LibraryPage.objects.update_or_create(
            slug=parsed.slug,
            defaults={
                **parsed.stored_fields(),
                "content_hash": parsed.content_hash,
                "synced_at": now,
            },
        )
        report.pages_updated.append(parsed.slug)
    in_library = {parsed.slug for parsed in library.pages}
    gone = [slug for slug in existing if slug not in in_library]
    if gone:
        LibraryPage.objects.filter(slug__in=gone).delete()
        report.pages_updated += gone


def _lessons_sync(
    *, library: Library, tracks: dict[str, Track], now: datetime, report: SyncReport
) -> set[int]:
    """Returns the ids of the tracks whose lessons changed (a moved lesson: both tracks)."""
    existing = {lesson.uid: lesson for lesson in Lesson.objects.all()}
    in_library = {parsed.uid for parsed in library.lessons}

    # Retire first: a retired lesson gives up its address (the unique constraint covers
    # active lessons only), which a new or moved lesson may be about to take.
    retired = [
        lesson
        for uid, lesson in existing.items()
        if uid not in in_library and not lesson.is_retired
    ]
    Lesson.objects.filter(pk__in=[lesson.pk for lesson in retired]).update(
        is_retired=True, synced_at=now
    )

    created: list[Lesson] = []
    updated: list[Lesson] = []
    moved: list[Lesson] = []
    changed_tracks = {lesson.track_id for lesson in retired}
    for parsed in library.lessons:
        track = tracks[parsed.track_slug]
        lesson = existing.get(parsed.uid)
        fields = parsed.stored_fields()
        if lesson is None:
            created.append(
                Lesson(
                    uid=parsed.uid,
                    track=track,
                    content_hash=parsed.content_hash,
                    content_changed_at=now,
                    synced_at=now,
                    **fields,
                )
            )
            continue
        if lesson.content_hash == parsed.content_hash and not lesson.is_retired:
            continue
        if (lesson.track_id, lesson.slug) != (track.pk, parsed.slug):
            moved.append(lesson)
        if is_substantial_change(lesson.body_text, parsed.body_text):
            lesson.content_changed_at = now
            report.lessons_rewritten.append(parsed.uid)
        for name, value in fields.items():
            setattr(lesson, name, value)
        changed_tracks |= {lesson.track_id, track.pk}
        lesson.track = track
        lesson.content_hash = parsed.content_hash
        lesson.is_retired = False
        lesson.synced_at = now
        updated.append(lesson)

    # Lessons that change address step aside first (to a placeholder no real slug can be),
    # so two lessons trading places never collide half-way through the update.
    if moved:
        Lesson.objects.bulk_update(
            [Lesson(pk=lesson.pk, slug=f"~{lesson.pk}") for lesson in moved], ["slug"]
        )
    if updated:
        Lesson.objects.bulk_update(
            updated,
            [
                *LESSON_FIELDS,
                "track",
                "content_hash",
                "content_changed_at",
                "is_retired",
                "synced_at",
            ],
            batch_size=100,
        )
    Lesson.objects.bulk_create(created, batch_size=100)

    if settings.IS_POSTGRES:
        touched = [lesson.pk for lesson in [*created, *updated]]
        # Stored, weighted vectors: search ranks title over summary over body without
        # re-parsing every lesson's text on every query.
        Lesson.objects.filter(Q(pk__in=touched) | Q(search_vector__isnull=True)).update(
            search_vector=SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
            + SearchVector("body_text", weight="C", config=SEARCH_CONFIG)
        )

    report.lessons_created = [lesson.uid for lesson in created]
    report.lessons_updated = [lesson.uid for lesson in updated]
    report.lessons_retired = [lesson.uid for lesson in retired]
    return changed_tracks | {lesson.track_id for lesson in created}
