"""When digests are due, across timezones and daylight-saving changes."""

from datetime import UTC, datetime

from portal.digests.schedule import next_due, period_key, window_start


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_daily_digest_is_due_at_the_local_hour():
    # 08:00 in Tokyo (UTC+9) is 23:00 UTC the day before.
    due = next_due(
        frequency="daily", weekday=0, hour=8, tz_name="Asia/Tokyo", after=utc(2026, 11, 24, 12)
    )
    assert due == utc(2026, 11, 24, 23)


def test_the_next_due_time_is_strictly_after_now():
    at_due = utc(2026, 11, 24, 8)
    assert next_due(frequency="daily", weekday=0, hour=8, tz_name="UTC", after=at_due) == utc(
        2026, 11, 25, 8
    )


def test_weekly_digest_is_due_on_the_local_weekday():
    # Monday 07:00 in Los Angeles (UTC-8 in winter) is Monday 15:00 UTC.
    due = next_due(
        frequency="weekly", weekday=0, hour=7, tz_name="America/Los_Angeles",
        after=utc(2026, 11, 25, 12),  # a Wednesday
    )  # fmt: skip
    assert due == utc(2026, 11, 30, 15)


def test_daylight_saving_moves_the_utc_time_not_the_local_one():
    # Berlin leaves summer time on 25 October 2026: 08:00 is 06:00 UTC before, 07:00 after.
    before = next_due(
        frequency="daily", weekday=0, hour=8, tz_name="Europe/Berlin", after=utc(2026, 10, 24, 12)
    )
    after = next_due(
        frequency="daily", weekday=0, hour=8, tz_name="Europe/Berlin", after=utc(2026, 10, 25, 12)
    )
    assert before == utc(2026, 10, 25, 7)  # Sunday the 25th is already winter time
    assert after == utc(2026, 10, 26, 7)
    summer = next_due(
        frequency="daily", weekday=0, hour=8, tz_name="Europe/Berlin", after=utc(2026, 10, 23, 12)
    )
    assert summer == utc(2026, 10, 24, 6)


def test_an_hour_that_does_not_exist_locally_still_gets_its_digest():
    # New York skips 02:00-03:00 on 8 March 2026.
    due = next_due(
        frequency="daily", weekday=0, hour=2, tz_name="America/New_York", after=utc(2026, 3, 8, 0)
    )
    assert due is not None and utc(2026, 3, 8, 6) <= due <= utc(2026, 3, 8, 8)


def test_off_means_never():
    assert (
        next_due(frequency="off", weekday=0, hour=8, tz_name="UTC", after=utc(2026, 1, 1)) is None
    )


def test_periods_are_named_by_the_local_date():
    # 23:00 UTC on the 24th is the 25th in Tokyo.
    assert period_key(frequency="daily", due_at=utc(2026, 11, 24, 23), tz_name="Asia/Tokyo") == (
        "d:2026-11-25"
    )
    assert period_key(frequency="weekly", due_at=utc(2026, 11, 30, 15), tz_name="UTC") == (
        "w:2026-W49"
    )


def test_a_window_starts_where_the_last_ended_but_at_most_30_days_back():
    end = utc(2026, 11, 24, 8)
    joined = utc(2020, 1, 1)
    assert window_start(last_window_end=utc(2026, 11, 23, 8), joined_at=joined, window_end=end) == (
        utc(2026, 11, 23, 8)
    )
    assert window_start(last_window_end=utc(2026, 1, 1), joined_at=joined, window_end=end) == utc(
        2026, 10, 25, 8
    )
    assert window_start(last_window_end=None, joined_at=utc(2026, 11, 20), window_end=end) == utc(
        2026, 11, 20
    )
