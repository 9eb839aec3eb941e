"""Reads of teams, each a fixed number of queries whatever the team's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone

from portal.accounts.models import User
from portal.board.models import Channel
from portal.guides import selectors as guide_selectors
from portal.guides.models import Track
from portal.guides.selectors import TrackStanding
from portal.teams.models import (
    LEADING,
    ChecklistItem,
    ChecklistTick,
    Level,
    Membership,
    Offer,
    OfferStatus,
    Team,
    TeamEvent,
    TrackAssignment,
)

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
    """An open or expired offer to this person (never anyone else's), so the link in the
    offer's email says it expired rather than that it never was: one query."""
    if not user.is_authenticated:
        return None
    return (
        Offer.objects.filter(status__in=[OfferStatus.OPEN, OfferStatus.EXPIRED])
        .filter(pk=pk, user=user, team__channel__left_at__isnull=True)
        .select_related("team__channel", "made_by__profile")
        .prefetch_related("roles")
        .first()
    )


def open_offers_of(*, user: User) -> list[Offer]:
    """The offers waiting for the person's answer, for "Your mod teams": one query."""
    return list(
        Offer.objects.waiting()
        .filter(user=user, team__channel__left_at__isnull=True)
        .select_related("team__channel")
        .order_by("-created_at", "-pk")
    )


def pending_offers(*, team: Team) -> list[Offer]:
    """Offers the team made that wait for an answer, for its leads: one query."""
    found = list(
        Offer.objects.waiting()
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


def teams_led_by(*, user: User) -> list[Membership]:
    """The teams the person runs now (owner or lead), with their channel: one query."""
    return list(
        Membership.objects.current()
        .filter(user=user, level__in=LEADING, team__channel__left_at__isnull=True)
        .select_related("team__channel")
        .order_by("team__channel__name")
    )


# --- Onboarding ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignedTrack:
    track: Track
    standing: TrackStanding


@dataclass(frozen=True)
class ChecklistStep:
    item: ChecklistItem
    done: bool


@dataclass(frozen=True)
class Onboarding:
    """One member's onboarding list: their assigned tracks and the channel's checklist."""

    tracks: list[AssignedTrack]
    steps: list[ChecklistStep]

    @property
    def steps_done(self) -> int:
        return sum(step.done for step in self.steps)


def _assigned(assignments: list[TrackAssignment]) -> dict[int, list[AssignedTrack]]:
    """Each membership's assigned tracks with its member's standing on them: the guides are
    asked for exactly these (member, track) pairs, never any other track."""
    standings = guide_selectors.assigned_progress(
        pairs=[(a.membership.user_id, a.track_id) for a in assignments]
    )
    found: dict[int, list[AssignedTrack]] = {}
    for a in assignments:
        found.setdefault(a.membership_id, []).append(
            AssignedTrack(a.track, standings[(a.membership.user_id, a.track_id)])
        )
    return found


def onboarding_of(*, membership: Membership) -> Onboarding:
    """The member's own onboarding list: six queries."""
    assignments = list(
        TrackAssignment.objects.filter(membership=membership)
        .select_related("track", "membership")
        .order_by("track__order", "track__title")
    )
    items = list(ChecklistItem.objects.filter(team_id=membership.team_id))
    ticked = set(
        ChecklistTick.objects.filter(membership=membership).values_list("item_id", flat=True)
    )
    return Onboarding(
        tracks=_assigned(assignments).get(membership.pk, []),
        steps=[ChecklistStep(item, item.pk in ticked) for item in items],
    )


@dataclass(frozen=True)
class MemberOnboarding:
    membership: Membership
    tracks: list[AssignedTrack]
    steps_done: int


def onboarding_board(*, team: Team) -> tuple[list[MemberOnboarding], list[ChecklistItem]]:
    """For the team's leads: each member's progress on their assigned tracks (only those)
    and how many checklist steps they ticked, with the checklist. Seven queries."""
    members = list(
        Membership.objects.current()
        .filter(team=team)
        .exclude(level=Level.OWNER)
        .select_related("user__profile")
        .order_by("level_order", "joined_at", "pk")
    )
    assignments = list(
        TrackAssignment.objects.filter(membership__in=[m.pk for m in members])
        .select_related("track", "membership")
        .order_by("track__order", "track__title")
    )
    items = list(ChecklistItem.objects.filter(team=team))
    ticks = dict(
        ChecklistTick.objects.filter(membership__in=[m.pk for m in members])
        .order_by()
        .values_list("membership_id")
        .annotate(n=Count("pk"))
    )
    assigned = _assigned(assignments)
    return (
        [MemberOnboarding(m, assigned.get(m.pk, []), ticks.get(m.pk, 0)) for m in members],
        items,
    )
