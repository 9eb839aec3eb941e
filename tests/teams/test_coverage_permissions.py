"""Who may use each coverage page and action: current members (owner, lead, moderator,
trial member) use the grid, sign up, swap and keep a calendar; the schedule and Discord are
the leads' (403 with the reason to the others on the team); removed members, other members
of the site and staff get 404, as if the team did not exist; visitors are asked to sign in.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from portal.teams.models import SwapRequest
from tests.teams.coverage_factories import sign_up

pytestmark = pytest.mark.django_db

PEOPLE = ["owner", "lead", "member", "trial", "removed", "outsider", "staff", "anonymous"]
MEMBERS = {"owner", "lead", "member", "trial"}
LEADS = {"owner", "lead"}
FRIDAY = date(2026, 10, 23)


# name -> (method, leads only, ok status, body maker(crew, person))
PAGES = {
    "coverage": ("get", False, 200, None),
    "calendar": ("get", False, 200, None),
    "coverage_schedule": ("get", True, 200, None),
    "discord": ("get", True, 200, None),
    "discord_disconnect": ("post", True, 302, None),
    "coverage_sign_up": (
        "post",
        False,
        302,
        lambda crew, person: {"slot": crew.friday.pk, "on": FRIDAY.isoformat()},
    ),
    "swap_take": ("post", False, 302, lambda crew, person: {"swap": crew.swap.pk}),
}
# The same pages sent a form, under another key (the page's name is the part before "+").
PAGES["calendar+make"] = ("post", False, 302, lambda crew, person: {"action": "make"})
PAGES["coverage_schedule+save"] = (
    "post",
    True,
    302,
    lambda crew, person: {"schedule": "Fri 20:00-23:00\nSun 18:00-20:00", "needed": 1},
)
PAGES["discord+connect"] = (
    "post",
    True,
    302,
    lambda crew, person: {"url": "https://discord.com/api/webhooks/1/abc"},
)


@pytest.fixture
def world(berlin_crew):
    from tests.factories import UserFactory
    from tests.teams.factories import add_member

    # A swap asked by a member nobody in the table is, so any member may take it.
    asker = add_member(berlin_crew.team, UserFactory()).user
    signup = sign_up(berlin_crew.friday, date(2026, 10, 30), asker)
    berlin_crew.swap = SwapRequest.objects.create(signup=signup, asked_by=asker)
    return berlin_crew


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("page", list(PAGES))
def test_each_coverage_page_answers_each_person_as_it_should(client, world, page, who):
    method, leads_only, ok, body = PAGES[page]
    person = getattr(world, who, None)
    if person is not None:
        client.force_login(person)
    url = reverse(f"teams:{page.split('+')[0]}", kwargs={"slug": world.team.slug})
    response = getattr(client, method)(url, body(world, person) if body else {})
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif who not in MEMBERS:
        assert response.status_code == 404
    elif leads_only and who not in LEADS:
        assert response.status_code == 403
        assert b"Only the owner and lead moderators" in response.content
    else:
        assert response.status_code == ok


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("page", ["coverage_withdraw", "swap_ask", "swap_withdraw"])
def test_a_persons_own_sign_up_is_theirs_alone_to_change(client, world, page, who):
    """Everyone sends the body that would act on the member's sign-up or swap."""
    signup = sign_up(world.friday, FRIDAY, world.member)
    swap = SwapRequest.objects.create(signup=signup, asked_by=world.member)
    body = {"swap": swap.pk} if page == "swap_withdraw" else {"signup": signup.pk}
    if page == "swap_ask":
        swap.delete()
    person = getattr(world, who, None)
    if person is not None:
        client.force_login(person)
    response = client.post(reverse(f"teams:{page}", kwargs={"slug": world.team.slug}), body)
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif who == "member":
        assert response.status_code == 302
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("who", ["member", "trial"])
def test_members_are_refused_the_schedule_and_discord_when_they_post(client, world, who):
    client.force_login(getattr(world, who))
    for page, body in (
        ("coverage_schedule", {"schedule": "Mon 10:00-12:00", "needed": 1}),
        ("discord", {"url": "https://discord.com/api/webhooks/1/abc"}),
    ):
        url = reverse(f"teams:{page}", kwargs={"slug": world.team.slug})
        assert client.post(url, body).status_code == 403


def test_a_lead_changes_the_schedule(client, world):
    client.force_login(world.lead)
    url = reverse("teams:coverage_schedule", kwargs={"slug": world.team.slug})
    response = client.post(url, {"schedule": "Mon 10:00-12:00", "needed": 2})
    assert response.status_code == 302
    [slot] = world.team.stream_slots.all()
    assert (str(slot.window), slot.timezone, slot.needed) == (
        "Mon 10:00-12:00",
        "Europe/Berlin",
        2,
    )


def test_a_bad_schedule_is_shown_with_its_error(client, world):
    client.force_login(world.owner)
    url = reverse("teams:coverage_schedule", kwargs={"slug": world.team.slug})
    response = client.post(url, {"schedule": "Someday 10-12", "needed": 0})
    assert response.status_code == 400 and "Line 1" in response.text
