"""The guide library in the database, and each reader's way through it.

The library itself lives in files (the top-level guides/ folder, reviewed like code) and is
loaded by ``manage.py sync_guides`` (library.py parses, sync.py writes). These rows are its
copy: lessons are keyed on their stable ``uid``, so renaming or moving a file never loses
anyone's progress, and a lesson removed from the library is retired, never deleted, for the
same reason. Everything a page shows (the HTML, the table of contents, the checklist, the
questions) is stored ready to show, so no page renders Markdown or parses YAML per request.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role

# A check is passed with this share of right answers, rounded up: 4 of 5, 6 of 7, 1 of 1.
PASS_PERCENT = 80


def pass_mark(total: int) -> int:
    return -(-total * PASS_PERCENT // 100)  # integer ceiling: no float rounding surprises


# A track's check asks a subset of the track's questions, drawn afresh for each attempt
# (papers.py), so a retry asks questions the last attempt did not and passing means knowing:
# at least this many questions (or all, if the track has fewer)…
MIN_ATTEMPT_QUESTIONS = 5
# …and otherwise one for every 1.5 in the pool, so the pool is at least 1.5 times an attempt.
POOL_PER_QUESTION = (3, 2)  # 3/2, as a fraction: whole-number arithmetic, no float rounding


def attempt_size(pool: int) -> int:
    """How many of a track's ``pool`` questions one attempt asks: floor(pool / 1.5), at least
    MIN_ATTEMPT_QUESTIONS, never more than the pool (8 → 5, 9 → 6, 12 → 8; 6 → 5; 3 → 3)."""
    numerator, denominator = POOL_PER_QUESTION
    return min(pool, max(MIN_ATTEMPT_QUESTIONS, pool * denominator // numerator))


def validate_discussion_url(value: str) -> None:
    """A site path or an https address: the link is shown on every reader's lesson page."""
    if not (value.startswith("/") and not value.startswith("//")) and not value.startswith(
        "https://"
    ):
        raise ValidationError("Use a site path such as /forums/… or an https:// address.")


class TrackQuerySet(models.QuerySet):
    def active(self) -> TrackQuerySet:
        return self.filter(is_retired=False)


