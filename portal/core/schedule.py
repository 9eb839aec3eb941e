"""Weekly time windows: a person's availability and an opening's schedule.

People write windows the way they say them, one per line: ``Mon 18:00-22:00``,
``Sat-Sun 12:00-16:00``, ``Weekdays 19:30-23:00``. Each window is kept in the writer's own
timezone, as written (that is what they meant). Which instants a window is depends on the
week (clocks change), so overlaps and times shown in another timezone are worked out for
the week being looked at, in portal/core/weeks.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError

DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_DAY_ALIASES = {
    **{name.lower(): i for i, name in enumerate(DAY_NAMES)},
    **{
        full: i
        for i, full in enumerate(
            ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        )
    },
    "tues": 1, "thur": 3, "thurs": 3,
}  # fmt: skip
_GROUPS = {"weekdays": range(0, 5), "weekends": range(5, 7), "daily": range(0, 7)}
MAX_WINDOWS = 21

_LINE = re.compile(
    r"^(?P<days>[A-Za-z]+(?:\s*-\s*[A-Za-z]+)?)\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$"
)


@dataclass(frozen=True, order=True)
class Window:
    """One weekly window in the writer's own timezone. ``end`` may be 00:00 (midnight)."""

    weekday: int  # 0 = Monday
    start: time
    end: time

    def __str__(self) -> str:
        return f"{DAY_NAMES[self.weekday]} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def minutes(self) -> int:
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return (end or 24 * 60) - start

    def as_json(self) -> list:
        return [self.weekday, f"{self.start:%H:%M}", f"{self.end:%H:%M}"]

    @classmethod
    def from_json(cls, data: list) -> Window:
        return cls(int(data[0]), time.fromisoformat(data[1]), time.fromisoformat(data[2]))


def validate_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            f"“{name}” is not a timezone we know. Use a name like Europe/Berlin or "
            "America/New_York.",
            code="invalid_timezone",
        ) from exc


def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(n for n in available_timezones() if "/" in n and not n.startswith("Etc/"))
    return [("UTC", "UTC"), *[(n, n.replace("_", " ")) for n in names]]


def _parse_day(word: str, line_no: int) -> int:
    try:
        return _DAY_ALIASES[word.lower()]
    except KeyError:
        raise ValidationError(
            f"Line {line_no}: “{word}” is not a day. Use Mon, Tue, … Sun, Weekdays or Weekends."
        ) from None


def _parse_time(value: str, line_no: int) -> time:
    hours, minutes = (int(part) for part in value.split(":"))
    if hours == 24 and minutes == 0:
        return time(0, 0)
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ValidationError(f"Line {line_no}: {value} is not a time of day.")
    return time(hours, minutes)


def parse_windows(text: str) -> list[Window]:
    """Parse one window per line; raise ValidationError naming the line that is wrong."""
    windows: set[Window] = set()
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().rstrip(",")
        if not line:
            continue
        match = _LINE.match(line)
        if not match:
            raise ValidationError(
                f"Line {line_no}: write a day and a time range, like “Mon 18:00-22:00”."
            )
        days_text = match["days"].replace(" ", "")
        if days_text.lower() in _GROUPS:
            days = list(_GROUPS[days_text.lower()])
        elif "-" in days_text:
            first, last = (_parse_day(d, line_no) for d in days_text.split("-"))
            days = [(first + i) % 7 for i in range(((last - first) % 7) + 1)]
        else:
            days = [_parse_day(days_text, line_no)]
        start = _parse_time(match["start"], line_no)
        end = _parse_time(match["end"], line_no)
        if end != time(0, 0) and end <= start:
            raise ValidationError(
                f"Line {line_no}: the window must end after it starts (write 22:00-24:00, "
                "then the next day from 00:00, for a window past midnight)."
            )
        windows.update(Window(day, start, end) for day in days)
    if len(windows) > MAX_WINDOWS:
        raise ValidationError(f"At most {MAX_WINDOWS} windows, please.")
    return sorted(windows)


def format_windows(windows: list[Window]) -> str:
    return "\n".join(str(w) for w in sorted(windows))
