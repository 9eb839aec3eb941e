"""Onboarding writes: a lead assigns guide tracks to a member and keeps the channel's own
checklist; each member ticks their own steps. Only assigned tracks are ever read back for
a lead (selectors.onboarding_board)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from portal.accounts.models import User
from portal.guides.models import Track
from portal.teams.models import (
    ChecklistItem,
    ChecklistTick,
    EventKind,
    Membership,
    Team,
    TrackAssignment,
)
from portal.teams.services.hiring import leads_team
from portal.teams.services.membership import team_event_record, team_touch

# A checklist longer than this stops being a first week's list.
MAX_CHECKLIST = 30


def _require_lead(team: Team, actor: User, what: str) -> None:
    if not leads_team(team=team, user=actor):
        raise ValidationError(f"Only the owner and lead moderators can {what}.")


@transaction.atomic
def tracks_assign(*, membership: Membership, tracks: Iterable[Track], actor: User) -> list[Track]:
    """Make ``tracks`` the member's assigned tracks (adding and taking off as needed); the
    member hears of newly assigned ones through the team's news."""
    _require_lead(membership.team, actor, "assign guide tracks")
    if not membership.is_current:
        raise ValidationError("This person is no longer on the team.")
    wanted = {track.pk: track for track in tracks}
    have = set(
        TrackAssignment.objects.filter(membership=membership).values_list("track_id", flat=True)
    )
    TrackAssignment.objects.filter(membership=membership).exclude(track_id__in=wanted).delete()
    new = [wanted[pk] for pk in wanted.keys() - have]
    TrackAssignment.objects.bulk_create(
        [TrackAssignment(membership=membership, track=t, assigned_by=actor) for t in new],
        ignore_conflicts=True,
    )
    team_touch(team=membership.team)
    if new:
        titles = ", ".join(sorted(t.title for t in new))
        team_event_record(
            team=membership.team,
            kind=EventKind.ONBOARDING,
            summary=f"{membership.user.display_name} was assigned guide tracks: {titles}.",
            path=_onboarding_path(membership.team),
            actor=actor,
            leads_only=False,
        )
    return list(wanted.values())


def _onboarding_path(team: Team) -> str:
    from django.urls import reverse

    return reverse("teams:onboarding", kwargs={"slug": team.channel.slug})


@transaction.atomic
def checklist_item_add(*, team: Team, actor: User, text: str) -> ChecklistItem:
    _require_lead(team, actor, "change the onboarding checklist")
    Team.objects.select_for_update(no_key=True).filter(pk=team.pk).first()
    items = ChecklistItem.objects.filter(team=team)
    if items.count() >= MAX_CHECKLIST:
        raise ValidationError({"text": f"A checklist holds at most {MAX_CHECKLIST} steps."})
    last = items.aggregate(last=Max("position"))["last"]
    item = ChecklistItem(team=team, text=text.strip(), position=(last or 0) + 1)
    item.full_clean()
    item.save()
    team_touch(team=team)
    return item


@transaction.atomic
def checklist_item_remove(*, item: ChecklistItem, actor: User) -> None:
    _require_lead(item.team, actor, "change the onboarding checklist")
    item.delete()
    team_touch(team=item.team)


@transaction.atomic
def checklist_tick(*, membership: Membership, item: ChecklistItem, done: bool) -> None:
    """The member ticks (or unticks) a step of their own checklist."""
    if item.team_id != membership.team_id or not membership.is_current:
        raise ValidationError("That step is not on your team's checklist.")
    if done:
        ChecklistTick.objects.get_or_create(membership=membership, item=item)
    else:
        ChecklistTick.objects.filter(membership=membership, item=item).delete()
