"""Reads for the guides pages, each at a fixed number of queries.

Whether the library has 5 lessons or 500 and the site 1 reader or 10,000, a page makes the
same queries: one per kind of row it shows, never one per lesson or per reader (the tests
pin the counts). A reader's own progress is always looked up by their user, never by an id
from the request, so nobody sees anyone else's.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.cache import caches
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from portal.accounts.models import Profile, Role, User
from portal.guides.library import START_HERE, stored_html
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
from portal.guides.sync import SEARCH_CONFIG

SNIPPET_CHARS = 220
# Markers PostgreSQL puts around matched words in a snippet: control characters that never
# occur in lesson text, so the snippet can be escaped first and highlighted after.
_MARK_START, _MARK_STOP = "\x02", "\x03"


def _signed_in(user: User) -> bool:
    return bool(user and user.is_authenticated)


# --- /guides/ ---------------------------------------------------------------------------------


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


# Table and column names for the reads written as SQL below, from the models.
_NAMES = {
    "track": Track._meta.db_table,
    "progress": LessonProgress._meta.db_table,
    "attempt": CheckAttempt._meta.db_table,
    "feedback": LessonFeedback._meta.db_table,
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


def library_index(*, user: User) -> LibraryIndex:
    """The index in one query: the reader's reading with the library's versions (or, for a
    visitor, the versions alone); the tracks and lessons come from the fragments cache."""
    if not _signed_in(user):
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


# --- /guides/<track>/ -------------------------------------------------------------------------


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


def track_page(*, slug: str, user: User) -> TrackPage:
    track = track_get(slug=slug)
    lessons = list(
        Lesson.objects.active().filter(track=track).for_listing().order_by("position", "slug")
    )
    progress_rows: dict[int, LessonProgress] = {}
    track_progress = badge = None
    if _signed_in(user):
        progress_rows = {
            row.lesson_id: row
            for row in LessonProgress.objects.filter(user=user, lesson__track=track)
        }
        track_progress = TrackProgress.objects.filter(user=user, track=track).first()
        badge = Badge.objects.filter(user=user, track=track).first()
    rows = [LessonRow(lesson=lesson, progress=progress_rows.get(lesson.pk)) for lesson in lessons]
    return TrackPage(track=track, rows=rows, progress=track_progress, badge=badge)


# --- /guides/<track>/<lesson>/ ----------------------------------------------------------------


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
    """One reader's state in one lesson: their progress, last check attempt and feedback
    (none of them for a signed-out visitor)."""

    lesson: Lesson
    progress: LessonProgress | None = None
    attempt: CheckAttempt | None = None
    feedback: LessonFeedback | None = None

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
    def results(self) -> list[dict] | None:
        return check_results(self.lesson.questions, self.lesson.questions_hash, self.attempt)

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


# A lesson page reads these on every view, as SQL for the same reason as _READING_SQL (the
# three querysets cost about 3,500 Python calls, these about 1,100); raw() still converts
# each column as its model field does (dates, JSON) on every database.
_PROGRESS_SQL = (  # noqa: S608 (table names from the models; the ids are parameters)
    "SELECT id, completed_at, checklist_done, check_passed_at FROM {progress}"
    " WHERE user_id = %s AND lesson_id = %s"
).format(**_NAMES)
_ATTEMPT_SQL = (  # noqa: S608
    "SELECT id, answers, score, total, questions_hash FROM {attempt}"
    " WHERE user_id = %s AND track_id = %s AND lesson_id = %s"
    " ORDER BY created_at DESC, id DESC LIMIT 1"  # the index attempt_latest
).format(**_NAMES)
_FEEDBACK_SQL = (  # noqa: S608
    "SELECT id, helpful, reason, comment, updated_at FROM {feedback}"
    " WHERE user_id = %s AND lesson_id = %s"
).format(**_NAMES)


def lesson_reading(*, user: User, lesson: Lesson) -> LessonReading:
    """Progress and feedback are unique per reader and lesson: one row or none; the last
    attempt is looked up only when the lesson has a check."""
    if not _signed_in(user):
        return LessonReading(lesson=lesson)
    progress = next(iter(LessonProgress.objects.raw(_PROGRESS_SQL, [user.pk, lesson.pk])), None)
    attempt = None
    if lesson.questions:
        attempts = CheckAttempt.objects.raw(_ATTEMPT_SQL, [user.pk, lesson.track_id, lesson.pk])
        attempt = next(iter(attempts), None)
    feedback = next(iter(LessonFeedback.objects.raw(_FEEDBACK_SQL, [user.pk, lesson.pk])), None)
    return LessonReading(lesson=lesson, progress=progress, attempt=attempt, feedback=feedback)


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


# --- knowledge checks ---------------------------------------------------------------------------


def latest_attempt(
    *, user: User, track: Track | int, lesson: Lesson | int | None
) -> CheckAttempt | None:
    return (
        CheckAttempt.objects.filter(user=user, track=track, lesson=lesson)
        .order_by("-created_at", "-pk")
        .first()
    )


def check_results(
    questions: list[dict], questions_hash: str, attempt: CheckAttempt | None
) -> list[dict] | None:
    """Each question with the reader's answer, the right one and the explanation; None when
    there is no attempt, or it answered questions that have since changed."""
    if attempt is None or attempt.questions_hash != questions_hash:
        return None
    results = []
    for question, answer in zip(questions, attempt.answers, strict=False):
        choices = question["choices_html"]
        results.append(
            {
                "question": stored_html(question["question_html"]),
                "answer": stored_html(choices[answer] if 0 <= answer < len(choices) else ""),
                "correct_answer": stored_html(choices[question["correct"]]),
                "is_correct": answer == question["correct"],
                "explanation": stored_html(question["explanation_html"]),
            }
        )
    return results


@dataclass
class TrackCheckPage:
    track: Track
    attempt: CheckAttempt | None
    progress: TrackProgress | None
    badge: Badge | None

    @property
    def results(self) -> list[dict] | None:
        return check_results(self.track.questions, self.track.questions_hash, self.attempt)

    @property
    def check_passed(self) -> bool:
        return self.progress is not None and self.progress.check_passed_at is not None


def track_check_page(*, slug: str, user: User) -> TrackCheckPage:
    track = track_get(slug=slug)
    attempt = progress = badge = None
    if _signed_in(user):
        attempt = latest_attempt(user=user, track=track, lesson=None)
        progress = TrackProgress.objects.filter(user=user, track=track).first()
        badge = Badge.objects.filter(user=user, track=track).first()
    return TrackCheckPage(track=track, attempt=attempt, progress=progress, badge=badge)


# --- badges and certificates --------------------------------------------------------------------


def badges_for(*, person: User) -> list[Badge]:
    return list(
        Badge.objects.filter(user=person)
        .select_related("track")
        .only("user_id", "awarded_at", "code", "track__slug", "track__title")
    )


def certificate_get(*, code: str) -> Badge:
    badge = (
        Badge.objects.select_related("user__profile", "track__role")
        .filter(code=code, user__is_active=True)
        .first()
    )
    if badge is None:
        raise Http404("No such certificate.")
    return badge


# --- finding your role --------------------------------------------------------------------------


def tracks_for_roles(*, role_slugs: list[str]) -> list[Track]:
    """The suggested tracks, in the order the roles were suggested (start-here first)."""
    wanted = Q(role__slug__in=role_slugs)
    if START_HERE in role_slugs:
        wanted |= Q(role__isnull=True)
    tracks = list(Track.objects.active().select_related("role").filter(wanted))
    rank = {slug: i for i, slug in enumerate(role_slugs)}
    return sorted(tracks, key=lambda t: rank.get(t.role.slug if t.role else START_HERE, 99))


# --- search -------------------------------------------------------------------------------------


def lessons_search(*, query: str) -> QuerySet[Lesson]:
    """Lessons matching the words, best first: ranked full-text search on PostgreSQL, and on
    SQLite (a laptop) every word somewhere in the title, summary or text."""
    lessons = (
        Lesson.objects.active()
        .select_related("track")
        .defer("body_html", "toc", "search_vector", "questions", "checklist")
    )
    if settings.IS_POSTGRES:
        search = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        return (
            lessons.filter(search_vector=search)
            .annotate(
                rank=SearchRank(F("search_vector"), search),
                headline=SearchHeadline(
                    "body_text",
                    search,
                    config=SEARCH_CONFIG,
                    start_sel=_MARK_START,
                    stop_sel=_MARK_STOP,
                    max_words=40,
                    min_words=20,
                ),
            )
            .defer("body_text")
            .order_by("-rank", "track__order", "position", "pk")
        )
    words = query.split()[:10]
    for word in words:
        lessons = lessons.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body_text__icontains=word)
        )
    return lessons.order_by("track__order", "track__title", "position", "pk")


def search_snippet(lesson: Lesson, query: str) -> SafeString:
    """A short extract of the lesson around the first match, matches in <mark>, escaped."""
    headline = getattr(lesson, "headline", None)
    if headline is None:
        headline = _python_headline(lesson.body_text, query)
    escaped = html.escape(headline)
    return mark_safe(  # noqa: S308 (escaped above; only our own <mark> tags are added)
        escaped.replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")
    )


def _python_headline(text: str, query: str) -> str:
    words = [re.escape(word) for word in query.split()[:10] if word]
    if not words:
        return text[:SNIPPET_CHARS]
    pattern = re.compile("|".join(words), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - SNIPPET_CHARS // 3)
    # Start and end on word boundaries, with an ellipsis where the extract is cut.
    if start:
        start = text.find(" ", start) + 1
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    extract = pattern.sub(lambda m: f"{_MARK_START}{m.group(0)}{_MARK_STOP}", text[start:end])
    return ("… " if start else "") + extract + (" …" if end < len(text) else "")


# --- staff: feedback and reviews ----------------------------------------------------------------


def lessons_with_helpfulness() -> list[Lesson]:
    """Every current lesson with counts of its "helpful" answers and each reason for "no"."""
    reasons = {
        f"reason_{reason}": Count("feedback", filter=Q(feedback__reason=reason))
        for reason in FeedbackReason.values
    }
    return list(
        Lesson.objects.active()
        .select_related("track")
        .for_listing()
        .defer("body_text", "checklist")
        .annotate(
            helpful_count=Count("feedback", filter=Q(feedback__helpful=True)),
            unhelpful_count=Count("feedback", filter=Q(feedback__helpful=False)),
            **reasons,
        )
        .in_order()
    )


_COMMENT_FIELDS = [
    "helpful", "reason", "comment", "updated_at", "user__username",
    "lesson__title", "lesson__slug", "lesson__track__slug", "lesson__track__title",
]  # fmt: skip


def feedback_comments() -> QuerySet[LessonFeedback]:
    return (
        LessonFeedback.objects.exclude(comment="")
        .select_related("user", "lesson__track")
        .only(*_COMMENT_FIELDS)
        .order_by("-updated_at", "-pk")
    )


def lessons_due_for_review(*, today: date | None = None) -> list[Lesson]:
    today = today or timezone.localdate()
    return list(
        Lesson.objects.active()
        .filter(review_due__lt=today)
        .select_related("track")
        .for_listing()
        .defer("body_text", "checklist")
        .order_by("review_due", "pk")
    )
