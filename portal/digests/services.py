"""Writes to email preferences, and the digest run: who is due, and sending exactly once."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.mail import mailers
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.accounts.models import User
from portal.core.mail import MAIL_RETRY_WAITS, EmailNotSent, failed_email_record
from portal.core.outbox import enqueue_on_commit
from portal.digests.content import Target, sections_build, targets_load
from portal.digests.mail import send_email
from portal.digests.models import (
    KIND_FIELDS,
    Digest,
    DigestFrequency,
    EmailKind,
    EmailPreferences,
)
from portal.digests.schedule import next_due, period_key

logger = logging.getLogger(__name__)

# People per digest task. Small enough that a retried or redelivered chunk redoes little and
# that one slow person never holds up many others; large enough that the shared data each
# chunk reads once (topics, openings, lessons) is read rarely. 50 people are a few seconds of
# work for a worker.
CHUNK_SIZE = 50
QUEUE_LOCK_KEY = "digests:queue-lock"
QUEUE_LOCK_SECONDS = 10 * 60
# One more than the waits between tries: the same schedule as every other email.
MAX_SEND_ATTEMPTS = len(MAIL_RETRY_WAITS) + 1
SEND_CHUNK_TASK = "portal.digests.tasks.send_digest_chunk"


def preferences_schedule(
    *, preferences: EmailPreferences, timezone_name: str, now: datetime
) -> None:
    """Set when the next digest is due (in memory; the caller saves)."""
    preferences.next_digest_at = next_due(
        frequency=preferences.digest_frequency,
        weekday=preferences.digest_weekday,
        hour=preferences.digest_hour,
        tz_name=timezone_name,
        after=now,
    )


@transaction.atomic
def preferences_save(*, preferences: EmailPreferences) -> EmailPreferences:
    """Save preferences edited by their owner, rescheduling the next digest."""
    preferences_schedule(
        preferences=preferences,
        timezone_name=preferences.user.profile.timezone,
        now=timezone.now(),
    )
    preferences.full_clean()
    preferences.save()
    return preferences


def digest_reschedule(*, user: User) -> None:
    """The person's timezone changed: their local hour is now another UTC moment."""
    preferences = EmailPreferences.objects.filter(user=user).first()
    if preferences is not None:
        preferences_schedule(
            preferences=preferences, timezone_name=user.profile.timezone, now=timezone.now()
        )
        preferences.save(update_fields=["next_digest_at", "updated_at"])


@transaction.atomic
def email_unsubscribe(*, preferences: EmailPreferences, kind: str) -> None:
    """Stop one kind of email. Idempotent: unsubscribing twice is the same as once."""
    if kind == EmailKind.DIGEST:
        preferences.digest_frequency = DigestFrequency.OFF
        preferences.next_digest_at = None
    else:
        setattr(preferences, KIND_FIELDS[kind], False)
    preferences.save()


@transaction.atomic
def digest_less_often(*, preferences: EmailPreferences) -> None:
    """The gentler choice offered before unsubscribing: daily becomes weekly."""
    preferences.digest_frequency = DigestFrequency.WEEKLY
    preferences_schedule(
        preferences=preferences,
        timezone_name=preferences.user.profile.timezone,
        now=timezone.now(),
    )
    preferences.save()


# --- The digest run --------------------------------------------------------------------------


@dataclass(frozen=True)
class DueEntry:
    """One person's digest to send: who, which period, and the moment the window ends."""

    user_id: int
    period: str
    due_at: datetime

    def as_task_arg(self) -> list:
        return [self.user_id, self.period, self.due_at.isoformat()]

    @classmethod
    def from_task_arg(cls, data: list) -> DueEntry:
        return cls(int(data[0]), str(data[1]), datetime.fromisoformat(data[2]))


