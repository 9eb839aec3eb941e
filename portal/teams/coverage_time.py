"""When a stream slot happens: its dated occurrences, as instants.

A slot is kept as written in the channel's timezone; its occurrence on a date is worked out
for that date's week (portal/core/weeks.py), so "Fri 20:00 in Europe/Berlin" is 19:00 UTC in
winter and 18:00 UTC in summer, and a reader in New York sees it an hour nearer during the
weeks when only one side of the Atlantic has changed its clocks. A week is named by its
Monday in the channel's own calendar.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from portal.core.weeks import window_interval, zone

# How far ahead members may sign up, and how far back or ahead the calendar feed reaches.
SIGNUP_WEEKS_AHEAD = 12


def occurrence_bounds(slot, on: date) -> tuple[datetime, datetime]:
    """The UTC start and end of the slot's stream on ``on`` (a date of its weekday, in the
    slot's timezone)."""
    week = on - timedelta(days=on.weekday())
    start, end = window_interval(slot.window, slot.timezone, week)
    monday = datetime.combine(week, time(), UTC)
    return monday + timedelta(minutes=start), monday + timedelta(minutes=end)


def channel_week(moment: datetime, tz_name: str) -> date:
    """The Monday of the channel's local week holding ``moment``."""
    local = moment.astimezone(zone(tz_name)).date()
    return local - timedelta(days=local.weekday())


def occurrence_label(slot, on: date) -> str:
    """'Fri 12 Dec 20:00' in the slot's own timezone, for news and messages."""
    return f"{on:%a} {on.day} {on:%b} {slot.start:%H:%M}"
