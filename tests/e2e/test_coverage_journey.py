"""A moderator in New York opens their Berlin channel's coverage grid, pages to next week,
signs up for a stream and sees it at their own hour, and makes their calendar address.
Real Chromium, real server; every step is a link or a form."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.teams.coverage_time import channel_week
from portal.teams.models import CoverSignup
from tests.e2e.test_forums_journey import log_in, person
from tests.factories import ChannelFactory
from tests.teams.coverage_factories import set_availability, write_schedule
from tests.teams.factories import add_member, make_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_member_signs_up_for_a_stream_and_sees_it_in_their_own_time(browser, live_server):
    team = make_team(ChannelFactory(name="Night Owl Radio", timezone="Europe/Berlin"))
    write_schedule(team, "Mon 20:00-23:00")
    mod = person("nia_mod")
    add_member(team, mod)
    set_availability(mod, "Mon 13:00-18:00", "America/New_York")
    monday = channel_week(datetime.now(UTC), "Europe/Berlin") + timedelta(weeks=1)
    starts = datetime(monday.year, monday.month, monday.day, 20, tzinfo=ZoneInfo("Europe/Berlin"))
    theirs = starts.astimezone(ZoneInfo("America/New_York"))

    page = log_in(browser, live_server.url, "nia_mod")
    page.goto(f"/teams/{team.slug}/")
    page.get_by_role("link", name="Coverage").click()
    page.wait_for_url(re.compile(r"/coverage/$"))
    page.get_by_role("link", name="Week after").click()
    assert page.get_by_text("Gap: 1 more needed").is_visible()
    # Around then, by their own availability in New York.
    assert page.get_by_role("cell", name="nia_mod").is_visible()

    page.get_by_role("button", name=re.compile(r"^Sign up")).click()
    assert page.get_by_text("You cover that stream.").is_visible()
    assert page.get_by_text(f"{theirs.day} {theirs:%b %Y, %H:%M} America/New_York").is_visible()
    assert page.get_by_text("nia_mod (you)").is_visible()
    assert page.get_by_text("Covered", exact=True).is_visible()
    assert CoverSignup.objects.get().on == monday

    page.get_by_role("link", name="Your calendar feed").click()
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.get_by_label("Your address").input_value()
    assert address.endswith(".ics") and f"/teams/{team.slug}/coverage/calendar/" in address
