"""Who may see and do what on the board, tried as every kind of person.

An application is visible only to its applicant and the channel's owner, and to staff only
through an open report on its opening (tests/board/test_staff_reads.py); a draft or a removed
opening only to its owner and staff. Where a person cannot know a thing exists they
get a 404; where they can see it but may not act on it, a 403; an anonymous visitor is sent
to log in. Refused changes change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.urls import reverse

from portal.board.models import Application, ApplicationStatus, Opening, OpeningStatus
from tests.board.conftest import settled
from tests.board.factories import ApplicationFactory, OpeningFactory, OpeningReportFactory
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "other_moderator", "other_streamer", "applicant", "owner", "staff"]
LOGIN = "login"  # a redirect to the login page


@dataclass
class World:
    people: dict
    opening: Opening
    draft: Opening
    removed: Opening
    application: Application


@pytest.fixture
def world(db) -> World:
    owner = settled(username="owner")
    channel = ChannelFactory(owner=owner)
    other_streamer = settled(username="other_streamer")
    ChannelFactory(owner=other_streamer)
    applicant = settled(username="applicant")
    people = {
        "anonymous": None,
        "other_moderator": settled(username="other_moderator"),
        "other_streamer": other_streamer,
        "applicant": applicant,
        "owner": owner,
        "staff": settled(username="staffer", is_staff=True),
    }
    opening = OpeningFactory(channel=channel, title="The open one")
    for person in people.values():
        if person is not None:
            person.profile.open_to_moderating = True
            person.profile.save()
    return World(
        people=people,
        opening=opening,
        draft=OpeningFactory(
            channel=channel, title="The draft", status=OpeningStatus.DRAFT, published_at=None
        ),
        removed=OpeningFactory(
            channel=channel,
            title="The removed one",
            status=OpeningStatus.REMOVED,
            removed_reason="Asked for fees",
        ),
        application=ApplicationFactory(
            opening=opening, applicant=applicant, message="My secret motivation letter"
        ),
    )


def as_actor(client, world: World, actor: str):
    person = world.people[actor]
    if person is not None:
        client.force_login(person)
    return client


def check(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    else:
        assert response.status_code == expected, response.content.decode()[:500]


def expectations(**by_actor):
    return [(actor, by_actor[actor]) for actor in ACTORS]


# --- Reading --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=200, other_moderator=200, other_streamer=200, applicant=200, owner=200, staff=200
    ),
)
def test_a_published_opening_is_public(client, world, actor, expected):
    response = as_actor(client, world, actor).get(world.opening.get_absolute_url())
    check(response, expected)
    # The opening's page never shows an application's contents.
    assert "My secret motivation letter" not in response.content.decode()


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=404, other_moderator=404, other_streamer=404, applicant=404, owner=200, staff=200
    ),
)
@pytest.mark.parametrize("which", ["draft", "removed"])
def test_a_draft_or_removed_opening_exists_only_for_its_owner_and_staff(
    client, world, actor, expected, which
):
    opening = getattr(world, which)
    check(as_actor(client, world, actor).get(opening.get_absolute_url()), expected)


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN,
        other_moderator=404,
        other_streamer=404,
        applicant=200,
        owner=200,
        staff=404,
    ),
)
def test_an_application_is_seen_by_its_applicant_and_the_owner_only(client, world, actor, expected):
    response = as_actor(client, world, actor).get(world.application.get_absolute_url())
    check(response, expected)
    shown = "My secret motivation letter" in response.content.decode()
    assert shown == (expected == 200)


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN,
        other_moderator=404,
        other_streamer=404,
        applicant=200,
        owner=200,
        staff=200,
    ),
)
def test_a_report_on_the_opening_shows_an_application_to_staff_and_nobody_else(
    client, world, actor, expected
):
    OpeningReportFactory(opening=world.opening, reporter=world.people["other_moderator"])
    response = as_actor(client, world, actor).get(world.application.get_absolute_url())
    check(response, expected)
    assert ("My secret motivation letter" in response.content.decode()) == (expected == 200)


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN,
        other_moderator=404,
        other_streamer=404,
        applicant=404,
        owner=200,
        staff=404,
    ),
)
def test_the_review_page_is_for_the_owner(client, world, actor, expected):
    url = reverse("board:review", kwargs={"pk": world.opening.pk})
    response = as_actor(client, world, actor).get(url)
    check(response, expected)
    # The table lists the application (its answers are on its own page).
    shown = world.application.get_absolute_url() in response.content.decode()
    assert shown == (expected == 200)


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN,
        other_moderator=404,
        other_streamer=404,
        applicant=404,
        owner=200,
        staff=200,
    ),
)
def test_a_report_on_the_opening_opens_its_review_page_to_staff_only(
    client, world, actor, expected
):
    OpeningReportFactory(opening=world.opening, reporter=world.people["other_moderator"])
    url = reverse("board:review", kwargs={"pk": world.opening.pk})
    response = as_actor(client, world, actor).get(url)
    check(response, expected)
    # The table lists the application (its answers are on its own page).
    shown = world.application.get_absolute_url() in response.content.decode()
    assert shown == (expected == 200)


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN,
        other_moderator=404,
        other_streamer=404,
        applicant=404,
        owner=200,
        staff=404,
    ),
)
def test_a_drafts_review_page_is_not_revealed(client, world, actor, expected):
    url = reverse("board:review", kwargs={"pk": world.draft.pk})
    check(as_actor(client, world, actor).get(url), expected)


@pytest.mark.parametrize("actor", ACTORS)
def test_my_applications_lists_only_my_own(client, world, actor):
    response = as_actor(client, world, actor).get(reverse("board:my_applications"))
    if actor == "anonymous":
        check(response, LOGIN)
        return
    assert (world.opening.title in response.content.decode()) == (actor == "applicant")


# --- Changing an opening ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN,
        other_moderator=403,
        other_streamer=403,
        applicant=403,
        owner=200,
        staff=403,
    ),
)
@pytest.mark.parametrize("name", ["board:opening_edit", "board:opening_extend"])
def test_only_the_owner_edits_or_extends_an_opening(client, world, actor, expected, name):
    url = reverse(name, kwargs={"pk": world.opening.pk})
    check(as_actor(client, world, actor).get(url), expected)


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN,
        other_moderator=403,
        other_streamer=403,
        applicant=403,
        owner=302,
        staff=403,
    ),
)
def test_only_the_owner_pauses_an_opening(client, world, actor, expected):
    url = reverse("board:opening_action", kwargs={"pk": world.opening.pk})
    check(as_actor(client, world, actor).post(url, {"action": "pause"}), expected)
    world.opening.refresh_from_db()
    paused = world.opening.status == OpeningStatus.PAUSED
    assert paused == (actor == "owner")


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN,
        other_moderator=404,
        other_streamer=404,
        applicant=404,
        owner=302,
        staff=403,
    ),
)
def test_only_the_owner_publishes_a_draft(client, world, actor, expected):
    url = reverse("board:opening_publish", kwargs={"pk": world.draft.pk})
    check(as_actor(client, world, actor).post(url), expected)
    world.draft.refresh_from_db()
    assert (world.draft.status == OpeningStatus.OPEN) == (actor == "owner")


@pytest.mark.parametrize("name", ["board:opening_publish", "board:opening_action"])
def test_changes_need_a_post(client, world, name):
    client.force_login(world.people["owner"])
    assert client.get(reverse(name, kwargs={"pk": world.draft.pk})).status_code == 405


# --- Acting on an application -------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN,
        other_moderator=404,
        other_streamer=404,
        applicant=403,
        owner=302,
        staff=404,
    ),
)
def test_only_the_owner_moves_an_application(client, world, actor, expected):
    url = reverse("board:application_move", kwargs={"pk": world.application.pk})
    check(as_actor(client, world, actor).post(url, {"status": "accepted"}), expected)
    world.application.refresh_from_db()
    accepted = world.application.status == ApplicationStatus.ACCEPTED
    assert accepted == (actor == "owner")


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN,
        other_moderator=404,
        other_streamer=404,
        applicant=302,
        owner=403,
        staff=404,
    ),
)
def test_only_the_applicant_withdraws(client, world, actor, expected):
    url = reverse("board:application_withdraw", kwargs={"pk": world.application.pk})
    check(as_actor(client, world, actor).post(url), expected)
    world.application.refresh_from_db()
    withdrawn = world.application.status == ApplicationStatus.WITHDRAWN
    assert withdrawn == (actor == "applicant")


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN,
        other_moderator=200,
        other_streamer=200,
        applicant=302,  # already applied: sent to their application
        owner=403,
        staff=200,
    ),
)
def test_who_may_apply(client, world, actor, expected):
    url = reverse("board:apply", kwargs={"pk": world.opening.pk})
    check(as_actor(client, world, actor).get(url), expected)


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN, other_moderator=404, other_streamer=404, applicant=404, owner=403,
        staff=403,
    ),
)  # fmt: skip
def test_nobody_applies_to_a_draft(client, world, actor, expected):
    url = reverse("board:apply", kwargs={"pk": world.draft.pk})
    check(as_actor(client, world, actor).post(url, {"message": "hi"}), expected)
    assert not Application.objects.filter(opening=world.draft).exists()


# --- Trust and safety ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN, other_moderator=200, other_streamer=200, applicant=200, owner=403,
        staff=200,
    ),
)  # fmt: skip
def test_anyone_signed_in_but_the_owner_can_report(client, world, actor, expected):
    url = reverse("board:report", kwargs={"pk": world.opening.pk})
    check(as_actor(client, world, actor).get(url), expected)


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN, other_moderator=403, other_streamer=403, applicant=403, owner=403,
        staff=200,
    ),
)  # fmt: skip
@pytest.mark.parametrize("name", ["board:reports", "board:opening_remove"])
def test_the_report_queue_and_removal_are_for_staff(client, world, actor, expected, name):
    OpeningReportFactory(opening=world.opening)
    url = (
        reverse(name, kwargs={"pk": world.opening.pk})
        if name == "board:opening_remove"
        else reverse(name)
    )
    check(as_actor(client, world, actor).get(url), expected)


@pytest.mark.parametrize("actor", ACTORS)
def test_only_staff_remove_an_opening(client, world, actor):
    url = reverse("board:opening_remove", kwargs={"pk": world.opening.pk})
    as_actor(client, world, actor).post(url, {"reason": "Scam"})
    world.opening.refresh_from_db()
    assert (world.opening.status == OpeningStatus.REMOVED) == (actor == "staff")


@pytest.mark.parametrize(
    ("actor", "expected"),
    expectations(
        anonymous=LOGIN, other_moderator=403, other_streamer=403, applicant=403, owner=200,
        staff=403,
    ),
)  # fmt: skip
def test_only_someone_with_an_open_opening_invites(client, world, actor, expected):
    url = reverse("board:invite", kwargs={"username": "other_moderator"})
    if actor == "other_moderator":
        url = reverse("board:invite", kwargs={"username": "applicant"})
    check(as_actor(client, world, actor).get(url), expected)


def test_no_personal_data_in_board_urls(world):
    """URLs carry ids and public usernames, never an email address."""
    urls = [
        world.opening.get_absolute_url(),
        world.application.get_absolute_url(),
        reverse("board:invite", kwargs={"username": world.people["applicant"].username}),
    ]
    for url in urls:
        assert "@" not in url
