from __future__ import annotations

from types import SimpleNamespace

import pytest

from portal.teams.models import Level
from tests.factories import UserFactory
from tests.teams.factories import add_member, make_team


@pytest.fixture
def crew(db) -> SimpleNamespace:
    """A team with one person at each place, a removed member, an outsider and staff."""
    team = make_team()
    owner = team.channel.owner
    lead = add_member(team, level=Level.LEAD).user
    member = add_member(team).user
    trial = add_member(team, level=Level.TRIAL).user
    removed_membership = add_member(team)
    from portal.teams.services import membership_remove

    membership_remove(membership=removed_membership, actor=owner)
    return SimpleNamespace(
        team=team,
        channel=team.channel,
        owner=owner,
        lead=lead,
        member=member,
        trial=trial,
        removed=removed_membership.user,
        outsider=UserFactory(),
        staff=UserFactory(is_staff=True),
    )


@pytest.fixture
def october(db):
    """Tuesday 20 October 2026, noon UTC: Europe changes its clocks back on Sunday the 25th,
    North America a week later, on 1 November. Time goes on from there (sign-ups made one
    after another keep their order)."""
    from datetime import UTC, datetime

    import time_machine

    with time_machine.travel(datetime(2026, 10, 20, 12, 0, tzinfo=UTC), tick=True) as traveller:
        yield traveller


@pytest.fixture
def berlin_crew(october, crew) -> SimpleNamespace:
    """The crew's channel streams from Berlin, Fridays 20:00-23:00 and Sundays 18:00-20:00."""
    from tests.teams.coverage_factories import write_schedule

    crew.channel.timezone = "Europe/Berlin"
    crew.channel.save(update_fields=["timezone"])
    crew.friday, crew.sunday = write_schedule(crew.team, "Fri 20:00-23:00\nSun 18:00-20:00")
    return crew
