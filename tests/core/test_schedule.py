"""Parsing weekly windows (placing them in a week is tests/core/test_weeks.py)."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from portal.core.schedule import Window, parse_windows


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
