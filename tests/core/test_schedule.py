"""Parsing weekly windows and comparing them across timezones."""

from datetime import UTC, datetime, time

import pytest
from django.core.exceptions import ValidationError

from portal.core.schedule import (
    Window,
    parse_windows,
    ranges_overlap,
    utc_week_ranges,
    windows_in_timezone,
)

WINTER = datetime(2026, 1, 15, tzinfo=UTC)


def test_parses_days_ranges_and_groups():
    windows = parse_windows("Mon 18:00-22:00\nSat-Sun 12:00-16:00\nweekdays 07:30-08:00")
    assert Window(0, time(18), time(22)) in windows
    assert Window(5, time(12), time(16)) in windows and Window(6, time(12), time(16)) in windows
    assert len([w for w in windows if w.start == time(7, 30)]) == 5


def test_a_window_may_end_at_midnight():
    assert parse_windows("Fri 22:00-24:00") == [Window(4, time(22), time(0))]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mon 18:00", "Line 1: write a day and a time range"),
        ("Mon 18:00-22:00\nFunday 10:00-11:00", "Line 2: “Funday” is not a day"),
        ("Tue 22:00-18:00", "Line 1: the window must end after it starts"),
        ("Wed 25:00-26:00", "Line 1: 25:00 is not a time of day"),
    ],
)
def test_a_wrong_line_is_named(text, message):
    with pytest.raises(ValidationError) as error:
        parse_windows(text)
    assert message in error.value.messages[0]


def test_utc_ranges_follow_the_writers_timezone():
    # Monday 18:00 in Berlin (UTC+1 in winter) is Monday 17:00 UTC.
    [(start, end)] = utc_week_ranges(parse_windows("Mon 18:00-20:00"), "Europe/Berlin", on=WINTER)
    assert (start, end) == (17 * 60, 19 * 60)


def test_a_window_that_wraps_past_sunday_is_split():
    # Monday 02:00-04:00 in New York (UTC-5) is Monday 07:00 UTC; Sunday 23:00 in Tokyo
    # (UTC+9) is Sunday 14:00 UTC; Monday 01:00 in Tokyo is Sunday 16:00 UTC.
    ranges = utc_week_ranges(parse_windows("Mon 01:00-10:00"), "Asia/Tokyo", on=WINTER)
    assert ranges == [(6 * 24 * 60 + 16 * 60, 7 * 24 * 60), (0, 60)]


def test_overlap_across_timezones():
    berlin_evening = utc_week_ranges(parse_windows("Mon 20:00-22:00"), "Europe/Berlin", on=WINTER)
    new_york_afternoon = utc_week_ranges(
        parse_windows("Mon 14:30-16:00"), "America/New_York", on=WINTER
    )
    new_york_morning = utc_week_ranges(
        parse_windows("Mon 08:00-10:00"), "America/New_York", on=WINTER
    )
    assert ranges_overlap(berlin_evening, new_york_afternoon)
    assert not ranges_overlap(berlin_evening, new_york_morning)


def test_windows_are_shown_in_the_readers_timezone():
    shown = windows_in_timezone(parse_windows("Mon 18:00-20:00"), "UTC", "Asia/Tokyo")
    assert shown == ["Tue 03:00-05:00"]
