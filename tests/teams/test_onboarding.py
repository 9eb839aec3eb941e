"""Onboarding: a lead assigns guide tracks and keeps the channel's checklist; the member
sees their own list and ticks it; the lead sees progress on assigned tracks only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.guides.models import LessonProgress, Track
from portal.teams.models import ChecklistItem, Membership, TrackAssignment
from portal.teams.services import checklist_item_add, tracks_assign
from tests.guides.conftest import sync, write_small_library
from tests.teams.factories import add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(tmp_path):
    sync(write_small_library(tmp_path / "guides"))
    return {t.slug: t for t in Track.objects.all()}


def onboarding_url(crew) -> str:
    return reverse("teams:onboarding", kwargs={"slug": crew.channel.slug})


def read_lesson(user, track) -> None:
    lesson = track.lessons.first()
    LessonProgress.objects.create(user=user, lesson=lesson, completed_at=timezone.now())


def test_a_lead_assigns_a_track_and_the_member_sees_it_on_their_list(client, crew, library):
    member = Membership.objects.get(team=crew.team, user=crew.member)
    client.force_login(crew.lead)
    url = reverse("teams:assign", kwargs={"slug": crew.channel.slug, "member_id": member.pk})
    assert client.get(url).status_code == 200
    track = library["chat-enforcer"]
    assert client.post(url, {"tracks": [track.pk]}).status_code == 302
    assert TrackAssignment.objects.filter(membership=member, track=track).exists()
    read_lesson(crew.member, track)
    client.force_login(crew.member)
    page = client.get(onboarding_url(crew)).text
    assert track.title in page and "1 of 2 lessons read" in page
    assert track.title in client.get(crew.team.get_absolute_url()).text


def test_the_lead_sees_progress_on_assigned_tracks_only(client, crew, library):
    member = Membership.objects.get(team=crew.team, user=crew.member)
    tracks_assign(membership=member, tracks=[library["chat-enforcer"]], actor=crew.lead)
    # The member also reads a track nobody assigned: the lead must not see it.
    read_lesson(crew.member, library["start-here"])
    client.force_login(crew.lead)
    page = client.get(onboarding_url(crew)).text
    table = page.split("Members&#x27; onboarding")[-1].split("Members' onboarding")[-1]
    assert "Chat Enforcer: 0/2" in table
    assert "Start here" not in table


def test_the_channels_checklist_is_kept_by_leads_and_ticked_by_each_member(client, crew):
    client.force_login(crew.lead)
    add = reverse("teams:checklist_add", kwargs={"slug": crew.channel.slug})
    assert client.post(add, {"text": "Read our rulebook"}).status_code == 302
    item = ChecklistItem.objects.get(team=crew.team)
    client.force_login(crew.member)
    assert client.post(add, {"text": "Sneaky step"}).status_code == 403
    tick = reverse("teams:onboarding_tick", kwargs={"slug": crew.channel.slug})
    assert client.post(tick, {"item": item.pk, "done": "on"}).status_code == 302
    assert "1 of 1 done" in client.get(onboarding_url(crew)).text
    client.force_login(crew.trial)
    assert "0 of 1 done" in client.get(onboarding_url(crew)).text


def test_a_step_of_another_team_cannot_be_ticked(client, crew):
    from tests.teams.factories import make_team

    other = make_team()
    item = checklist_item_add(team=other, actor=other.channel.owner, text="Elsewhere")
    client.force_login(crew.member)
    tick = reverse("teams:onboarding_tick", kwargs={"slug": crew.channel.slug})
    assert client.post(tick, {"item": item.pk, "done": "on"}).status_code == 404


def test_the_onboarding_page_costs_the_same_queries_for_any_team_size(client, crew, library):
    """Prevents an N+1 over members, their assigned tracks or their ticks."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(crew.owner)

    def grow(n: int) -> int:
        for i in range(n):
            membership = add_member(crew.team)
            tracks_assign(membership=membership, tracks=library.values(), actor=crew.owner)
            checklist_item_add(team=crew.team, actor=crew.owner, text=f"Step {i}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(onboarding_url(crew)).status_code == 200
        return len(queries)

    assert grow(1) == grow(12)
