"""Each member's private calendar feed: valid iCalendar (read back with ``icalendar``), only
their own sign-ups at the channel's local time, a token that can be made new or turned off,
and nothing for a wrong token or a member no longer on the team."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from portal.teams.models import CalendarFeed
from portal.teams.services import membership_remove
from portal.teams.services.coverage import calendar_feed_renew
from tests.teams.coverage_factories import sign_up

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def feed_url(feed: CalendarFeed) -> str:
    return reverse("teams:calendar_feed", kwargs={"slug": feed.team.slug, "token": feed.token})


def read(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_feed_lists_my_streams_only_at_the_channels_local_time(client, berlin_crew):
    mine = [date(2026, 10, 23), date(2026, 10, 30)]  # either side of Europe's change
    for friday in mine:
        sign_up(berlin_crew.friday, friday, berlin_crew.member)
    sign_up(berlin_crew.sunday, date(2026, 10, 25), berlin_crew.trial)
    feed = calendar_feed_renew(team=berlin_crew.team, user=berlin_crew.member)
    calendar = read(client.get(feed_url(feed)))  # no sign-in: the token is the key
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [e.decoded("dtstart") for e in events] == [
        datetime(f.year, f.month, f.day, 20, 0, tzinfo=BERLIN) for f in mine
    ]
    assert str(events[0]["dtstart"].params["TZID"]) == "Europe/Berlin"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert all(e.get("uid") and e.get("dtstamp") for e in events)
    assert calendar["version"] == "2.0" and calendar.get("prodid")


def test_the_team_schedule_is_added_when_asked_for(client, berlin_crew):
    feed = calendar_feed_renew(team=berlin_crew.team, user=berlin_crew.member)
    feed.with_schedule = True
    feed.save()
    events = read(client.get(feed_url(feed))).walk("VEVENT")
    assert len(events) == 2 and all(e["rrule"]["FREQ"] == ["WEEKLY"] for e in events)


def test_a_wrong_or_renewed_token_finds_nothing(client, berlin_crew):
    feed = calendar_feed_renew(team=berlin_crew.team, user=berlin_crew.member)
    old = feed_url(feed)
    assert client.get(old.replace(feed.token, feed.token[:-1] + "x")).status_code == 404
    renewed = calendar_feed_renew(team=berlin_crew.team, user=berlin_crew.member)
    assert client.get(old).status_code == 404
    assert client.get(feed_url(renewed)).status_code == 200


def test_another_teams_address_with_my_token_finds_nothing(client, berlin_crew):
    from tests.teams.factories import make_team

    feed = calendar_feed_renew(team=berlin_crew.team, user=berlin_crew.member)
    other = make_team()
    url = reverse("teams:calendar_feed", kwargs={"slug": other.slug, "token": feed.token})
    assert client.get(url).status_code == 404


def test_a_removed_members_feed_stops_at_once(client, berlin_crew):
    feed = calendar_feed_renew(team=berlin_crew.team, user=berlin_crew.member)
    membership = berlin_crew.team.memberships.get(user=berlin_crew.member)
    membership_remove(membership=membership, actor=berlin_crew.lead)
    assert client.get(feed_url(feed)).status_code == 404


def test_the_calendar_page_makes_renews_and_turns_off_the_address(client, berlin_crew):
    client.force_login(berlin_crew.trial)
    url = reverse("teams:calendar", kwargs={"slug": berlin_crew.team.slug})
    assert "Make my calendar address" in client.get(url).text
    client.post(url, {"action": "make"})
    first = CalendarFeed.objects.get(user=berlin_crew.trial).token
    assert first in client.get(url).text
    client.post(url, {"action": "renew"})
    assert CalendarFeed.objects.get(user=berlin_crew.trial).token != first
    client.post(url, {"action": "options", "with_schedule": "on"})
    assert CalendarFeed.objects.get(user=berlin_crew.trial).with_schedule
    client.post(url, {"action": "remove"})
    assert not CalendarFeed.objects.exists()
    assert client.post(url, {"action": "nonsense"}).status_code == 400


def test_the_address_is_private(client, berlin_crew):
    feed = calendar_feed_renew(team=berlin_crew.team, user=berlin_crew.member)
    response = client.get(feed_url(feed))
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