class Track(models.Model):
    """One folder of the library: a role's way in, with its checklist and knowledge check."""

    slug = models.SlugField(max_length=80, unique=True)  # the folder name; its identity
    title = models.CharField(max_length=120)
    # Empty for the common foundation ("start-here"), which belongs to no single role.
    role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.PROTECT, related_name="guide_tracks"
    )
    order = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField()
    audience = models.TextField()
    # [{"key": …, "text": …}]; the key is a hash of the text, so a reader's ticks survive
    # items being reordered, and an item that is reworded starts unticked.
    checklist = models.JSONField(default=list, blank=True)
    # [{"key", "question", "choices": [str], "correct": index, "explanation"}, with each
    # text's sanitized HTML beside it]; "key" is a hash of the question's text (papers.py)
    questions = models.JSONField(default=list, blank=True)
    questions_hash = models.CharField(max_length=64, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    # Moved on by sync.py (F("version") + 1, in the same transaction) whenever the track or
    # any of its lessons changes: the guides index keys each track's card, and its cached
    # copy of the library's shape, on it (templates/guides/index.html).
    version = models.PositiveIntegerField(default=1, editable=False)
    is_retired = models.BooleanField(default=False)
    synced_at = models.DateTimeField(default=timezone.now)

    objects = TrackQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guides:track", kwargs={"track_slug": self.slug})

    @property
    def role_name(self) -> str:
        """Needs ``select_related("role")`` to stay free of queries."""
        return self.role.name if self.role_id else "Everyone"

    @property
    def attempt_size(self) -> int:
        """How many of the track's questions one attempt at its check asks."""
        return attempt_size(len(self.questions))

    @property
    def pass_mark(self) -> int:
        """Right answers needed to pass, out of one attempt's questions."""
        return pass_mark(self.attempt_size)


class LessonQuerySet(models.QuerySet):
    def active(self) -> LessonQuerySet:
        return self.filter(is_retired=False, track__is_retired=False)

    def in_order(self) -> LessonQuerySet:
        return self.order_by("track__order", "track__title", "position", "slug")

    def for_listing(self) -> LessonQuerySet:
        """Lessons for a list: without the stored HTML and search text, which lists never show."""
        return self.defer("body_html", "body_text", "toc", "search_vector", "questions")


class Lesson(models.Model):
    uid = models.SlugField(max_length=100, unique=True)  # stable forever (guides/README.md)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="lessons")
    slug = models.SlugField(max_length=100)  # the file name without number and .md
    position = models.PositiveSmallIntegerField()  # the file name's number prefix
    source_path = models.CharField(max_length=300)  # e.g. chat-enforcer/01-warn-timeout-ban.md
    title = models.CharField(max_length=200)
    summary = models.TextField()
    minutes = models.PositiveSmallIntegerField()
    last_reviewed = models.DateField()
    review_every_days = models.PositiveIntegerField()
    # last_reviewed + review_every_days, worked out at sync so "past its review date" is a
    # plain indexed comparison on every database.
    review_due = models.DateField(db_index=True)
    checklist = models.JSONField(default=list, blank=True)  # as Track.checklist
    questions = models.JSONField(default=list, blank=True)  # as Track.questions
    questions_hash = models.CharField(max_length=64, blank=True)
    # The lesson's reflection prompt (front matter), shown in its own box after the lesson.
    reflection = models.TextField(blank=True)
    body_html = models.TextField(editable=False)  # rendered once, at sync (portal/markup.py)
    body_text = models.TextField(editable=False)  # plain text, for search and snippets
    toc = models.JSONField(default=list, blank=True, editable=False)  # [{level, anchor, title}]
    # Filled at sync on PostgreSQL only (title, summary, body, weighted); empty on SQLite,
    # where search falls back to icontains.
    search_vector = SearchVectorField(null=True, editable=False)
    content_hash = models.CharField(max_length=64, editable=False)
    # When the lesson was added or its body last changed substantially (sync.py): readers
    # who completed it before this see "updated since you read it".
    content_changed_at = models.DateTimeField(default=timezone.now)
    # The lesson's forum discussion, filled in by the forums once they exist; NULL means
    # "no discussion yet" (sync never touches it: it is not part of the library's files).
    discussion_url = models.CharField(
        max_length=300, null=True, blank=True, validators=[validate_discussion_url]
    )
    is_retired = models.BooleanField(default=False)
    synced_at = models.DateTimeField(default=timezone.now)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]
        constraints = [
            # Retired lessons keep their slug for the record but give up the address.
            models.UniqueConstraint(
                fields=["track", "slug"],
                condition=models.Q(is_retired=False),
                name="lesson_slug_unique_in_track",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # Needs the track loaded (select_related) to stay free of queries.
        return reverse(
            "guides:lesson", kwargs={"track_slug": self.track.slug, "lesson_slug": self.slug}
        )

    def is_due_for_review(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) > self.review_due

    @property
    def pass_mark(self) -> int:
        return pass_mark(len(self.questions))


class LibraryPage(models.Model):
    """A page of the library that is no lesson: the glossary (guides/GLOSSARY.md), loaded by
    sync_guides like the lessons and, like them, stored ready to show. Keyed by slug, its
    address under /guides/ (library.py reserves it from track folders)."""

    slug = models.SlugField(max_length=80, unique=True)
    source_path = models.CharField(max_length=300)
    title = models.CharField(max_length=200)
    body_html = models.TextField(editable=False)  # rendered once, at sync (portal/markup.py)
    toc = models.JSONField(default=list, blank=True, editable=False)  # as Lesson.toc
    content_hash = models.CharField(max_length=64, editable=False)
    synced_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(f"guides:{self.slug}")


class LessonProgress(models.Model):
    """One reader's state in one lesson: read or not, checklist ticks, check passed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(null=True, blank=True)
    checklist_done = models.JSONField(default=list, blank=True)  # checklist item keys
    check_passed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.lesson_id}"

    def is_outdated(self, lesson: Lesson) -> bool:
        """Read before the lesson last changed substantially."""
        return self.completed_at is not None and self.completed_at < lesson.content_changed_at


class TrackProgress(models.Model):
    """One reader's state in a track as a whole: its checklist and its knowledge check."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="track_progress"
    )
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="progress")
    checklist_done = models.JSONField(default=list, blank=True)
    check_passed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "track"], name="track_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.track_id}"