def preferences_create_missing(*, now: datetime) -> int:
    """Give everyone without email preferences the defaults (a weekly digest), however their
    account was made (sign-up, Twitch, the admin, bulk demo data)."""
    missing = list(
        User.objects.filter(is_active=True, email_preferences__isnull=True)
        .select_related("profile")
        .only("pk", "profile__timezone")
    )
    rows = []
    for user in missing:
        preferences = EmailPreferences(user=user)
        preferences_schedule(preferences=preferences, timezone_name=user.profile.timezone, now=now)
        rows.append(preferences)
    EmailPreferences.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def due_entries_take(*, now: datetime, user_id: int | None = None) -> list[DueEntry]:
    """Select everyone due at ``now`` (one indexed query) and move their next due time on,
    in one transaction, returning what to send."""
    with transaction.atomic():
        due = (
            EmailPreferences.objects.select_for_update(of=("self",))
            .filter(next_digest_at__lte=now, user__is_active=True)
            .exclude(digest_frequency=DigestFrequency.OFF)
            .select_related("user__profile")
            .order_by("next_digest_at", "pk")
        )
        if user_id is not None:
            due = due.filter(user_id=user_id)
        entries: list[DueEntry] = []
        updated: list[EmailPreferences] = []
        for preferences in due:
            tz_name = preferences.user.profile.timezone
            entries.append(
                DueEntry(
                    user_id=preferences.user_id,
                    period=period_key(
                        frequency=preferences.digest_frequency,
                        due_at=preferences.next_digest_at,
                        tz_name=tz_name,
                    ),
                    due_at=preferences.next_digest_at,
                )
            )
            # From now, not from the old due time: after an outage a person gets one digest
            # covering the gap, not one per missed period.
            preferences_schedule(preferences=preferences, timezone_name=tz_name, now=now)
            updated.append(preferences)
        EmailPreferences.objects.bulk_update(updated, ["next_digest_at"], batch_size=1000)
    return entries


def digests_queue_due(*, now: datetime | None = None) -> int | None:
    """The beat job: queue everyone due, in chunks, onto the email queue. Returns how many
    people were queued, or None when another run holds the lock.

    The lock (a cache key; Redis in production) keeps two runs from overlapping if one is
    slow; exactly-once sending does not depend on it, the Digest record guarantees that.
    """
    from portal.digests.tasks import send_digest_chunk

    now = now or timezone.now()
    token = uuid.uuid4().hex
    if not cache.add(QUEUE_LOCK_KEY, token, QUEUE_LOCK_SECONDS):
        logger.info("digest queueing skipped: another run holds the lock")
        return None
    try:
        preferences_create_missing(now=now)
        entries = due_entries_take(now=now)
        chunks = [entries[i : i + CHUNK_SIZE] for i in range(0, len(entries), CHUNK_SIZE)]
        for chunk in chunks:
            enqueue_on_commit(send_digest_chunk, [entry.as_task_arg() for entry in chunk])
        logger.info("queued %s digests in %s chunks", len(entries), len(chunks))
        return len(entries)
    finally:
        if cache.get(QUEUE_LOCK_KEY) == token:
            cache.delete(QUEUE_LOCK_KEY)


@dataclass
class ChunkResult:
    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    already_done: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    retry: list[DueEntry] = field(default_factory=list)


def digest_build_chunk(*, entries: list[DueEntry]) -> tuple[list[Target], dict]:
    """Everything the chunk's emails will say, read in a fixed number of queries."""
    targets = targets_load(
        user_ids=[e.user_id for e in entries],
        window_end={e.user_id: e.due_at for e in entries},
    )
    return targets, sections_build(targets)


