"""The /board/ list: filters, search, sort, "overlaps my availability", pagination."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Language, Role
from portal.board.models import Compensation, Opening, OpeningStatus
from portal.board.selectors import board as board_selectors
from portal.core.schedule import parse_windows
from tests.board.conftest import set_availability
from tests.board.factories import OpeningFactory
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [o.title for o in response.context["page"].object_list]


def board(client, **params):
    return client.get(reverse("board:index"), params)


def test_only_open_openings_before_their_date_are_listed(client, channel):
    OpeningFactory(channel=channel, title="Open")
    for status in ["draft", "paused", "filled", "closed", "expired", "removed"]:
        OpeningFactory(channel=channel, title=status.title(), status=status)
    late = OpeningFactory(channel=channel, title="Past its date")
    Opening.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert titles(board(client)) == ["Open"]


def test_filter_by_role_language_compensation_and_hours(client, channel):
    host = Role.objects.get(slug="community-host")
    spanish = Language.objects.get(code="es")
    OpeningFactory(
        channel=channel,
        title="Spanish paid host",
        roles=[host],
        languages=[spanish],
        compensation=Compensation.PAID,
        hours_per_week=4,
    )
    OpeningFactory(channel=channel, title="English volunteer enforcer", hours_per_week=20)
    assert titles(board(client, role="community-host")) == ["Spanish paid host"]
    assert titles(board(client, language="es")) == ["Spanish paid host"]
    assert titles(board(client, compensation="volunteer")) == ["English volunteer enforcer"]
    assert titles(board(client, max_hours="10")) == ["Spanish paid host"]
    assert titles(board(client, role="chat-enforcer", language="es")) == []


def test_search_looks_in_title_and_description(client, channel):
    OpeningFactory(channel=channel, title="Speedrun chat helper")
    OpeningFactory(channel=channel, title="Art stream host", description="We paint *speedily*")
    OpeningFactory(channel=channel, title="Music night")
    assert sorted(titles(board(client, q="speed"))) == ["Art stream host", "Speedrun chat helper"]


def test_search_reads_an_openings_words_as_they_are_now(client, channel):
    """The searched text is kept by the database from the row (a generated column), so an
    edit, however it is written, is found by its new words and no longer by the old ones."""
    opening = OpeningFactory(channel=channel, title="Evening host", description="Cosy ART streams")
    assert titles(board(client, q="art")) == ["Evening host"]
    Opening.objects.filter(pk=opening.pk).update(description="Weekend speedruns")
    assert titles(board(client, q="art")) == []
    assert titles(board(client, q="speedrun")) == ["Evening host"]
    assert titles(board(client, q=channel.name.split()[0])) == ["Evening host"]


def test_sort_by_newest_or_closing_soon(client, channel):
    now = timezone.now()
    today = timezone.localdate()
    OpeningFactory(
        channel=channel, title="Older, closes soon", published_at=now - timedelta(days=3),
        closes_on=today + timedelta(days=2),
    )  # fmt: skip
    OpeningFactory(
        channel=channel, title="Newer, closes later", published_at=now,
        closes_on=today + timedelta(days=40),
    )  # fmt: skip
    assert titles(board(client)) == ["Newer, closes later", "Older, closes soon"]
    assert titles(board(client, sort="closing")) == ["Older, closes soon", "Newer, closes later"]
    # Filtered, the page is chosen in a subquery and must keep the order.
    filtered = {"role": "chat-enforcer"}
    assert titles(board(client, **filtered)) == ["Newer, closes later", "Older, closes soon"]
    assert titles(board(client, sort="closing", **filtered)) == [
        "Older, closes soon",
        "Newer, closes later",
    ]


def test_overlaps_my_availability_compares_across_timezones(client, moderator):
    # The channel streams Friday 20:00-23:00 in New York: Saturday 01:00-04:00 UTC in winter,
    # 00:00-03:00 in summer (placed in this week, see core/weeks.py; tests/board/test_dst.py
    # has the weeks when the two sides change their clocks on different Sundays).
    channel = ChannelFactory(timezone="America/New_York")
    OpeningFactory(
        channel=channel,
        title="Friday nights in New York",
        timezone="America/New_York",
        schedule=[w.as_json() for w in parse_windows("Fri 20:00-23:00")],
    )
    OpeningFactory(
        channel=channel,
        title="Tuesday mornings",
        timezone="America/New_York",
        schedule=[w.as_json() for w in parse_windows("Tue 08:00-10:00")],
    )
    OpeningFactory(channel=channel, title="No schedule given")
    # A moderator in Berlin, around on Saturdays from 02:00 to 05:00 their time.
    set_availability(moderator, "Sat 02:00-05:00", tz="Europe/Berlin")
    client.force_login(moderator)
    assert titles(board(client, fits="on")) == ["Friday nights in New York"]
    page = board(client).content.decode()
    assert page.count("Overlaps your availability") == 1  # one card is marked


def test_the_availability_filter_is_only_for_signed_in_people(client, channel):
    OpeningFactory(channel=channel, title="Anything")
    response = board(client, fits="on")
    assert titles(response) == ["Anything"]
    assert "Overlaps my availability" not in response.content.decode()


def test_someone_without_availability_is_told_how_to_use_the_filter(client, moderator):
    client.force_login(moderator)
    assert "to your profile to use this" in board(client).content.decode()


def test_a_wrong_filter_is_shown_beside_its_field_and_ignored(client, channel):
    OpeningFactory(channel=channel, title="Anything")
    response = board(client, max_hours="lots", role="no-such-role")
    assert response.status_code == 200
    assert titles(response) == ["Anything"]
    page = response.content.decode()
    assert "Enter a whole number." in page
    assert "Select a valid choice" in page


def test_pages_of_twenty(client, channel):
    OpeningFactory.create_batch(45, channel=channel)
    assert len(titles(board(client))) == 20
    assert len(titles(board(client, page="3"))) == 5
    assert len(titles(board(client, page="999"))) == 5  # past the end: the last page
    # Junk is the first page, as Paginator.get_page reads it.
    assert (
        titles(board(client, page="x")) == titles(board(client, page="01")) == titles(board(client))
    )
    assert "Page 1 of 3" in board(client).content.decode()
    everything = [o.title for o in Opening.objects.visible().newest()]
    pages = [titles(board(client, role="chat-enforcer", page=str(n))) for n in (1, 2, 3)]
    assert [title for page in pages for title in page] == everything


def test_the_board_counts_up_to_a_limit_and_pages_through_that_many(client, channel, monkeypatch):
    """Past COUNT_LIMIT matches the count stops (its cost must not grow with the table): the
    board says "more than", and pages through the first COUNT_LIMIT."""
    monkeypatch.setattr(board_selectors, "PAGE_SIZE", 2)
    monkeypatch.setattr(board_selectors, "COUNT_LIMIT", 4)
    OpeningFactory.create_batch(7, channel=channel)
    with CaptureQueriesContext(connection) as queries:
        page = board(client).content.decode()
    (count,) = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    # Unordered, so the database stops after LIMIT rows instead of sorting every match first.
    assert "LIMIT 5" in count and "ORDER BY" not in count
    assert "More than 4 open openings" in page and "Page 1 of 2+" in page
    assert "narrow the filters" not in page
    last = board(client, page="999")
    assert len(titles(last)) == 2 and "Page 2 of 2+" in last.content.decode()
    assert "narrow the filters to find the others" in last.content.decode()
    few = board(client, q="no such opening").content.decode()
    assert "0 open openings match" in few


def test_an_empty_board_says_so(client):
    assert "No openings yet" in board(client).content.decode()


def test_no_match_says_so(client, channel):
    OpeningFactory(channel=channel)
    assert "No open opening matches these filters" in board(client, q="zzz").content.decode()


def test_a_verified_channel_shows_its_badge_on_the_board(client, streamer, channel):
    streamer.profile.twitch_login_verified = channel.twitch_login
    streamer.profile.save()
    OpeningFactory(channel=channel)
    assert "verified channel" in board(client).content.decode()


def test_the_profile_page_lists_the_persons_open_openings(client, streamer, channel):
    OpeningFactory(channel=channel, title="Open one")
    OpeningFactory(channel=channel, title="Hidden draft", status=OpeningStatus.DRAFT)
    page = client.get(reverse("accounts:profile", kwargs={"username": "streamer"}))
    assert "Open one" in page.content.decode()
    assert "Hidden draft" not in page.content.decode()


def test_the_channel_page_lists_its_open_openings_and_the_owner_sees_all(client, streamer, channel):
    OpeningFactory(channel=channel, title="Open one")
    OpeningFactory(channel=channel, title="Hidden draft", status=OpeningStatus.DRAFT)
    public = client.get(channel.get_absolute_url()).content.decode()
    assert "Open one" in public and "Hidden draft" not in public
    client.force_login(streamer)
    assert "Hidden draft" in client.get(channel.get_absolute_url()).content.decode()


def test_filtering_by_channel(client, channel):
    OpeningFactory(channel=channel, title="Ours")
    OpeningFactory(title="Theirs")
    assert titles(board(client, channel=channel.slug)) == ["Ours"]


def test_the_availability_filter_shows_nothing_to_someone_never_around(client, moderator, channel):
    OpeningFactory(
        channel=channel,
        title="Friday nights",
        schedule=[w.as_json() for w in parse_windows("Fri 20:00-23:00")],
    )
    client.force_login(moderator)
    response = board(client, fits="on")
    assert titles(response) == []
    assert "No open opening matches these filters" in response.content.decode()


def test_the_availability_filter_matches_any_of_several_windows(client, moderator, channel):
    for day in ["Mon", "Wed", "Fri"]:
        OpeningFactory(
            channel=channel,
            title=f"{day} evenings",
            schedule=[w.as_json() for w in parse_windows(f"{day} 20:00-23:00")],
        )
    set_availability(moderator, "Mon 22:00-23:30\nFri 19:00-20:30")
    client.force_login(moderator)
    assert sorted(titles(board(client, fits="on"))) == ["Fri evenings", "Mon evenings"]
    page = board(client).content.decode()
    assert page.count("Overlaps your availability") == 2


def test_a_card_lists_roles_in_taxonomy_order_and_languages_by_name(client, channel):
    roles = [Role.objects.get(slug=s) for s in ["lead-moderator", "chat-enforcer"]]
    languages = [Language.objects.get(code=c) for c in ["es", "de", "en"]]
    OpeningFactory(
        channel=channel, title="Many hats", roles=roles, languages=languages, hours_per_week=1
    )
    page = board(client).content.decode()
    assert page.index("Chat Enforcer</span>") < page.index("Lead Moderator</span>")
    assert "<li>English, German, Spanish</li>" in page
    assert "<li>1 hour a week</li>" in page
    assert f'href="{channel.get_absolute_url()}">Night Owl Radio</a>' in page


def test_the_filters_keep_what_was_chosen(client, moderator):
    client.force_login(moderator)
    page = board(
        client, q="night <owl>", role="community-host", language="es", sort="closing", fits="on"
    ).content.decode()
    assert 'value="night &lt;owl&gt;"' in page
    assert '<option value="community-host" selected>Community Host</option>' in page
    assert '<option value="es" selected>Spanish</option>' in page
    assert '<option value="closing" selected>Closing soon</option>' in page
    assert '<option value="" selected>Any</option>' in page  # compensation not chosen
    assert '<input type="checkbox" name="fits" id="id_fits" checked>' in page
