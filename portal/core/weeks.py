"""Weekly windows made concrete for one week, so overlaps survive daylight saving.

A window is kept as its writer wrote it: a weekday, a local start and end, and their
timezone ("Fri 18:00-22:00 in Europe/Berlin"). What instant that is depends on the week:
Berlin's Friday evening is 17:00 UTC in winter and 16:00 UTC in summer, and for three weeks
each spring and one each autumn Europe and North America are an hour nearer each other than
usual, because they change their clocks on different Sundays. A UTC copy fixed when the
window was saved is therefore wrong for half the year; here every window is placed in the
week being looked at instead.

A week is named by its Monday (``week_of``). Positions are whole minutes from that Monday
00:00 UTC; a window written in another timezone may land a little before 0 or past the
end of the week, which is what lets a Sunday-night window meet a Monday-morning one across
the date line.

Local times the clock skips or repeats follow zoneinfo's ``fold=0``: a time inside the
spring gap is read with the offset before the change (02:30 on the morning New York moves to
summer time is 07:30 UTC, i.e. 03:30 summer time), and a time that happens twice is its
first occurrence. A window whose end is at or before its start runs past midnight into the
next day; 00:00 as an end is midnight.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from portal.core.schedule import DAY_NAMES, Window

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
# A window's local end can reach Monday 00:00 of the next week plus the rest of a day (a
# Sunday window past midnight): the zone offsets the SQL needs are worked out this far.
LOCAL_SPAN = 8 * MINUTES_PER_DAY

Interval = tuple[int, int]  # [start, end) minutes from the week's Monday 00:00 UTC


def week_of(moment: datetime | date | None = None) -> date:
    """The Monday of the (UTC) week holding ``moment``, now by default."""
    if moment is None:
        moment = datetime.now(UTC)
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC).date()
    return moment - timedelta(days=moment.weekday())


@cache
def zone(name: str) -> ZoneInfo:
    """The named zone; UTC for a name this machine does not know (an old row, a removed
    zone), so a page never fails for it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def local_bounds(weekday: int, start: time, end: time) -> Interval:
    """A window's [start, end) in minutes from its writer's Monday 00:00 by their own
    clock. The end is after the start: at or before it, the window runs past midnight."""
    local_start = weekday * MINUTES_PER_DAY + _minutes(start)
    length = (_minutes(end) - _minutes(start)) % MINUTES_PER_DAY or MINUTES_PER_DAY
    return local_start, local_start + length


def _week_start(week: date) -> datetime:
    return datetime.combine(week, time(), UTC)


