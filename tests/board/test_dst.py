"""Availability survives daylight saving: windows are kept as written and placed in the
week being looked at, so matches follow the clocks of both sides.

Saved once (in January), then looked at in 2026's weeks around the changes: North America
moves forward on 8 March and back on 1 November, Europe on 29 March and 25 October. A
New York Monday 13:00-14:00 meets a Berlin Monday 18:00-19:00 only while one side has
changed its clocks and the other has not; Kolkata and Phoenix never change theirs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from portal.board.digest import digest_sections
from portal.core.schedule import parse_windows
from tests.board.conftest import set_availability, settled
from tests.board.factories import OpeningFactory
from tests.board.test_digest import target_for
from tests.board.test_digest import titles as digest_titles
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

SAVED = datetime(2026, 1, 14, 12, tzinfo=UTC)
WEEKS = [
    (datetime(2026, 3, 4, 12, tzinfo=UTC), False),  # both on winter time
    (datetime(2026, 3, 11, 12, tzinfo=UTC), True),  # New York on summer time, Berlin not yet
    (datetime(2026, 4, 8, 12, tzinfo=UTC), False),  # both on summer time
    (datetime(2026, 10, 28, 12, tzinfo=UTC), True),  # Berlin back on winter time, New York not
    (datetime(2026, 11, 4, 12, tzinfo=UTC), False),  # both on winter time
]


def schedule(text: str) -> list:
    return [w.as_json() for w in parse_windows(text)]


@pytest.fixture
def new_york_opening(db):
    with time_machine.travel(SAVED, tick=False):
        channel = ChannelFactory(timezone="America/New_York", name="Big Apple Speedruns")
        return OpeningFactory(
            channel=channel,
            title="Monday lunch in New York",
            timezone="America/New_York",
            schedule=schedule("Mon 13:00-14:00"),
            closes_on=datetime(2026, 12, 20).date(),
            expires_at=datetime(2026, 12, 21, 5, tzinfo=UTC),
        )


@pytest.fixture
def berliner(db):
    with time_machine.travel(SAVED, tick=False):
        person = settled(username="berliner")
        set_availability(person, "Mon 18:00-19:00", tz="Europe/Berlin")
    return person


def board_titles(client, **params) -> list[str]:
    response = client.get(reverse("board:index"), params)
    return [card.title for card in response.context["page"].object_list]


@pytest.mark.parametrize(("moment", "meets"), WEEKS)
def test_the_board_filter_and_mark_follow_both_clocks(
    client, new_york_opening, berliner, moment, meets
):
    client.force_login(berliner)
    with time_machine.travel(moment, tick=False):
        assert board_titles(client, fits="on") == (["Monday lunch in New York"] if meets else [])
        page = client.get(reverse("board:index")).content.decode()
        assert ("Overlaps your availability" in page) is meets
        opening_page = client.get(new_york_opening.get_absolute_url()).content.decode()
        assert ("Overlaps your availability" in opening_page) is meets


@pytest.mark.parametrize(
    ("moment", "meets"),
    [
        (datetime(2026, 3, 4, 12, tzinfo=UTC), True),
        (datetime(2026, 4, 8, 12, tzinfo=UTC), False),
        (datetime(2026, 7, 1, 12, tzinfo=UTC), False),
        (datetime(2026, 10, 28, 12, tzinfo=UTC), True),
    ],
)
def test_someone_in_a_zone_without_daylight_saving_meets_berlin_in_winter_only(
    client, moment, meets
):
    # Kolkata's 22:30 is 17:00 UTC all year; Berlin's 18:00 is 17:00 UTC only in winter.
    with time_machine.travel(SAVED, tick=False):
        OpeningFactory(
            channel=ChannelFactory(timezone="Europe/Berlin"),
            title="Berlin evenings",
            timezone="Europe/Berlin",
            schedule=schedule("Mon 18:00-19:00"),
            closes_on=datetime(2026, 12, 20).date(),
            expires_at=datetime(2026, 12, 21, tzinfo=UTC),
        )
        kolkata = settled(username="kolkata")
        set_availability(kolkata, "Mon 22:30-23:30", tz="Asia/Kolkata")
    client.force_login(kolkata)
    with time_machine.travel(moment, tick=False):
        assert board_titles(client, fits="on") == (["Berlin evenings"] if meets else [])


def test_the_opening_page_shows_this_weeks_times_though_its_part_is_cached(
    client, new_york_opening, berliner
):
    """The page's cached part holds the times in the reader's zone, so its key holds the
    week: the same opening, unchanged, shows another hour once New York has moved."""
    client.force_login(berliner)
    url = new_york_opening.get_absolute_url()
    with time_machine.travel(datetime(2026, 3, 4, 12, tzinfo=UTC), tick=False):
        assert "Mon 19:00-20:00" in client.get(url).content.decode()
    with time_machine.travel(datetime(2026, 3, 11, 12, tzinfo=UTC), tick=False):
        page = client.get(url).content.decode()
        assert "Mon 18:00-19:00" in page and "Mon 19:00-20:00" not in page
    with time_machine.travel(datetime(2026, 4, 8, 12, tzinfo=UTC), tick=False):
        assert "Mon 19:00-20:00" in client.get(url).content.decode()


@pytest.mark.parametrize(("moment", "meets"), WEEKS)
def test_find_moderators_around_an_opening_follows_both_clocks(
    client, new_york_opening, berliner, moment, meets
):
    profile = berliner.profile
    profile.open_to_moderating = True
    profile.save()
    client.force_login(new_york_opening.channel.owner)
    with time_machine.travel(moment, tick=False):
        response = client.get(reverse("board:moderators"), {"around": new_york_opening.pk})
        found = [card["profile"].user.username for card in response.context["cards"]]
        assert found == (["berliner"] if meets else [])
        response = client.get(reverse("board:moderators"), {"around": "me"})
        assert response.status_code == 200


@pytest.mark.parametrize(("moment", "meets"), WEEKS)
def test_digests_offer_an_opening_in_the_weeks_it_meets_the_persons_hours(
    new_york_opening, moment, meets
):
    with time_machine.travel(moment, tick=False):
        new_york_opening.published_at = moment - timedelta(days=1)
        new_york_opening.save()
        moderator = settled(username="digest_reader")
        target = target_for(
            moderator, languages=["en"], windows="Mon 18:00-19:00", tz="Europe/Berlin"
        )
        result = digest_sections([target])
        assert digest_titles(result, moderator) == (["Monday lunch in New York"] if meets else [])
