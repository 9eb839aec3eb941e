"""The forum's one way to show a moment (portal/core/templatetags/times.py): compact relative
text at its boundaries, and the full date in the reader's own timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory

from portal.accounts.theme import TIMEZONE_KEY
from portal.core.templatetags.times import compact_relative

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("ago", "shown"),
    [
        (timedelta(seconds=59), "just now"),
        (timedelta(seconds=-30), "just now"),  # a little ahead of this server's clock
        (timedelta(minutes=1), "1 min"),
        (timedelta(minutes=59, seconds=59), "59 min"),
        (timedelta(hours=1), "1 h"),
        (timedelta(hours=23, minutes=59), "23 h"),
        (timedelta(days=1), "1 d"),
        (timedelta(days=29, hours=23), "29 d"),
        (timedelta(days=30), "Feb 8"),
        (timedelta(days=400), "Feb 3, 2025"),
    ],
)
def test_compact_relative_boundaries(ago, shown):
    assert compact_relative(NOW - ago, now=NOW, zone=UTC_ZONE) == shown


def test_a_date_is_the_readers_own_day():
    late = datetime(2026, 1, 4, 23, 30, tzinfo=UTC)
    assert compact_relative(late, now=NOW, zone=UTC_ZONE) == "Jan 4"
    assert compact_relative(late, now=NOW, zone=ZoneInfo("Asia/Tokyo")) == "Jan 5"


def _render(source: str, moment: datetime, *, zone: str | None) -> str:
    request = RequestFactory().get("/")
    request.session = {TIMEZONE_KEY: zone} if zone else {}
    request.user = type("Reader", (), {"is_authenticated": zone is not None})()
    return Template("{% load times %}" + source).render(
        Context({"moment": moment, "request": request})
    )


@time_machine.travel(NOW, tick=False)
def test_the_title_holds_the_full_date_in_the_readers_timezone():
    shown = _render("{% when moment %}", NOW - timedelta(hours=2), zone="Europe/Paris")
    assert shown == (
        '<time datetime="2026-03-10T10:00:00+00:00" '
        'title="Tuesday 10 March 2026, 11:00 (Europe/Paris)">2 h</time>'
    )


@time_machine.travel(NOW, tick=False)
def test_a_visitor_reads_utc():
    shown = _render("{% when moment %}", NOW - timedelta(days=3), zone=None)
    assert 'title="Saturday 7 March 2026, 12:00 (UTC)">3 d</time>' in shown


def test_a_fixed_time_is_the_same_for_every_reader_and_reads_as_utc_without_javascript():
    """Inside a cached fragment the text must not go stale, and the fragment is shared by
    readers in every timezone: the date in UTC, labelled so, for when.js to turn."""
    in_new_york = _render("{% when moment fixed=True %}", NOW, zone="America/New_York")
    in_tokyo = _render("{% when moment fixed=True %}", NOW, zone="Asia/Tokyo")
    assert in_new_york == in_tokyo
    assert "data-when>10 Mar 2026, 12:00 UTC</time>" in in_new_york
    assert 'title="Tuesday 10 March 2026, 12:00 (UTC)"' in in_new_york


def test_an_unknown_timezone_falls_back_to_utc():
    assert "(UTC)" in _render("{% when moment %}", NOW, zone="Mars/Olympus")


def test_no_moment_shows_nothing():
    assert _render("{% when moment %}", None, zone=None) == ""
