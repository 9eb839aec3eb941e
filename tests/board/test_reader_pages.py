"""What a reader sees after another person's write, on the board's cached pages.

The board list caches each opening's card, and an opening's page caches what every reader
sees of it, in ``caches["fragments"]`` under the versions of the rows they show (see
templates/board/includes/opening_card.html and templates/board/opening_detail.html). Each
test here lets a reader's page be cached, has someone else (or the hourly job) write, and
checks the reader's next page: a write that changes what a fragment shows gives it a new
key, a write elsewhere leaves it cached, and the reader's own bits (the "overlaps" mark,
their application) are theirs whoever warmed the cache.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.test import Client
from django.urls import reverse

from portal.accounts.models import Language
from portal.accounts.services import twitch_login_record
from portal.board import services
from portal.board.models import OpeningStatus
from portal.core.schedule import parse_windows
from tests.board.conftest import set_availability, settled
from tests.board.factories import OpeningFactory
from tests.board.test_channels import channel_data
from tests.board.test_openings import opening_data
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

BOARD = reverse("board:index")


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def card_keys(client: Client) -> dict[int, str]:
    """{opening id: the key of its cached card} on the reader's board."""
    response = client.get(BOARD)
    return {
        card.pk: make_template_fragment_key(
            "opening-card",
            [
                card.pk,
                card.version,
                card.channel_version,
                card.owner_version,
                response.context["labels_version"],
                "en",
            ],
        )
        for card in response.context["page"].object_list
    }


def opening_key(client: Client, url: str) -> str:
    """The key of the cached part of an opening's page, as this reader gets it."""
    page = client.get(url).context["opening_page"]
    opening, channel = page.opening, page.opening.channel
    return make_template_fragment_key(
        "opening-page",
        [
            opening.pk,
            opening.version,
            channel.version,
            channel.owner.profile.updated_at,
            page.labels_version,
            page.reader_tz,
            page.week,
            "UTC",
            "en",
        ],
    )


def _schedule(text: str) -> list:
    return [w.as_json() for w in parse_windows(text)]


@pytest.fixture
def reader(moderator) -> Client:
    return signed_in(moderator)


@pytest.fixture
def owner(streamer) -> Client:
    return signed_in(streamer)


def edit(owner: Client, opening, **changes) -> None:
    data = opening_data(opening.channel, closes_on=opening.closes_on.isoformat(), **changes)
    data.pop("channel")
    url = reverse("board:opening_edit", kwargs={"pk": opening.pk})
    assert owner.post(url, data).status_code == 302


def act(owner: Client, opening, action: str) -> None:
    url = reverse("board:opening_action", kwargs={"pk": opening.pk})
    assert owner.post(url, {"action": action}).status_code == 302


def apply(applicant: Client, opening) -> None:
    url = reverse("board:apply", kwargs={"pk": opening.pk})
    assert applicant.post(url, {"message": "I know this chat."}).status_code == 302


# --- The board list -------------------------------------------------------------------------


def test_a_card_is_cached_once_for_every_reader(reader, client, opening):
    (key,) = card_keys(reader).values()
    assert "Night-shift chat enforcer" in caches["fragments"].get(key)
    # What is kept is what the next reader, of any kind, is shown.
    caches["fragments"].set(key, "<h3>from the cache</h3>")
    assert "<h3>from the cache</h3>" in text(client, BOARD)
    assert "<h3>from the cache</h3>" in text(reader, BOARD)


def test_an_edited_opening_shows_its_new_card(reader, owner, opening):
    assert "Night-shift chat enforcer" in text(reader, BOARD)
    edit(owner, opening, title="Day-shift chat enforcer", hours_per_week="6")
    page = text(reader, BOARD)
    assert "Day-shift chat enforcer" in page and "<li>6 hours a week</li>" in page
    assert "Night-shift chat enforcer" not in page


def test_an_extended_opening_shows_its_new_closing_date(reader, owner, opening):
    text(reader, BOARD)
    closes_on = opening.closes_on + timedelta(days=10)
    url = reverse("board:opening_extend", kwargs={"pk": opening.pk})
    assert owner.post(url, {"closes_on": closes_on.isoformat()}).status_code == 302
    assert f"Closes {closes_on:%-d %b %Y}" in text(reader, BOARD)


