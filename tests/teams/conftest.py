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