def digests_send_chunk(
    *,
    entries: list[DueEntry],
    final_attempt: bool = True,
    dry_run: bool = False,
    again: bool = False,
) -> ChunkResult:
    """Send each person in the chunk their digest, exactly once per period.

    Per person: claim the Digest row (unique per person and period) under a row lock, send,
    and mark it sent, all in one transaction. A second run of the same chunk (a retried or
    redelivered task, or a concurrent worker) waits on the lock and then finds the row sent.
    If the worker dies mid-send the transaction rolls back and a redelivery sends again: the
    only window for a second copy is between the mail server accepting the message and the
    commit, milliseconds, which is the price of never losing a digest.

    ``again`` is staff's "send again" of a digest kept as failed: it is tried afresh.
    """
    result = ChunkResult()
    if again and not dry_run:
        for entry in entries:
            Digest.objects.filter(
                user_id=entry.user_id, period=entry.period, status=Digest.Status.FAILED
            ).update(status=Digest.Status.PENDING, attempts=0, finished_at=None)
    targets, sections = digest_build_chunk(entries=entries)
    by_user = {e.user_id: e for e in entries}
    connection = None if dry_run else mailers.default  # one connection for the chunk
    for target in targets:
        entry = by_user[target.user_id]
        person_sections = sections[target.user_id]
        if dry_run:
            (result.sent if person_sections else result.skipped).append(target.user_id)
            continue
        try:
            outcome = _digest_send_one(
                target=target, entry=entry, sections=person_sections, connection=connection
            )
        except SoftTimeLimitExceeded:
            raise  # the task is out of time; it keeps the whole chunk for a later try
        except Exception as exc:  # a mail server error, or anything else: retry, then record
            logger.exception("digest for user %s failed", target.user_id)
            if _digest_record_failure(entry=entry, target=target, error=exc, final=final_attempt):
                result.failed.append(target.user_id)
            else:
                result.retry.append(entry)
            continue
        getattr(result, outcome).append(target.user_id)
    return result


def _digest_send_one(*, target: Target, entry: DueEntry, sections: list, connection) -> str:
    with transaction.atomic():
        digest = _digest_claim(target=target, entry=entry)
        if digest.status in (Digest.Status.SENT, Digest.Status.SKIPPED, Digest.Status.FAILED):
            return "already_done"
        item_count = sum(len(section.items) for section in sections)
        digest.attempts += 1
        digest.item_count = item_count
        digest.finished_at = timezone.now()
        if item_count == 0:
            digest.status = Digest.Status.SKIPPED  # nothing new: no email, but remembered
            digest.save()
            return "skipped"
        send_email(
            user=target.user,
            kind=EmailKind.DIGEST,
            subject=_digest_subject(target),
            template="digest",
            context={"sections": sections, "target": target, "item_count": item_count},
            preferences=target.preferences,
            connection=connection,
        )
        digest.status = Digest.Status.SENT
        digest.save()
        return "sent"


def _digest_claim(*, target: Target, entry: DueEntry) -> Digest:
    defaults = {
        "due_at": entry.due_at,
        "window_start": target.window_start,
        "window_end": target.window_end,
    }
    try:
        with transaction.atomic():
            digest, _ = Digest.objects.select_for_update().get_or_create(
                user_id=target.user_id, period=entry.period, defaults=defaults
            )
    except IntegrityError:
        # Another worker created it a moment ago: wait for its lock, then read its outcome.
        digest = Digest.objects.select_for_update().get(user_id=target.user_id, period=entry.period)
    return digest


def _digest_record_failure(
    *, entry: DueEntry, target: Target, error: Exception, final: bool
) -> bool:
    """Count a failed attempt; after the last one, mark the digest failed. Returns whether
    it is now recorded as failed."""
    with transaction.atomic():
        digest = _digest_claim(target=target, entry=entry)
        if digest.status != Digest.Status.PENDING:
            return digest.status == Digest.Status.FAILED
        digest.attempts += 1
        described = str(error) if isinstance(error, EmailNotSent) else None
        digest.error = (described or f"{type(error).__name__}: {error}")[:2000]
        if final or digest.attempts >= MAX_SEND_ATTEMPTS:
            digest.status = Digest.Status.FAILED
            digest.finished_at = timezone.now()
            # Kept for staff, who can send it again (the task's ``again``) from /email/failed/.
            failed_email_record(
                person_id=target.user_id,
                kind=EmailKind.DIGEST,
                subject=f"[{settings.SITE_NAME}] {_digest_subject(target)}",
                error=digest.error,
                attempts=digest.attempts,
                task_name=SEND_CHUNK_TASK,
                args=[[entry.as_task_arg()], True],
            )
        digest.save()
        return digest.status == Digest.Status.FAILED


def _digest_subject(target: Target) -> str:
    if target.preferences.digest_frequency == DigestFrequency.DAILY:
        return "Your daily digest"
    return "Your weekly digest"
