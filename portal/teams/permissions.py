"""Who may see or change what in a team space: the one place that decides.

A team's pages are private to its current members. Everyone else (other members of the
site, removed members and staff alike) gets a 404, so a private team does not even admit it
exists; only the roster that members agreed to show is public, on the channel's page.
Staff read team content only through a report on it, never by browsing.
Leading actions (inviting, removing, assigning, approving the rulebook) belong to the
owner and the lead moderators; a member who tries one is told so (403 with the reason), as
they already know the team.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.board.models import Channel
from portal.teams.models import Membership, Team


def membership_of(user, team: Team) -> Membership | None:
    """The person's current membership of the team, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    return Membership.objects.current().filter(team=team, user=user).first()


def team_for_member(user, slug: str) -> tuple[Team, Membership]:
    """The team of the channel ``slug`` and the person's membership; 404 for anyone who is
    not on it now. Two queries. A channel's owner is always on its team: the first time
    they open it, it is made."""
    team = (
        Team.objects.select_related("channel", "channel__owner")
        .filter(channel__slug=slug, channel__left_at__isnull=True)
        .first()
    )
    if team is None and user.is_authenticated:
        channel = Channel.objects.filter(slug=slug, owner=user, left_at__isnull=True).first()
        if channel is not None:
            from portal.teams.services import team_for

            team = team_for(channel=channel)
    membership = membership_of(user, team) if team is not None else None
    if membership is None:
        raise Http404("No such team.")
    return team, membership


def require_lead(membership: Membership, what: str = "do this") -> None:
    """Refuse a leading action to a member who does not lead the team."""
    if not membership.leads:
        raise PermissionDenied(f"Only the owner and lead moderators can {what}.")
