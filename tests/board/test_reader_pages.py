"""The board list and an opening's page share their common part among signed-in readers of
one class (portal/board/parts.py): each reader's page is the same, byte for byte, whether
another reader built that part or it was built for them alone; personal pieces (overlap
marks, one's own application) are theirs; and a write shows to the next reader at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.board.models import OpeningStatus
from portal.core.schedule import parse_windows
from tests.board.conftest import set_availability, settled
from tests.board.factories import ApplicationFactory, OpeningFactory
from tests.reader_pages import page_text, signed_in

pytestmark = pytest.mark.django_db

BOARD = "/board/"
FILTERED = "/board/?role=chat-enforcer&sort=closing"


def _schedule(text: str) -> list:
    return [w.as_json() for w in parse_windows(text)]


@pytest.fixture
def openings(channel, other_streamer):
    """Openings on two channels, some on Friday evenings and some on Tuesday mornings, more
    than a page of them."""
    other_channel = other_streamer.channels.get()
    made = []
    for i in range(23):
        made.append(
            OpeningFactory(
                channel=channel if i % 2 else other_channel,
                title=f"Opening {i}",
                schedule=_schedule("Fri 20:00-23:00" if i % 3 else "Tue 08:00-10:00"),
            )
        )
    return made


@pytest.fixture
def friday_mod(moderator):
    set_availability(moderator, "Fri 21:00-22:00")
    return moderator


@pytest.fixture
def tuesday_mod(other_moderator):
    set_availability(other_moderator, "Tue 09:00-09:30")
    return other_moderator


@pytest.fixture
def staffer(db):
    person = settled(username="staffer", is_staff=True)
    set_availability(person, "Fri 21:00-22:00")
    return person


# --- The board list -------------------------------------------------------------------------


@pytest.mark.parametrize("url", [BOARD, FILTERED, "/board/?page=2", "/board/?max_hours=lots"])
def test_the_board_built_by_another_reader_is_the_same_with_ones_own_overlap_marks(
    url, openings, friday_mod, tuesday_mod, same_when_shared
):
    page = same_when_shared(url=url, reader=friday_mod, warmed_by=tuesday_mod)
    if url == BOARD:
        # Friday's openings on the first page carry Friday's mark, not Tuesday's.
        assert page.count("Overlaps your availability") == 13


def test_readers_without_availability_share_the_board_and_are_told_how_to_use_the_filter(
    openings, moderator, other_moderator, same_when_shared
):
    page = same_when_shared(url=BOARD, reader=moderator, warmed_by=other_moderator)
    assert "to your profile to use this" in page
    assert "Overlaps your availability" not in page


def test_a_reader_without_availability_does_not_get_the_board_of_one_with_it(
    openings, moderator, tuesday_mod, same_when_shared
):
    same_when_shared(url=BOARD, reader=moderator, warmed_by=tuesday_mod, shared=False)


def test_staff_and_members_each_get_their_own_board(
    openings, staffer, friday_mod, same_when_shared
):
    page = same_when_shared(url=BOARD, reader=staffer, warmed_by=friday_mod, shared=False)
    assert "Reports queue" in page
    member_page = same_when_shared(url=BOARD, reader=friday_mod, warmed_by=staffer, shared=False)
    assert "Reports queue" not in member_page


@pytest.mark.parametrize("url", ["/board/?fits=on", "/board/?fits=on&sort=closing&page=2"])
def test_the_overlap_filter_is_a_board_for_the_reader_alone(
    url, openings, friday_mod, tuesday_mod, same_when_shared
):
    page = same_when_shared(url=url, reader=friday_mod, warmed_by=tuesday_mod, shared=False)
    assert "Tuesday" not in page and "Opening 0<" not in page


def test_a_closed_opening_leaves_the_board_of_a_reader_who_had_it_cached(
    opening, streamer, moderator, settings
):
    settings.READER_PAGE_CACHE = True
    reader = signed_in(moderator)
    assert "Night-shift chat enforcer" in page_text(reader, BOARD)
    owner = signed_in(streamer)
    action = reverse("board:opening_action", kwargs={"pk": opening.pk})
    assert owner.post(action, {"action": "close"}).status_code == 302
    assert "Night-shift chat enforcer" not in page_text(reader, BOARD)


# --- An opening's page ----------------------------------------------------------------------


@pytest.fixture
def friday_opening(channel):
    return OpeningFactory(
        channel=channel, title="Friday night enforcer", schedule=_schedule("Fri 20:00-23:00")
    )


def test_an_opening_built_by_another_reader_is_the_same_with_ones_own_application_and_mark(
    friday_opening, friday_mod, tuesday_mod, same_when_shared
):
    ApplicationFactory(opening=friday_opening, applicant=friday_mod)
    url = friday_opening.get_absolute_url()
    page = same_when_shared(url=url, reader=friday_mod, warmed_by=tuesday_mod)
    assert "You applied on" in page and "Overlaps your availability" in page
    assert "Apply to this opening" not in page
    other_page = same_when_shared(url=url, reader=tuesday_mod, warmed_by=friday_mod)
    assert "Apply to this opening" in other_page and "Report this opening" in other_page
    assert "You applied on" not in other_page and "Overlaps your availability" not in other_page


def test_readers_in_another_time_zone_get_their_own_opening_page(
    friday_opening, friday_mod, tuesday_mod, same_when_shared
):
    set_availability(tuesday_mod, "Tue 09:00-09:30", tz="America/Chicago")
    page = same_when_shared(
        url=friday_opening.get_absolute_url(),
        reader=tuesday_mod,
        warmed_by=friday_mod,
        shared=False,
    )
    assert "Times shown in America/Chicago." in page


def test_the_owner_gets_an_opening_page_of_their_own(
    friday_opening, streamer, friday_mod, same_when_shared
):
    page = same_when_shared(
        url=friday_opening.get_absolute_url(), reader=streamer, warmed_by=friday_mod, shared=False
    )
    assert "Review applications" in page and 'name="csrfmiddlewaretoken"' in page
    assert "Apply to this opening" not in page


def test_staff_and_members_each_get_their_own_opening_page(
    friday_opening, staffer, friday_mod, same_when_shared
):
    url = friday_opening.get_absolute_url()
    page = same_when_shared(url=url, reader=staffer, warmed_by=friday_mod, shared=False)
    assert "Remove this opening" in page
    member_page = same_when_shared(url=url, reader=friday_mod, warmed_by=staffer, shared=False)
    assert "Remove this opening" not in member_page


def test_staff_share_a_draft_that_members_may_not_see(
    channel, staffer, moderator, settings, same_when_shared
):
    draft = OpeningFactory(channel=channel, status=OpeningStatus.DRAFT, title="Still a draft")
    other_staffer = settled(username="other_staffer", is_staff=True)
    set_availability(other_staffer, "Mon 10:00-11:00")
    url = draft.get_absolute_url()
    page = same_when_shared(url=url, reader=staffer, warmed_by=other_staffer)
    assert "Still a draft" in page
    settings.READER_PAGE_CACHE = True
    assert signed_in(moderator).get(url).status_code == 404


def test_a_paused_opening_says_so_to_a_reader_who_had_it_cached(
    friday_opening, streamer, moderator, settings
):
    settings.READER_PAGE_CACHE = True
    url = friday_opening.get_absolute_url()
    reader = signed_in(moderator)
    assert "Apply to this opening" in page_text(reader, url)
    action = reverse("board:opening_action", kwargs={"pk": friday_opening.pk})
    assert signed_in(streamer).post(action, {"action": "pause"}).status_code == 302
    page = page_text(reader, url)
    assert "Paused: this opening is not taking applications" in page
    assert "Apply to this opening" not in page


def test_ones_application_shows_at_once_and_only_to_oneself(
    friday_opening, moderator, other_moderator, settings
):
    settings.READER_PAGE_CACHE = True
    url = friday_opening.get_absolute_url()
    applicant, onlooker = signed_in(moderator), signed_in(other_moderator)
    assert "Apply to this opening" in page_text(applicant, url)
    assert "Apply to this opening" in page_text(onlooker, url)
    apply_url = reverse("board:apply", kwargs={"pk": friday_opening.pk})
    assert applicant.post(apply_url, {"message": "I know this chat."}).status_code == 302
    assert "You applied on" in page_text(applicant, url)
    onlookers_page = page_text(onlooker, url)
    assert "Apply to this opening" in onlookers_page and "You applied on" not in onlookers_page


def test_ways_of_writing_a_boards_address_share_one_part(
    openings, friday_mod, settings, shared_parts
):
    """A link's tracking parameters or ``page=01`` must not each store a copy of the board."""
    settings.READER_PAGE_CACHE = True
    client = signed_in(friday_mod)
    page_text(client, f"{FILTERED}&page=1")
    spy = shared_parts()
    page_text(client, f"{FILTERED}&page=01&utm_source=newsletter")
    page_text(client, f"{FILTERED}&page=1&ref=x")
    assert spy.hits == [True, True]