@pytest.mark.parametrize("action", ["pause", "close", "fill"])
def test_an_opening_its_owner_takes_off_leaves_the_board(reader, owner, opening, action):
    assert "Night-shift chat enforcer" in text(reader, BOARD)
    act(owner, opening, action)
    assert "Night-shift chat enforcer" not in text(reader, BOARD)


def test_an_opening_past_its_date_leaves_the_board_before_and_after_the_job(
    reader, opening, monkeypatch
):
    assert "Night-shift chat enforcer" in text(reader, BOARD)
    later = opening.expires_at + timedelta(seconds=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert "Night-shift chat enforcer" not in text(reader, BOARD)
    assert services.openings_expire(now=later) == 1
    assert "Night-shift chat enforcer" not in text(reader, BOARD)


def test_an_opening_removed_by_staff_leaves_the_board(reader, opening):
    text(reader, BOARD)
    staff = signed_in(settled(username="staffer", is_staff=True))
    url = reverse("board:opening_remove", kwargs={"pk": opening.pk})
    assert staff.post(url, {"reason": "A scam."}).status_code == 302
    assert "Night-shift chat enforcer" not in text(reader, BOARD)


def test_a_renamed_channel_shows_on_its_cards(reader, owner, opening, channel):
    assert "Night Owl Radio" in text(reader, BOARD)
    url = reverse("board:channel_edit", kwargs={"slug": channel.slug})
    assert owner.post(url, channel_data(name="Dawn Chorus Radio")).status_code == 302
    page = text(reader, BOARD)
    assert "Dawn Chorus Radio" in page and "Night Owl Radio" not in page


def test_the_owner_verifying_the_channel_shows_on_its_cards(reader, streamer, channel, opening):
    assert "verified channel" not in text(reader, BOARD)
    twitch_login_record(user=streamer, login=channel.twitch_login)  # their Twitch login
    assert "verified channel" in text(reader, BOARD)


def test_a_renamed_language_shows_on_the_cards_and_the_page(reader, channel):
    opening = OpeningFactory(channel=channel, languages=[Language.objects.get(code="fr")])
    url = opening.get_absolute_url()
    assert "<li>French</li>" in text(reader, BOARD) and "<dd>French</dd>" in text(reader, url)
    french = Language.objects.get(code="fr")
    french.name = "Français"
    french.save()  # as the admin does
    assert "<li>Français</li>" in text(reader, BOARD)
    assert "<dd>Français</dd>" in text(reader, url)


def test_a_renamed_role_shows_in_the_filters_of_every_reader(reader, client, opening):
    assert ">Chat Enforcer<" in text(reader, BOARD)
    role = opening.roles.first()
    role.name = "Chat Keeper"
    role.save()  # as the admin does
    for person in (reader, client):
        page = text(person, BOARD)
        assert ">Chat Keeper<" in page and ">Chat Enforcer<" not in page


def test_the_filters_show_each_reader_what_they_asked_for(reader, client, opening):
    assert 'value="timeout"' in text(reader, BOARD + "?q=timeout")
    page = text(reader, BOARD + "?q=raid&max_hours=0")
    assert 'value="raid"' in page and 'value="timeout"' not in page
    assert "greater than or equal to 1" in page  # the refused value's error, beside its field
    # A visitor asking the same is offered no "overlaps my availability", which needs an account.
    assert 'name="fits"' in text(reader, BOARD) and 'name="fits"' not in text(client, BOARD)


def test_writes_elsewhere_leave_a_card_cached(reader, owner, moderator, opening, channel):
    other = OpeningFactory(channel=channel, title="Another opening")
    before = card_keys(reader)
    # Another opening edited, an application sent, a stranger's channel renamed.
    edit(owner, other, title="Another opening, edited")
    apply(reader, opening)
    stranger = settled(username="stranger")
    elsewhere = ChannelFactory(owner=stranger, name="Elsewhere")
    rename = reverse("board:channel_edit", kwargs={"slug": elsewhere.slug})
    data = channel_data(name="Elsewhere, renamed", twitch_login="elsewhere")
    assert signed_in(stranger).post(rename, data).status_code == 302
    after = card_keys(reader)
    assert after[opening.pk] == before[opening.pk]
    assert caches["fragments"].get(after[opening.pk]) is not None
    assert after[other.pk] != before[other.pk]


def test_each_reader_gets_their_own_overlap_marks_on_shared_cards(
    reader, moderator, other_moderator, client, channel
):
    OpeningFactory(channel=channel, title="Friday", schedule=_schedule("Fri 20:00-23:00"))
    OpeningFactory(channel=channel, title="Tuesday", schedule=_schedule("Tue 08:00-10:00"))
    set_availability(moderator, "Fri 21:00-22:00")
    set_availability(other_moderator, "Tue 09:00-09:30")
    assert text(reader, BOARD).count("Overlaps your availability") == 1
    tuesday = signed_in(other_moderator)
    assert text(tuesday, BOARD).count("Overlaps your availability") == 1
    fits = {c.title: c.fits_my_hours for c in tuesday.get(BOARD).context["page"].object_list}
    assert fits == {"Friday": False, "Tuesday": True}
    assert "Overlaps your availability" not in text(client, BOARD)


def test_the_overlap_filter_is_a_query_of_the_readers_own(reader, moderator, channel):
    OpeningFactory(channel=channel, title="Friday", schedule=_schedule("Fri 20:00-23:00"))
    OpeningFactory(channel=channel, title="Tuesday", schedule=_schedule("Tue 08:00-10:00"))
    text(reader, BOARD)  # both cards cached
    set_availability(moderator, "Fri 21:00-22:00")
    titles = [c.title for c in reader.get(BOARD, {"fits": "on"}).context["page"].object_list]
    assert titles == ["Friday"]


# --- An opening's page ----------------------------------------------------------------------


def test_an_opening_page_is_cached_once_for_every_reader(reader, client, opening):
    url = opening.get_absolute_url()
    key = opening_key(reader, url)
    assert "Keep our <strong>cozy</strong> chat kind." in caches["fragments"].get(key)
    caches["fragments"].set(key, "<p>from the cache</p>")
    assert "<p>from the cache</p>" in text(reader, url)
    # A visitor sees the hours in the opening's own time zone (UTC here), as the reader does.
    assert "<p>from the cache</p>" in text(client, url)


def test_an_edited_opening_shows_its_new_text_and_questions(reader, owner, opening):
    url = opening.get_absolute_url()
    assert "Night-shift chat enforcer" in text(reader, url)
    edit(owner, opening, title="Day-shift chat enforcer")
    page = text(reader, url)
    assert "Day-shift chat enforcer" in page and "Night-shift" not in page
    assert "Greet our <strong>raiders</strong>" in page
    assert "Which timezone are you in?" in page


def test_a_paused_opening_says_so_and_takes_no_applications(reader, owner, opening):
    url = opening.get_absolute_url()
    assert "Apply to this opening" in text(reader, url)
    act(owner, opening, "pause")
    page = text(reader, url)
    assert "Paused: this opening is not taking applications" in page
    assert "Apply to this opening" not in page


def test_an_opening_past_its_date_reads_as_expired_at_once(reader, opening, monkeypatch):
    url = opening.get_absolute_url()
    assert "Apply to this opening" in text(reader, url)
    later = opening.expires_at + timedelta(seconds=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    page = text(reader, url)
    assert "Expired: this opening closed on" in page and "Apply to this opening" not in page


def test_a_renamed_channel_and_its_owners_new_name_show_on_the_page(
    reader, owner, streamer, opening, channel
):
    url = opening.get_absolute_url()
    text(reader, url)
    edit_url = reverse("board:channel_edit", kwargs={"slug": channel.slug})
    assert owner.post(edit_url, channel_data(name="Dawn Chorus Radio")).status_code == 302
    assert ">Dawn Chorus Radio</a>" in text(reader, url)  # not only in the page's title
    profile = streamer.profile
    profile.display_name = "Night Owl"
    profile.save()  # as accounts.services.profile_update does
    assert "run by <a" in text(reader, url) and ">Night Owl</a>" in text(reader, url)


def test_the_owner_verifying_the_channel_shows_on_the_page(reader, streamer, opening, channel):
    url = opening.get_absolute_url()
    assert "verified channel" not in text(reader, url)
    twitch_login_record(user=streamer, login=channel.twitch_login)
    assert "verified channel" in text(reader, url)


def test_an_application_shows_to_the_applicant_and_in_the_owners_counts(
    reader, owner, other_moderator, opening
):
    url = opening.get_absolute_url()
    onlooker = signed_in(other_moderator)
    assert "0 applications." in text(owner, url)
    text(onlooker, url)
    apply(reader, opening)
    page = text(reader, url)
    assert "You applied on" in page and "Status: <strong>Submitted" in page
    assert "1 application, 1 waiting for you." in text(owner, url)
    onlookers_page = text(onlooker, url)
    assert "Apply to this opening" in onlookers_page and "You applied on" not in onlookers_page


def test_a_decision_shows_in_the_applicants_box(reader, owner, moderator, opening):
    url = opening.get_absolute_url()
    apply(reader, opening)
    assert "Status: <strong>Submitted" in text(reader, url)
    application = opening.applications.get(applicant=moderator)
    move = reverse("board:application_move", kwargs={"pk": application.pk})
    assert owner.post(move, {"status": "shortlisted"}).status_code == 302
    assert "Status: <strong>Shortlisted" in text(reader, url)


def test_readers_see_the_hours_in_their_own_time_zone(reader, moderator, other_moderator, channel):
    opening = OpeningFactory(channel=channel, schedule=_schedule("Fri 20:00-23:00"))
    url = opening.get_absolute_url()
    set_availability(moderator, "Fri 21:00-22:00")
    set_availability(other_moderator, "Tue 09:00-09:30", tz="America/Chicago")
    page = text(reader, url)
    assert "Times shown in UTC." in page and "Overlaps your availability" in page
    other_page = text(signed_in(other_moderator), url)
    assert "Times shown in America/Chicago." in other_page
    assert "Overlaps your availability" not in other_page


def test_the_owner_staff_and_members_each_get_their_own_controls(reader, owner, opening):
    url = opening.get_absolute_url()
    staff = signed_in(settled(username="staffer", is_staff=True))
    member_page, owner_page, staff_page = text(reader, url), text(owner, url), text(staff, url)
    assert "Review applications" in owner_page and 'name="csrfmiddlewaretoken"' in owner_page
    assert "Apply to this opening" not in owner_page
    assert "Remove this opening" in staff_page and "Remove this opening" not in member_page
    assert "Review applications" not in member_page + staff_page


def test_staff_see_a_draft_members_may_not(reader, channel):
    draft = OpeningFactory(channel=channel, status=OpeningStatus.DRAFT, title="Still a draft")
    staff = signed_in(settled(username="staffer", is_staff=True))
    assert "Still a draft" in text(staff, draft.get_absolute_url())
    assert reader.get(draft.get_absolute_url()).status_code == 404


def test_writes_elsewhere_leave_an_opening_page_cached(reader, owner, opening, channel):
    url = opening.get_absolute_url()
    other = OpeningFactory(channel=channel, title="Another opening")
    key = opening_key(reader, url)
    # Another opening of the same channel edited, an application to this one, a report.
    edit(owner, other, title="Another opening, edited")
    apply(reader, opening)
    report = reverse("board:report", kwargs={"pk": opening.pk})
    assert reader.post(report, {"reason": "other", "details": "Hmm"}).status_code == 302
    assert opening_key(reader, url) == key
    assert caches["fragments"].get(key) is not None


def test_a_refused_write_moves_no_version(reader, owner, opening):
    """A form error or a refusal changes nothing, so every cached fragment stays."""
    url = opening.get_absolute_url()
    key = opening_key(reader, url)
    edit_url = reverse("board:opening_edit", kwargs={"pk": opening.pk})
    data = opening_data(opening.channel, closes_on=opening.closes_on.isoformat(), title="")
    assert owner.post(edit_url, data).status_code == 400
    act(owner, opening, "resume")  # "an open opening cannot become open": refused
    assert opening_key(reader, url) == key
