"""An opening's life after it is written: published (within the daily limit), paused,
resumed, closed, filled, extended, expired by the hourly job, reminded of its closing date.
Each move locks the row first, so two clicks cannot both change it, and moves its version
in the same save."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.accounts.models import User
from portal.board import rules
from portal.board.models import Opening, OpeningStatus
from portal.board.services.openings import check_closes_on, check_safety, closing_instant
from portal.core.limits import check_rows
from portal.core.outbox import enqueue_on_commit


def lock_opening(opening: Opening) -> Opening:
    """Re-read the opening under a row lock, so two clicks cannot both change its state."""
    locked = Opening.objects.select_for_update(no_key=True).get(pk=opening.pk)
    opening.status = locked.status
    opening.published_at = locked.published_at
    return opening


@transaction.atomic
def opening_publish(
    *, opening: Opening, acknowledged_safety: bool = False, now: datetime | None = None
) -> Opening:
    """Draft → open, after the scam-word warning and the daily posting limit."""
    now = now or timezone.now()
    lock_opening(opening)
    if opening.status != OpeningStatus.DRAFT:
        raise ValidationError("Only a draft can be published.")
    owner = opening.channel.owner
    User.objects.select_for_update(no_key=True).filter(pk=owner.pk).first()  # one publish at a time
    check_closes_on(opening.closes_on, opening.timezone, now)
    check_safety(opening, acknowledged_safety, opening.questions.all())
    published = Opening.objects.filter(channel__owner=owner)
    check_rows(rules.OPENINGS, published, field="published_at", user=owner, now=now)
    opening.status = OpeningStatus.OPEN
    opening.published_at = now
    opening.full_clean()
    opening.version = F("version") + 1
    opening.save(update_fields=["status", "published_at", "updated_at", "version"])
    return opening


# Owner-driven moves besides publishing: from → allowed targets.
OWNER_MOVES: dict[str, list[str]] = {
    OpeningStatus.OPEN: [OpeningStatus.PAUSED, OpeningStatus.FILLED, OpeningStatus.CLOSED],
    OpeningStatus.PAUSED: [OpeningStatus.OPEN, OpeningStatus.FILLED, OpeningStatus.CLOSED],
    OpeningStatus.EXPIRED: [OpeningStatus.FILLED, OpeningStatus.CLOSED],
}


def fillable(opening: Opening) -> bool:
    """May the owner mark this opening filled now (accepting an application offers to)?"""
    return OpeningStatus.FILLED in OWNER_MOVES.get(opening.status, [])


def _move(opening: Opening, to: str, *, now: datetime | None = None) -> Opening:
    lock_opening(opening)
    if to not in OWNER_MOVES.get(opening.status, []):
        raise ValidationError(
            f"A {opening.get_status_display().lower()} opening cannot become "
            f"{OpeningStatus(to).label.lower()}."
        )
    if to == OpeningStatus.OPEN and opening.expires_at <= (now or timezone.now()):
        raise ValidationError("This opening has passed its closing date: extend it instead.")
    opening.status = to
    opening.version = F("version") + 1
    opening.save(update_fields=["status", "updated_at", "version"])
    return opening


@transaction.atomic
def opening_pause(*, opening: Opening) -> Opening:
    """Stop taking applications for a while; the opening leaves the board."""
    return _move(opening, OpeningStatus.PAUSED)


@transaction.atomic
def opening_resume(*, opening: Opening, now: datetime | None = None) -> Opening:
    return _move(opening, OpeningStatus.OPEN, now=now)


@transaction.atomic
def opening_close(*, opening: Opening) -> Opening:
    return _move(opening, OpeningStatus.CLOSED)


@transaction.atomic
def opening_fill(*, opening: Opening) -> Opening:
    return _move(opening, OpeningStatus.FILLED)


@transaction.atomic
def opening_extend(*, opening: Opening, closes_on: date, now: datetime | None = None) -> Opening:
    """Move the closing date (at most MAX_OPEN_DAYS ahead); an expired opening reopens."""
    lock_opening(opening)
    if opening.status not in (OpeningStatus.OPEN, OpeningStatus.PAUSED, OpeningStatus.EXPIRED):
        raise ValidationError(
            f"A {opening.get_status_display().lower()} opening cannot be extended."
        )
    check_closes_on(closes_on, opening.timezone, now)
    opening.closes_on = closes_on
    opening.expires_at = closing_instant(closes_on, opening.timezone)
    opening.reminder_sent_at = None
    if opening.status == OpeningStatus.EXPIRED:
        opening.status = OpeningStatus.OPEN
    opening.full_clean()
    opening.version = F("version") + 1
    opening.save(
        update_fields=[
            "closes_on",
            "expires_at",
            "reminder_sent_at",
            "status",
            "updated_at",
            "version",
        ]
    )
    return opening


@transaction.atomic
def openings_expire(*, now: datetime | None = None) -> int:
    """Mark open and paused openings past their closing date expired (the hourly job)."""
    now = now or timezone.now()
    expired = Opening.objects.filter(
        status__in=[OpeningStatus.OPEN, OpeningStatus.PAUSED], expires_at__lte=now
    ).update(status=OpeningStatus.EXPIRED, updated_at=now, version=F("version") + 1)
    return expired


@transaction.atomic
def opening_reminders_queue(*, now: datetime | None = None) -> int:
    """Queue one reminder per open opening closing within REMINDER_DAYS_BEFORE days that has
    not had one for its current date. Marked first, sent after commit: a second run of the
    job finds nothing to do."""
    from portal.board.tasks import send_opening_reminder

    now = now or timezone.now()
    due = Opening.objects.filter(
        status=OpeningStatus.OPEN,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=rules.REMINDER_DAYS_BEFORE),
        reminder_sent_at__isnull=True,
    )
    ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True))
    Opening.objects.filter(pk__in=ids).update(reminder_sent_at=now, version=F("version") + 1)
    for pk in ids:
        enqueue_on_commit(send_opening_reminder, pk)
    return len(ids)