def utc_minute(week: date, local_minute: int, tz: ZoneInfo) -> int:
    """Where ``local_minute`` (from Monday 00:00 on the writer's clock, in this week) falls,
    in minutes from the week's Monday 00:00 UTC. Aware arithmetic in Python is wall-clock
    arithmetic, so the sum below is the local time asked for, with fold=0."""
    local = datetime.combine(week, time(), tz) + timedelta(minutes=local_minute)
    return int((local.astimezone(UTC) - _week_start(week)).total_seconds() // 60)


def window_interval(
    window: Window, tz_name: str, week: date, *, day: int | None = None
) -> Interval:
    """The window's occurrence in the week (on local day ``day`` from the week's Monday, its
    own weekday by default; another week's day, e.g. -1 or 7, places it beside this one)."""
    tz = zone(tz_name)
    local_start, local_end = local_bounds(window.weekday, window.start, window.end)
    shift = ((window.weekday if day is None else day) - window.weekday) * MINUTES_PER_DAY
    return utc_minute(week, local_start + shift, tz), utc_minute(week, local_end + shift, tz)


def week_intervals(windows: Iterable[Window], tz_name: str, week: date) -> list[Interval]:
    """Each window once, on its weekday of this week, as its writer's clock reads then."""
    return sorted(window_interval(w, tz_name, week) for w in windows)


def _merged(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def around(windows: Iterable[Window], tz_name: str, week: date) -> list[Interval]:
    """When someone is around near this week: every window on every local day from two
    days before the week's Monday to two days after its Sunday, merged. A window of another
    timezone placed in the week (``week_intervals``) can start up to 14 hours before the
    week's UTC Monday or end a day and more after its Sunday; this span meets it wherever it
    lands."""
    windows = list(windows)
    return _merged(
        window_interval(w, tz_name, week, day=day)
        for day in range(-2, 9)
        for w in windows
        if day % 7 == w.weekday
    )


def any_overlap(a: Iterable[Interval], b: Iterable[Interval]) -> bool:
    b = list(b)
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def windows_meet(
    windows: Iterable[Window], tz_name: str, others: Iterable[Window], others_tz: str, week: date
) -> bool:
    """Do ``windows`` (in the week being looked at) meet any time ``others`` are around?"""
    return any_overlap(week_intervals(windows, tz_name, week), around(others, others_tz, week))


def windows_for_reader(
    windows: Iterable[Window], tz_name: str, reader_tz: str, week: date
) -> list[str]:
    """The windows as a reader in ``reader_tz`` sees them in this week ("Mon 00:00-02:00"),
    in the reader's week order."""
    windows = list(windows)
    if tz_name == reader_tz:
        return [str(w) for w in sorted(windows)]
    reader = zone(reader_tz)
    shown = []
    for window in windows:
        start, end = window_interval(window, tz_name, week)
        local_start = (_week_start(week) + timedelta(minutes=start)).astimezone(reader)
        local_end = (_week_start(week) + timedelta(minutes=end)).astimezone(reader)
        shown.append(
            (
                (local_start.weekday(), local_start.time()),
                f"{DAY_NAMES[local_start.weekday()]} {local_start:%H:%M}-{local_end:%H:%M}",
            )
        )
    return [label for _, label in sorted(shown)]


# --- The same placement in SQL ----------------------------------------------------------

_ZONE_NAME = re.compile(r"^[A-Za-z0-9_+\-/]+$")
NO_CHANGE = 99999  # a breakpoint past any local minute: the offset holds all week
# No zone is more than this many minutes from UTC (Kiritimati is 14 hours ahead, Baker
# Island 12 behind): a slot's local minutes are within it of its UTC ones.
FURTHEST_OFFSET = 15 * 60


def _offset(tz: ZoneInfo, week: date, local_minute: int) -> int:
    local = datetime.combine(week, time(), tz) + timedelta(minutes=local_minute)
    return int(local.utcoffset().total_seconds() // 60)


def _steps(tz: ZoneInfo, week: date) -> list[tuple[int, int]]:
    """The zone's offset over local minutes 0..LOCAL_SPAN of the week, as [(from, offset)].
    Read at each local midnight, and where it changes within a day, the first minute of the
    new offset by bisection (a clock changes at most once a day)."""
    steps = [(0, _offset(tz, week, 0))]
    for day in range(LOCAL_SPAN // MINUTES_PER_DAY):
        low, high = day * MINUTES_PER_DAY, (day + 1) * MINUTES_PER_DAY
        before = steps[-1][1]
        after = _offset(tz, week, high)
        if after == before:
            continue
        while high - low > 1:
            middle = (low + high) // 2
            if _offset(tz, week, middle) == before:
                low = middle
            else:
                high = middle
        steps.append((high, after))
    return steps


@lru_cache(maxsize=4)
def zone_offsets_sql(week: date) -> str:
    """Every zone's offset in this week as an SQL table: ``(VALUES ('Europe/Berlin', 60,
    8581, 120, 99999, 120), …)``, columns: name, offset, breakpoint, offset from there,
    second breakpoint, offset from there (the rare zone that changes twice in eight days;
    a third change is not expected and would be read as the second). Zones at UTC all week
    are left out (the query reads them as 0). Worked out once a week per process (about
    600 zones, a few milliseconds each time), and written into the statement rather than
    sent as 3,600 parameters; the names come from the zone database and are checked."""
    rows = []
    for name in sorted(available_timezones()):
        if not _ZONE_NAME.match(name):
            continue
        steps = _steps(zone(name), week)
        if steps == [(0, 0)]:
            continue
        (_, first), *changes = steps
        changes = (changes + [(NO_CHANGE, (changes or [(0, first)])[-1][1])] * 2)[:2]
        (bp1, second), (bp2, third) = changes
        rows.append(f"('{name}', {first}, {bp1}, {second}, {bp2}, {third})")
    return "(VALUES " + ", ".join(rows) + ")"


def _utc_sql(local: str) -> str:
    """The UTC minute of a local minute column, for a row joined to the zone table ``o``."""
    return (
        f"{local} - COALESCE(CASE WHEN {local} < o.column3 THEN o.column2"
        f" WHEN {local} < o.column5 THEN o.column4 ELSE o.column6 END, 0)"
    )


def overlapping_sql(
    *, table: str, key: str, tz: str, quote, intervals: list[Interval], week: date
) -> tuple[str, list[int]]:
    """``SELECT key FROM table`` for the rows (WeeklySlot subclasses) that, placed in this
    week, overlap any of ``intervals``: one statement, the same on SQLite and PostgreSQL.

    Each slot is joined to its zone's offsets for the week (a hash join on a small VALUES
    table) and its local minutes turned to UTC ones in a derived table, so the comparisons
    with the intervals (parameters) read two plain columns. Slots too far from every
    interval in local minutes to meet it in any zone are dropped before the join, on the
    plain columns: on 100,000 slots in eight zones, for a reader around two evenings, that
    took PostgreSQL from about 125 ms to about 70 ms (a busy two-core laptop). The UTC copy
    this replaced answered from an index in a few ms, but was an hour wrong for part of
    every year."""
    if not intervals:
        raise ValueError("No intervals: the caller answers 'nothing overlaps' itself.")
    near = _merged((start - FURTHEST_OFFSET, end + FURTHEST_OFFSET) for start, end in intervals)
    s_start, s_end = (f"s.{quote(c)}" for c in ("local_start", "local_end"))
    overlap = " OR ".join(["(w.us < %s AND w.ue > %s)"] * len(intervals))
    nearby = " OR ".join([f"({s_start} < %s AND {s_end} > %s)"] * len(near))
    sql = (
        f"SELECT w.k FROM (SELECT s.{quote(key)} AS k, {_utc_sql(s_start)} AS us,"  # noqa: S608
        f" {_utc_sql(s_end)} AS ue FROM {quote(table)} s"
        f" LEFT JOIN {zone_offsets_sql(week)} o ON o.column1 = s.{quote(tz)}"
        f" WHERE {nearby}) w"
        f" WHERE {overlap}"
    )
    params = [value for start, end in [*near, *intervals] for value in (end, start)]
    return sql, params
