"""Reads of teams, each a fixed number of queries whatever the team's size."""

from __future__ import annotations

from portal.accounts.models import User
from portal.board.models import Channel
from portal.teams.models import Membership, Team, TeamEvent

RECENT_EVENTS = 20


def teams_of(*, user: User) -> list[Membership]:
    """The teams the person is on now, with their channel: one query."""
    return list(
        Membership.objects.current()
        .filter(user=user, team__channel__left_at__isnull=True)
        .select_related("team__channel")
        .order_by("team__channel__name")
    )


def roster(*, team: Team) -> list[Membership]:
    """The team's current members, owner first: two queries (members, their roles)."""
    return list(Membership.objects.current().filter(team=team).for_roster())


def public_roster(*, channel: Channel) -> list[Membership]:
    """Who moderates here, for the channel's public page: members who agreed to be listed.
    Two queries; an empty list when the channel has no team yet."""
    return list(Membership.objects.listed().filter(team__channel=channel).for_roster())


def recent_events(*, team: Team, membership: Membership) -> list[TeamEvent]:
    """What happened lately, as this member may read it (leads-only news for leads)."""
    events = TeamEvent.objects.filter(team=team).select_related("actor")
    if not membership.leads:
        events = events.filter(leads_only=False)
    found = list(events[:RECENT_EVENTS])
    for event in found:
        event.team = team  # its link falls back to the team's page: no query per event
    return found