class CheckAttempt(models.Model):
    """One go at a knowledge check (a lesson's, or the track's when ``lesson`` is empty).

    Attempts are numbered from 1 per person and check; the number picks the attempt's paper
    (papers.py: the order its choices were shown in), so the answers are stored as the file
    sees them: the keys of the questions asked and, for each, the index in the file of the
    choice picked. They are kept with a hash of the questions they answered, so the results
    are shown only while the questions are still the same ones.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_attempts"
    )
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="check_attempts")
    lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.CASCADE, related_name="check_attempts"
    )
    number = models.PositiveIntegerField()
    question_keys = models.JSONField(default=list)  # the questions asked, in the paper's order
    answers = models.JSONField(default=list)  # the chosen choice's index in the file, per question
    score = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    questions_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # One attempt per number: the same paper sent twice (a double click, two tabs)
            # is graded once. Two constraints, as NULL lessons are never equal in SQL. Their
            # indexes also serve "the latest attempt" (the highest number).
            models.UniqueConstraint(
                fields=["user", "track", "number"],
                condition=models.Q(lesson__isnull=True),
                name="track_attempt_number_once",
            ),
            models.UniqueConstraint(
                fields=["user", "lesson", "number"],
                condition=models.Q(lesson__isnull=False),
                name="lesson_attempt_number_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}/{self.total}"


def _certificate_code() -> str:
    return secrets.token_urlsafe(12)


class Badge(models.Model):
    """Earned by completing a track; kept even if the track later grows or is retired."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guide_badges"
    )
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="badges")
    awarded_at = models.DateTimeField(default=timezone.now)
    # The certificate's address: unguessable, so a certificate is seen by those its owner
    # shares it with (or who see it on their public profile), not by enumerating numbers.
    code = models.CharField(max_length=24, unique=True, default=_certificate_code)

    class Meta:
        ordering = ["awarded_at"]
        constraints = [models.UniqueConstraint(fields=["user", "track"], name="badge_once")]

    def __str__(self) -> str:
        return f"{self.track} badge"

    def get_absolute_url(self) -> str:
        return reverse("guides:certificate", kwargs={"code": self.code})


class FeedbackReason(models.TextChoices):
    INACCURATE = "inaccurate", "It is inaccurate or out of date"
    CONFUSING = "confusing", "It is confusing"
    MISSING = "missing", "Information is missing"
    OTHER = "other", "Something else"


class LessonFeedback(models.Model):
    """ "Was this helpful?": one answer per reader per lesson, which they can change."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_feedback"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    reason = models.CharField(max_length=20, choices=FeedbackReason.choices, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_feedback_once"),
            # A "no" says why; a "yes" needs no reason.
            models.CheckConstraint(
                condition=models.Q(helpful=True, reason="")
                | models.Q(helpful=False) & ~models.Q(reason=""),
                name="feedback_reason_when_not_helpful",
            ),
        ]

    def __str__(self) -> str:
        return f"{'helpful' if self.helpful else self.reason} on {self.lesson_id}"


class JournalEntryQuerySet(models.QuerySet):
    def of(self, user: AbstractBaseUser) -> JournalEntryQuerySet:
        """The only way to read journal entries: one person's own."""
        return self.filter(user=user)


class JournalEntry(models.Model):
    """A reader's private note on a lesson's reflection prompt: their reflect-on-action journal.

    Seen by its writer only. No page shows it to anyone else, site staff included, and it is
    not in the admin; it goes with the writer's account (CASCADE). The prompt is kept as the
    writer answered it, since a later sync may reword the lesson's.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="journal_entries")
    prompt = models.TextField()
    body = models.TextField()  # Markdown, as written
    body_html = models.TextField(editable=False)  # rendered once, when saved (portal/markup.py)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="journal_entry_once")
        ]
        indexes = [models.Index(fields=["user", "-updated_at"], name="journal_latest")]
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        return f"{self.user_id} on {self.lesson_id}"
