"""The one rate limiter: counted from the times of a person's own rows, tighter for new
accounts, and a refusal that says the limit and exactly when to try again."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from portal.core.limits import DAY, MINUTE, Limit, RateLimited, check, is_new_account

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
POSTS = Limit("posts", MINUTE, regular=3, new_account=1)
APPLICATIONS = Limit("applications", DAY, regular=2, new_account=2, note="Nothing is lost.")


def person(joined_days_ago: float) -> SimpleNamespace:
    return SimpleNamespace(date_joined=NOW - timedelta(days=joined_days_ago))


def seconds_ago(*seconds: float) -> list[datetime]:
    return [NOW - timedelta(seconds=s) for s in seconds]


def test_a_person_under_the_limit_passes():
    check(POSTS, user=person(30), recent=seconds_ago(5, 10), now=NOW)


def test_a_regular_account_is_refused_once_the_window_is_full():
    with pytest.raises(RateLimited) as caught:
        check(POSTS, user=person(30), recent=seconds_ago(5, 10, 45), now=NOW)
    assert caught.value.code == "rate_limited"
    assert "the limit is 3 posts a minute." in caught.value.messages[0]


def test_a_new_account_has_the_tighter_limit_and_is_told_why():
    newcomer = person(2)
    assert is_new_account(newcomer, NOW) and not is_new_account(person(8), NOW)
    with pytest.raises(RateLimited) as caught:
        check(POSTS, user=newcomer, recent=seconds_ago(5), now=NOW)
    assert (
        "the limit is 1 post a minute while an account is less than 7 days old"
        in (caught.value.messages[0])
    )


def test_the_retry_time_is_when_the_oldest_counted_row_leaves_the_window():
    with pytest.raises(RateLimited) as caught:
        check(POSTS, user=person(30), recent=seconds_ago(5, 10, 45), now=NOW)
    assert caught.value.retry_after == 15
    assert caught.value.messages[0].endswith("Try again in 15 seconds.")


def test_a_daily_limit_says_hours_rounded_up_and_its_note():
    recent = [NOW - timedelta(hours=1), NOW - timedelta(hours=20, minutes=30)]
    with pytest.raises(RateLimited) as caught:
        check(APPLICATIONS, user=person(30), recent=recent, now=NOW)
    assert caught.value.retry_after == 3 * 3600 + 30 * 60
    assert caught.value.messages[0] == (
        "Slow down a little: the limit is 2 applications a day. Nothing is lost. "
        "Try again in 4 hours."
    )


def test_a_refusal_is_a_validation_error_forms_can_show():
    with pytest.raises(ValidationError):
        check(POSTS, user=person(30), recent=seconds_ago(1, 2, 3), now=NOW)
