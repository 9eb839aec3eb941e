"""Reads of teams, each a fixed number of queries whatever the team's size."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from portal.accounts.models import User
from portal.board.models import Channel
from portal.teams.models import Level, Membership, Offer, Team, TeamEvent

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


# --- Offers and trials --------------------------------------------------------------------

# Trials ending within this many days are shown to leads on the team's page.
TRIALS_ENDING_DAYS = 7


def offer_for(*, user: User, pk: int) -> Offer | None:
    """An open offer to this person (never anyone else's): one query."""
    if not user.is_authenticated:
        return None
    return (
        Offer.objects.open()
        .filter(pk=pk, user=user, team__channel__left_at__isnull=True)
        .select_related("team__channel", "made_by__profile")
        .prefetch_related("roles")
        .first()
    )


def open_offers_of(*, user: User) -> list[Offer]:
    """The offers waiting for the person's answer, for "Your mod teams": one query."""
    return list(
        Offer.objects.open()
        .filter(user=user, team__channel__left_at__isnull=True)
        .select_related("team__channel")
        .order_by("-created_at", "-pk")
    )


def pending_offers(*, team: Team) -> list[Offer]:
    """Offers the team made that wait for an answer, for its leads: one query."""
    found = list(
        Offer.objects.open()
        .filter(team=team)
        .select_related("user__profile")
        .order_by("created_at", "pk")
    )
    for offer in found:
        offer.team = team
    return found


def trials_ending(*, team: Team, today: date | None = None) -> list[Membership]:
    """Trial members whose trial ends within ``TRIALS_ENDING_DAYS`` days, or has ended
    without an outcome recorded: one query."""
    today = today or timezone.localdate()
    return list(
        Membership.objects.current()
        .filter(
            team=team,
            level=Level.TRIAL,
            trial_ends_on__lte=today + timedelta(days=TRIALS_ENDING_DAYS),
        )
        .select_related("user__profile")
        .order_by("trial_ends_on", "pk")
    )
