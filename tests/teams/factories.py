"""Teams for tests: a channel's team with its owner, and members at each level."""

from __future__ import annotations

from datetime import date

from portal.accounts.models import User
from portal.board.models import Channel
from portal.teams.models import Level, Membership, Team
from portal.teams.services import membership_add, team_for
from tests.factories import ChannelFactory, UserFactory


def make_team(channel: Channel | None = None) -> Team:
    return team_for(channel=channel or ChannelFactory())


def add_member(
    team: Team,
    user: User | None = None,
    *,
    level: Level = Level.MODERATOR,
    trial_ends_on: date | None = None,
    listed: bool = False,
) -> Membership:
    membership = membership_add(
        team=team, user=user or UserFactory(), level=level, trial_ends_on=trial_ends_on
    )
    if listed:
        Membership.objects.filter(pk=membership.pk).update(listed=True)
        membership.refresh_from_db()
    return membership
