"""Who may open every rulebook and debrief page and take every action: the team's current
members read and write debriefs and acknowledge the rulebook; only the owner and lead
moderators publish (others on the team get a 403 with the reason); removed members, other
members of the site and staff get a 404; visitors are asked to log in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.teams.models import RulebookVersion
from tests.teams.rulebook_factories import publish, write_debrief
from tests.teams.test_debriefs import debrief_data
from tests.teams.test_rulebook import publish_data

pytestmark = pytest.mark.django_db

PEOPLE = ["owner", "lead", "member", "trial", "removed", "outsider", "staff", "anonymous"]
MEMBERS = {"owner", "lead", "member", "trial"}
LEADS = {"owner", "lead"}


def sign_in(client, crew, who: str) -> None:
    if who != "anonymous":
        client.force_login(getattr(crew, who))


def expected(who: str, *, ok: int, leads_only: bool = False) -> int:
    if who == "anonymous":
        return 302
    if who not in MEMBERS:
        return 404
    if leads_only and who not in LEADS:
        return 403
    return ok


@pytest.fixture
def written(crew):
    publish(crew.team, crew.owner)
    return write_debrief(crew.team, crew.lead)


PAGES = {
    "rulebook": lambda d: {},
    "rulebook_history": lambda d: {},
    "rulebook_version": lambda d: {"number": 1},
    "rulebook_changes": lambda d: {"number": 1},
    "debriefs": lambda d: {},
    "debrief_write": lambda d: {},
    "debrief": lambda d: {"debrief_id": d.pk},
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("name", list(PAGES))
def test_team_pages_are_for_current_members_only(client, crew, written, who, name):
    sign_in(client, crew, who)
    address = reverse(f"teams:{name}", kwargs={"slug": crew.channel.slug, **PAGES[name](written)})
    response = client.get(address)
    assert response.status_code == expected(who, ok=200)
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", PEOPLE)
def test_only_leads_open_the_publish_form(client, crew, who):
    sign_in(client, crew, who)
    response = client.get(reverse("teams:rulebook_publish", kwargs={"slug": crew.channel.slug}))
    assert response.status_code == expected(who, ok=200, leads_only=True)
    if response.status_code == 403:
        assert "Only the owner and lead moderators can publish the rulebook." in response.text


@pytest.mark.parametrize("who", PEOPLE)
def test_only_leads_publish(client, crew, who):
    sign_in(client, crew, who)
    address = reverse("teams:rulebook_publish", kwargs={"slug": crew.channel.slug})
    response = client.post(address, publish_data())
    assert response.status_code == expected(who, ok=302, leads_only=True)
    assert RulebookVersion.objects.exists() == (who in LEADS)


@pytest.mark.parametrize("who", PEOPLE)
def test_only_members_acknowledge(client, crew, written, who):
    sign_in(client, crew, who)
    address = reverse("teams:rulebook_acknowledge", kwargs={"slug": crew.channel.slug})
    response = client.post(address, {"number": "1"})
    assert response.status_code == expected(who, ok=302)
    version = RulebookVersion.objects.get()
    read = version.acknowledgements.filter(user=getattr(crew, who, None)).exists()
    assert read == (who in MEMBERS)


@pytest.mark.parametrize("who", PEOPLE)
def test_only_members_write_debriefs(client, crew, written, who):
    sign_in(client, crew, who)
    address = reverse("teams:debrief_write", kwargs={"slug": crew.channel.slug})
    response = client.post(address, debrief_data(title="Another incident"))
    assert response.status_code == expected(who, ok=302)
    assert crew.team.debriefs.filter(title="Another incident").exists() == (who in MEMBERS)


@pytest.mark.parametrize("who", PEOPLE)
def test_only_members_add_notes(client, crew, written, who):
    sign_in(client, crew, who)
    address = reverse(
        "teams:debrief_note", kwargs={"slug": crew.channel.slug, "debrief_id": written.pk}
    )
    response = client.post(address, {"note-body": "A note."})
    assert response.status_code == expected(who, ok=302)
    assert written.notes.exists() == (who in MEMBERS)
