"""When a person's next digest is due, and which period it belongs to.

People choose a local hour (and a weekday for weekly digests) in their profile's timezone;
the database keeps the next due moment in UTC so the beat job finds everyone due with one
range query, whatever their timezone. A due time in a daylight-saving gap is moved by
zoneinfo's usual rule (the offset before the change), so it is never skipped.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal.digests.models import DigestFrequency

# A window never reaches further back than this, however long since the last digest.
MAX_WINDOW = timedelta(days=30)


def next_due(
    *, frequency: str, weekday: int, hour: int, tz_name: str, after: datetime
) -> datetime | None:
    """The first due moment strictly after ``after``, in UTC; None when digests are off."""
    if frequency == DigestFrequency.OFF:
        return None
    tz = ZoneInfo(tz_name)
    local = after.astimezone(tz)
    day = local.date()
    if frequency == DigestFrequency.WEEKLY:
        day += timedelta(days=(weekday - local.weekday()) % 7)
    step = timedelta(days=7 if frequency == DigestFrequency.WEEKLY else 1)
    while True:
        candidate = datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)
        if candidate > after:
            return candidate
        day += step


def period_key(*, frequency: str, due_at: datetime, tz_name: str) -> str:
    """The period a digest due at ``due_at`` covers, named by the person's local date."""
    local = due_at.astimezone(ZoneInfo(tz_name)).date()
    if frequency == DigestFrequency.WEEKLY:
        year, week, _ = local.isocalendar()
        return f"w:{year}-W{week:02d}"
    return f"d:{local.isoformat()}"


def window_start(
    *, last_window_end: datetime | None, joined_at: datetime, window_end: datetime
) -> datetime:
    """A digest covers what happened since the last one ended; a first digest, since the
    person joined; never more than MAX_WINDOW."""
    start = last_window_end or joined_at
    return max(start, window_end - MAX_WINDOW)
