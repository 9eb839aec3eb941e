"""Weekly windows placed in a given week: across clock changes, in zones without daylight
saving, in the local times a change skips or repeats, and past midnight. The last test
holds the SQL the board and the directory filter with to the same answers as Python.

2026's changes: North America moves forward on 8 March and back on 1 November; Europe on
29 March and 25 October. Between those Sundays New York is an hour nearer Berlin than usual.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import connection

from portal.accounts.models import AvailabilitySlot
from portal.core.schedule import Window, parse_windows
from portal.core.weeks import (
    around,
    overlapping_sql,
    utc_minute,
    week_intervals,
    week_of,
    windows_for_reader,
    windows_meet,
    zone,
)
from tests.factories import UserFactory

DAY = 24 * 60
WINTER = date(2026, 3, 2)  # both sides on winter time (New York moves on its Sunday)
US_AHEAD_SPRING = date(2026, 3, 9)  # New York on summer time, Berlin not yet
SUMMER = date(2026, 4, 6)  # both on summer time
US_BEHIND_AUTUMN = date(2026, 10, 26)  # Berlin back on winter time, New York not yet
WINTER_AGAIN = date(2026, 11, 2)


def at(day: int, hh: int, mm: int = 0) -> int:
    return day * DAY + hh * 60 + mm


def test_a_week_is_named_by_its_monday():
    assert week_of(date(2026, 3, 12)) == US_AHEAD_SPRING
    assert week_of(date(2026, 3, 9)) == US_AHEAD_SPRING
    assert week_of(date(2026, 3, 15)) == US_AHEAD_SPRING


@pytest.mark.parametrize(
    ("week", "utc_hour"),
    [(WINTER, 17), (US_AHEAD_SPRING, 17), (SUMMER, 16), (US_BEHIND_AUTUMN, 17), (WINTER_AGAIN, 17)],
)
def test_a_berlin_evening_moves_in_utc_with_berlins_clock(week, utc_hour):
    [interval] = week_intervals(parse_windows("Fri 18:00-20:00"), "Europe/Berlin", week)
    assert interval == (at(4, utc_hour), at(4, utc_hour + 2))


@pytest.mark.parametrize(
    ("week", "meets"),
    [
        (WINTER, False),
        (US_AHEAD_SPRING, True),
        (SUMMER, False),
        (US_BEHIND_AUTUMN, True),
        (WINTER_AGAIN, False),
    ],
)
def test_new_york_and_berlin_meet_only_while_their_clocks_disagree(week, meets):
    # New York 13:00 is 18:00 UTC in winter and 17:00 in summer; Berlin's 18:00 is 17:00 UTC
    # in winter and 16:00 in summer: they meet only while one side has changed and the
    # other has not.
    new_york = parse_windows("Mon 13:00-14:00")
    berlin = parse_windows("Mon 18:00-19:00")
    assert windows_meet(new_york, "America/New_York", berlin, "Europe/Berlin", week) is meets
    assert windows_meet(berlin, "Europe/Berlin", new_york, "America/New_York", week) is meets


@pytest.mark.parametrize("week", [WINTER, US_AHEAD_SPRING, SUMMER, US_BEHIND_AUTUMN])
def test_a_zone_without_daylight_saving_stays_put_in_utc(week):
    # Kolkata is UTC+5:30 all year, Phoenix UTC-7 all year.
    [kolkata] = week_intervals(parse_windows("Mon 22:30-23:30"), "Asia/Kolkata", week)
    [phoenix] = week_intervals(parse_windows("Mon 10:00-11:00"), "America/Phoenix", week)
    assert kolkata == (at(0, 17), at(0, 18))
    assert phoenix == (at(0, 17), at(0, 18))


def test_a_zone_without_daylight_saving_meets_a_zone_with_it_half_the_year():
    kolkata = parse_windows("Mon 22:30-23:30")  # 17:00-18:00 UTC, always
    berlin = parse_windows("Mon 18:00-19:00")  # 17:00 UTC in winter, 16:00 in summer
    assert windows_meet(kolkata, "Asia/Kolkata", berlin, "Europe/Berlin", WINTER)
    assert not windows_meet(kolkata, "Asia/Kolkata", berlin, "Europe/Berlin", SUMMER)
    phoenix = parse_windows("Mon 11:00-12:00")  # 18:00 UTC, always
    new_york = parse_windows("Mon 13:00-14:00")  # 18:00 UTC in winter, 17:00 in summer
    assert windows_meet(phoenix, "America/Phoenix", new_york, "America/New_York", WINTER)
    assert not windows_meet(phoenix, "America/Phoenix", new_york, "America/New_York", SUMMER)


def test_a_skipped_local_time_is_read_with_the_offset_before_the_change():
    # 02:30 on Sunday 8 March 2026 never happens in New York (02:00 becomes 03:00): read as
    # winter time it is 07:30 UTC, the instant its clocks show 03:30.
    new_york = zone("America/New_York")
    assert utc_minute(US_AHEAD_SPRING - date.resolution, at(6, 2, 30) - 7 * DAY, new_york) == (
        at(6, 7, 30) - 7 * DAY
    )
    [(start, end)] = week_intervals(parse_windows("Sun 02:30-04:00"), "America/New_York", WINTER)
    assert (start, end) == (at(6, 7, 30), at(6, 8))


def test_a_repeated_local_time_is_its_first_occurrence():
    # 01:30 happens twice on Sunday 1 November 2026 in New York; the first is summer time.
    [(start, end)] = week_intervals(
        parse_windows("Sun 01:30-03:00"), "America/New_York", US_BEHIND_AUTUMN
    )
    assert (start, end) == (at(6, 5, 30), at(6, 8))


def test_a_window_past_midnight_ends_the_next_day_even_across_a_change():
    # Saturday 22:00 to Sunday 04:00 in New York over the autumn change: seven hours.
    window = Window(5, time(22), time(4))
    [(start, end)] = week_intervals([window], "America/New_York", US_BEHIND_AUTUMN)
    assert (start, end) == (at(6, 2), at(6, 9))
    # A Sunday night past midnight runs into the next week's Monday.
    [(start, end)] = week_intervals([Window(6, time(23), time(1))], "UTC", WINTER)
    assert (start, end) == (at(6, 23), at(7, 1))


def test_a_sunday_night_meets_a_monday_morning_across_the_week_boundary():
    # Monday 08:00 in Tokyo is Sunday 23:00 UTC.
    tokyo = parse_windows("Mon 08:00-09:00")
    london = parse_windows("Sun 23:00-24:00")
    assert windows_meet(tokyo, "Asia/Tokyo", london, "Europe/London", WINTER)
    assert windows_meet(london, "Europe/London", tokyo, "Asia/Tokyo", WINTER)


@pytest.mark.parametrize(
    ("week", "shown"),
    [
        (WINTER, ["Mon 12:00-13:00"]),
        (US_AHEAD_SPRING, ["Mon 13:00-14:00"]),
        (SUMMER, ["Mon 12:00-13:00"]),
        (US_BEHIND_AUTUMN, ["Mon 13:00-14:00"]),
    ],
)
def test_times_are_shown_in_the_readers_zone_for_the_week(week, shown):
    berlin = parse_windows("Mon 18:00-19:00")
    assert windows_for_reader(berlin, "Europe/Berlin", "America/New_York", week) == shown


def test_times_shown_across_the_date_line_land_on_the_readers_day():
    shown = windows_for_reader(parse_windows("Mon 18:00-20:00"), "UTC", "Asia/Tokyo", WINTER)
    assert shown == ["Tue 03:00-05:00"]


ZONES = [
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Dublin",  # its winter is "daylight saving" in the zone database
    "America/New_York",
    "America/Phoenix",
    "America/Santiago",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",  # moves by half an hour
    "Australia/Sydney",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
]
WINDOWS = [
    Window(0, time(0, 30), time(1, 30)),
    Window(2, time(12), time(13)),
    Window(6, time(1), time(3, 30)),  # around the European and American changes
    Window(6, time(2, 30), time(2, 45)),
    Window(6, time(22), time(2)),  # past midnight into the next week
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "week",
    # The weeks whose Sunday North America (2 March, 26 October), Europe (23 March,
    # 19 October), New Zealand (30 March, 21 September) or Australia (28 September) change
    # in, and weeks between.
    [
        WINTER,
        US_AHEAD_SPRING,
        date(2026, 3, 23),
        date(2026, 3, 30),
        SUMMER,
        date(2026, 9, 21),
        date(2026, 9, 28),
        date(2026, 10, 19),
        US_BEHIND_AUTUMN,
    ],
)
def test_the_sql_places_slots_where_python_does(week):
    """The overlap statement (SQLite here, PostgreSQL in CI) finds exactly the slots that
    Python's placement says meet each reader, for slots in zones that change their clocks
    on different dates, by half an hour, twice a year in the south, or never."""
    person = UserFactory().profile
    slots = AvailabilitySlot.objects.bulk_create(
        AvailabilitySlot.written(window, tz, profile=person) for tz in ZONES for window in WINDOWS
    )
    ids = {slot.pk: slot for slot in slots}
    for reader_tz in ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"]:
        for reader_window in [*WINDOWS, Window(4, time(9), time(17))]:
            intervals = around([reader_window], reader_tz, week)
            sql, params = overlapping_sql(
                table=AvailabilitySlot._meta.db_table,
                key="id",
                tz="timezone",
                quote=connection.ops.quote_name,
                intervals=intervals,
                week=week,
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                found = {row[0] for row in cursor.fetchall()}
            expected = {
                pk
                for pk, slot in ids.items()
                if windows_meet([slot.window], slot.timezone, [reader_window], reader_tz, week)
            }
            assert found == expected, (reader_tz, reader_window)
