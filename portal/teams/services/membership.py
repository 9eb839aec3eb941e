"""Writes to a team: making it, adding and removing members, and recording what happened.

Inviting (from an accepted application or the directory), onboarding, the rulebook, the
coverage grid and debriefs each have their own module beside this one; they all add members
through ``membership_add`` and tell the team through ``team_event_record``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.accounts.models import Role, User
from portal.board.models import Channel
from portal.core.outbox import enqueue_on_commit
from portal.teams import discord
from portal.teams.models import EventKind, Level, Membership, Team, TeamEvent
from portal.teams.services.discussion import discussion_member_add, discussion_member_remove


@transaction.atomic
def team_for(*, channel: Channel) -> Team:
    """The channel's team, made on first need with the channel's owner on it as Owner."""
    team, created = Team.objects.get_or_create(channel=channel)
    if created or not Membership.objects.filter(team=team, user_id=channel.owner_id).exists():
        Membership.objects.update_or_create(
            team=team,
            user_id=channel.owner_id,
            defaults={"level": Level.OWNER, "removed_at": None, "listed": True},
        )
        if team.discussion_id is not None:
            discussion_member_add(team=team, user=channel.owner)
    return team


def team_touch(*, team: Team) -> None:
    """Move the team's version: whatever cached part of its pages shows it is rebuilt."""
    Team.objects.filter(pk=team.pk).update(version=F("version") + 1)


@transaction.atomic
def membership_add(
    *,
    team: Team,
    user: User,
    level: Level = Level.MODERATOR,
    roles: Iterable[Role] = (),
    trial_ends_on: date | None = None,
    actor: User | None = None,
) -> Membership:
    """Put a person on the team (back on it, if they were removed once) and tell the team."""
    if level == Level.OWNER:
        raise ValueError("A team's owner is its channel's owner.")
    membership, _ = Membership.objects.update_or_create(
        team=team,
        user=user,
        defaults={
            "level": level,
            "trial_ends_on": trial_ends_on if level == Level.TRIAL else None,
            "removed_at": None,
            "removed_by": None,
            "joined_at": timezone.now(),
        },
    )
    membership.roles.set(roles)
    team_touch(team=team)
    # After the team's row moved (and so is locked): see discussion_for.
    discussion_member_add(team=team, user=user)
    team_event_record(
        team=team,
        kind=EventKind.JOINED,
        summary=f"{user.display_name} joined the team as {membership.get_level_display()}.",
        actor=user,
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Take a member off the team: their access ends with this transaction (every team page
    reads current memberships only). The owner cannot be removed."""
    if membership.level == Level.OWNER:
        raise ValueError("The channel's owner stays on the team.")
    if not membership.is_current:
        return
    membership.removed_at = timezone.now()
    membership.removed_by = actor
    membership.save(update_fields=["removed_at", "removed_by"])
    team_touch(team=membership.team)
    discussion_member_remove(team=membership.team, user=membership.user)
    leaving = membership.user_id == actor.pk
    team_event_record(
        team=membership.team,
        kind=EventKind.LEFT if leaving else EventKind.REMOVED,
        summary=f"{membership.user.display_name} "
        + ("left the team." if leaving else "was removed from the team."),
        actor=actor,
        leads_only=not leaving,
    )


def team_event_record(
    *,
    team: Team,
    kind: EventKind,
    summary: str,
    path: str = "",
    actor: User | None = None,
    leads_only: bool = False,
) -> TeamEvent:
    """Tell the team something happened: a row on its page and in the digest, and (after
    commit) an email to each member who wants team news, the actor excepted."""
    from portal.teams.tasks import tell_team_event

    event = TeamEvent.objects.create(
        team=team,
        kind=kind,
        summary=summary[:300],
        path=path,
        actor=actor,
        leads_only=leads_only,
    )
    enqueue_on_commit(tell_team_event, event.pk)
    discord.announce(event)
    return event
