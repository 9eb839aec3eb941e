"""The team space's front pages: who may see them, the roster, leaving and removing, the
public "Who moderates here", and the team's news by email and in the digest."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.digests.mail import preferences_for
from portal.teams.models import EventKind, Level, Membership, Team
from portal.teams.services import team_event_record
from tests.factories import ChannelFactory, UserFactory
from tests.teams.factories import add_member, make_team

pytestmark = pytest.mark.django_db


def home(team) -> str:
    return reverse("teams:home", kwargs={"slug": team.channel.slug})


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("lead", 200),
        ("member", 200),
        ("trial", 200),
        ("removed", 404),
        ("outsider", 404),
        ("staff", 404),
    ],
)
def test_the_team_page_is_for_current_members_only(client, crew, who, status):
    client.force_login(getattr(crew, who))
    assert client.get(home(crew.team)).status_code == status


def test_a_visitor_is_asked_to_log_in(client, crew):
    page = client.get(home(crew.team))
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_a_channel_owner_opening_their_team_space_is_its_owner(client):
    channel = ChannelFactory()
    client.force_login(channel.owner)
    page = client.get(reverse("teams:home", kwargs={"slug": channel.slug}))
    assert page.status_code == 200
    assert Membership.objects.get(team__channel=channel).level == Level.OWNER
    assert "You are its owner" in page.text


def test_nobody_else_makes_a_channels_team_by_asking(client):
    channel = ChannelFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("teams:home", kwargs={"slug": channel.slug})).status_code == 404
    assert not Team.objects.exists()


def test_the_roster_shows_current_members_with_their_places(client, crew):
    client.force_login(crew.member)
    page = client.get(home(crew.team)).text
    for person in (crew.owner, crew.lead, crew.member, crew.trial):
        assert person.display_name in page
    assert crew.removed.display_name not in page.split("Lately")[0]
    assert "Trial moderator" in page and "Lead moderator" in page


def test_a_lead_removes_a_member_whose_access_ends_at_once(client, crew):
    client.force_login(crew.lead)
    target = Membership.objects.get(team=crew.team, user=crew.member)
    url = reverse("teams:remove", kwargs={"slug": crew.channel.slug, "member_id": target.pk})
    assert client.get(url).status_code == 200  # the confirm page, for browsers without JS
    assert client.post(url).status_code == 302
    client.force_login(crew.member)
    assert client.get(home(crew.team)).status_code == 404


def test_a_member_cannot_remove_anyone(client, crew):
    client.force_login(crew.member)
    target = Membership.objects.get(team=crew.team, user=crew.trial)
    url = reverse("teams:remove", kwargs={"slug": crew.channel.slug, "member_id": target.pk})
    page = client.post(url)
    assert page.status_code == 403
    assert Membership.objects.get(pk=target.pk).is_current


def test_the_owner_cannot_be_removed_nor_leave(client, crew):
    owner = Membership.objects.get(team=crew.team, user=crew.owner)
    client.force_login(crew.lead)
    url = reverse("teams:remove", kwargs={"slug": crew.channel.slug, "member_id": owner.pk})
    assert client.post(url).status_code == 404
    client.force_login(crew.owner)
    client.post(reverse("teams:leave", kwargs={"slug": crew.channel.slug}))
    assert Membership.objects.get(pk=owner.pk).is_current


def test_a_member_leaves_and_the_leads_hear_of_it(
    client, crew, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(crew.trial)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("teams:leave", kwargs={"slug": crew.channel.slug}))
    assert page.status_code == 302
    assert client.get(home(crew.team)).status_code == 404
    client.force_login(crew.lead)
    assert f"{crew.trial.display_name} left the team." in client.get(home(crew.team)).text
    told = {m.to[0] for m in mailoutbox if "left the team" in m.subject}
    assert crew.lead.email in told and crew.trial.email not in told


def test_the_channel_page_lists_only_members_who_agreed(client, crew):
    Membership.objects.filter(team=crew.team, user=crew.lead).update(listed=True)
    page = client.get(crew.channel.get_absolute_url()).text
    assert "Who moderates here" in page
    assert crew.lead.display_name in page
    assert crew.member.display_name not in page
    assert crew.removed.display_name not in page


def test_leads_only_news_is_kept_from_members(client, crew):
    team_event_record(
        team=crew.team, kind=EventKind.APPLICATION, summary="A new application.", leads_only=True
    )
    client.force_login(crew.member)
    assert "A new application." not in client.get(home(crew.team)).text
    client.force_login(crew.lead)
    assert "A new application." in client.get(home(crew.team)).text


def test_team_news_is_emailed_only_to_current_members_who_want_it(
    crew, mailoutbox, django_capture_on_commit_callbacks
):
    preferences = preferences_for(crew.member)
    preferences.email_team = False
    preferences.save()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        team_event_record(team=crew.team, kind=EventKind.RULEBOOK, summary="Rulebook version 2.")
    told = {m.to[0] for m in mailoutbox}
    assert told == {crew.owner.email, crew.lead.email, crew.trial.email}


def test_my_teams_lists_the_teams_a_person_is_on(client, crew):
    other = add_member(make_team(), crew.member)
    client.force_login(crew.member)
    page = client.get(reverse("teams:mine")).text
    assert crew.channel.name in page and other.team.channel.name in page
    client.force_login(crew.removed)
    assert crew.channel.name not in client.get(reverse("teams:mine")).text


def test_the_digest_tells_each_member_their_teams_news(crew):
    from datetime import timedelta

    from django.utils import timezone

    from portal.digests.content import sections_build, targets_load

    team_event_record(team=crew.team, kind=EventKind.DEBRIEF, summary="A debrief: raid night.")
    team_event_record(
        team=crew.team, kind=EventKind.COVERAGE_GAP, summary="Friday is uncovered.", leads_only=True
    )
    people = [crew.lead, crew.member, crew.outsider]
    for person in people:
        preferences_for(person)
    end = timezone.now() + timedelta(minutes=1)
    targets = targets_load(user_ids=[p.pk for p in people], window_end={p.pk: end for p in people})
    sections = sections_build(targets)

    def told(person) -> list[str]:
        return [i.title for s in sections[person.pk] if s.key == "teams" for i in s.items]

    assert "A debrief: raid night." in told(crew.lead)
    assert "Friday is uncovered." in told(crew.lead)
    assert "A debrief: raid night." in told(crew.member)
    assert "Friday is uncovered." not in told(crew.member)
    assert told(crew.outsider) == []


def test_the_team_page_costs_the_same_queries_for_any_team_size(client):
    """Prevents an N+1 over members, their profiles, roles or the team's news."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.accounts.models import Role

    team = make_team()
    client.force_login(team.channel.owner)

    def grow(n: int) -> int:
        for i in range(n):
            membership = add_member(team)
            membership.roles.set(Role.objects.all()[:2])
            team_event_record(team=team, kind=EventKind.JOINED, summary=f"Event {i}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(home(team)).status_code == 200
        return len(queries)

    small = grow(2)
    large = grow(40)
    assert small == large, [q["sql"][:150] for q in connection.queries[-large:]]
