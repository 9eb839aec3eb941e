"""Joining and shaping a team: offering a place (from an accepted application, a directory
invitation or a channel's moderators on Twitch), the person's answer, a lead changing a
member's level and roles, a trial's outcome, and the reminder before a trial ends.

Nobody is put on a team without saying yes: ``offer_make`` only offers; ``offer_accept``
is what puts the person on it (through ``membership_add``). An offer waits ``OFFER_DAYS``
for its answer; past that it cannot be accepted, and the hourly job marks it expired
(``offers_expire``). A refusal is a ``ValidationError`` meant for the person; where it
comes from a block between the two people it says nothing about the block.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import formats, timezone

from portal.accounts.models import Role, User
from portal.accounts.selectors import blocked_either_way
from portal.board.services import application_trial_close
from portal.core.outbox import enqueue_on_commit
from portal.teams.models import (
    LEADING,
    OFFER_DAYS,
    EventKind,
    Level,
    Membership,
    Offer,
    OfferStatus,
    Team,
    TrialReminder,
)
from portal.teams.models.hiring import offer_expiry
from portal.teams.services.membership import (
    membership_add,
    membership_remove,
    team_event_record,
    team_touch,
)

# A trial's length when the board moves an application to trial: two weeks, the length
# most channels announce; a lead can change the end date on the member's page.
TRIAL_DAYS = 14
# How many days before a trial ends its leads are reminded to record how it went.
REMIND_DAYS_BEFORE = 2
# What a blocked person is told: the same as for anyone who cannot be offered a place, so
# neither learns of the block from it.
NOT_OFFERABLE = "This person cannot be offered a place on the team."


def leads_team(*, team: Team, user: User) -> bool:
    """Whether the person runs the team now (its owner or a lead moderator)."""
    if team.channel.owner_id == user.pk:
        return True
    return Membership.objects.current().filter(team=team, user=user, level__in=LEADING).exists()


def _trial_end(level: Level, trial_ends_on: date | None) -> date | None:
    if level != Level.TRIAL:
        return None
    return trial_ends_on or timezone.localdate() + timedelta(days=TRIAL_DAYS)


@transaction.atomic
def offer_make(
    *,
    team: Team,
    user: User,
    actor: User,
    level: Level = Level.MODERATOR,
    roles: Iterable[Role] = (),
    trial_ends_on: date | None = None,
    application=None,
) -> Offer:
    """Offer the person a place on the team, at ``level`` playing ``roles``; they accept or
    decline it on its page. Made by the team's owner or a lead. An open offer to the same
    person is changed rather than doubled. A trial place without an end date gets one
    ``TRIAL_DAYS`` from today; a trial keeps its length when the answer comes later
    (``Offer.trial_end_if_accepted``). It waits ``OFFER_DAYS`` for the answer, counted again
    when it is changed (what the person reads is new). Refused (``ValidationError``) for the
    owner, a current member, a person who cannot be offered (a block either way, an
    inactive account), and for an actor who does not lead the team."""
    from portal.teams.tasks import send_offer

    level = Level(level)
    if not leads_team(team=team, user=actor):
        raise ValidationError("Only the owner and lead moderators can offer a place.")
    if level == Level.OWNER:
        raise ValidationError({"level": "A team's owner is its channel's owner."})
    if user.pk == team.channel.owner_id:
        raise ValidationError("The channel's owner is already on its team.")
    # A block between the person and whoever offers, or the channel's owner, either way.
    if not user.is_active or any(
        blocked_either_way(a_id=who, b_id=user.pk) for who in {actor.pk, team.channel.owner_id}
    ):
        raise ValidationError(NOT_OFFERABLE)
    if Membership.objects.current().filter(team=team, user=user).exists():
        raise ValidationError(f"{user.display_name} is already on the team.")
    roles = list(roles)
    offer = Offer.objects.select_for_update(no_key=True).open().filter(team=team, user=user).first()
    if offer is None:
        offer = Offer(team=team, user=user)
    offer.made_by = actor
    offer.expires_at = offer_expiry()
    offer.level = level
    offer.trial_ends_on = _trial_end(level, trial_ends_on)
    # The trial's length as the lead gave it, which it keeps if the answer comes later
    # (Offer.trial_end_if_accepted). A day already past counts as a trial of none.
    offer.trial_days = (
        max(0, (offer.trial_ends_on - timezone.localdate()).days) if offer.trial_ends_on else None
    )
    if application is not None:
        offer.application = application
    offer.full_clean(validate_constraints=False)
    offer.save()
    offer.roles.set(roles)
    team_touch(team=team)
    team_event_record(
        team=team,
        kind=EventKind.OFFER,
        summary=f"{user.display_name} was offered a place as {offer.get_level_display()}"
        + _trial_told(offer)
        + ".",
        actor=actor,
        leads_only=True,
    )
    # Told of a changed offer too: what they would say yes to is no longer what they read.
    enqueue_on_commit(send_offer, offer.pk)
    return offer


def expired_text(offer: Offer) -> str:
    return (
        f"This offer expired on {formats.date_format(offer.expires_at, 'j F Y')}: an offer "
        f"waits {OFFER_DAYS} days for its answer. Ask the team's leads to offer you the "
        "place again if you still want it."
    )


def _lock_open(offer: Offer) -> Offer:
    """The offer's row as it stands now, locked, if it can still be answered: not answered,
    withdrawn or past its expiry (whether or not the hourly job has marked it yet). The row
    is read again under the lock, so a lead's change to the offer made after the page was
    read is what is accepted, never a mix of the old and the new."""
    locked = Offer.objects.select_for_update(no_key=True).get(pk=offer.pk)
    if locked.status == OfferStatus.EXPIRED or (
        locked.status == OfferStatus.OPEN and locked.expires_at <= timezone.now()
    ):
        raise ValidationError(expired_text(locked), code="expired")
    if locked.status != OfferStatus.OPEN:
        raise ValidationError("This offer has already been answered or withdrawn.")
    return locked


def _trial_told(offer: Offer) -> str:
    """A trial offer's length as the leads' list of offers gives it (templates/teams/home.html):
    counted from when the person accepts, not an end date that holds only if they accept the
    day it is offered."""
    if offer.trial_days:
        return f" for {offer.trial_days} day{pluralize(offer.trial_days)} from when they accept"
    if offer.trial_ends_on:
        return f" until {offer.trial_ends_on:%d %b %Y}"
    return ""


@transaction.atomic
def offer_accept(*, offer: Offer, user: User) -> Membership:
    """The person says yes: they are on the team from now, at the offered level and roles; a
    trial keeps the length the lead gave it, counted from today (``trial_end_if_accepted``)."""
    if offer.user_id != user.pk:
        raise ValidationError("Only the person offered a place can accept it.")
    offer = _lock_open(offer)
    offer.status = OfferStatus.ACCEPTED
    offer.answered_at = timezone.now()
    offer.save(update_fields=["status", "answered_at"])
    return membership_add(
        team=offer.team,
        user=user,
        level=Level(offer.level),
        roles=list(offer.roles.all()),
        trial_ends_on=offer.trial_end_if_accepted(),
        actor=user,
    )


@transaction.atomic
def offer_decline(*, offer: Offer, user: User) -> Offer:
    """The person says no; the team's leads are told."""
    if offer.user_id != user.pk:
        raise ValidationError("Only the person offered a place can decline it.")
    offer = _lock_open(offer)
    offer.status = OfferStatus.DECLINED
    offer.answered_at = timezone.now()
    offer.save(update_fields=["status", "answered_at"])
    team_touch(team=offer.team)
    team_event_record(
        team=offer.team,
        kind=EventKind.OFFER,
        summary=f"{user.display_name} declined the offer of a place on the team.",
        actor=user,
        leads_only=True,
    )
    return offer


@transaction.atomic
def offer_withdraw(*, offer: Offer, actor: User) -> Offer:
    """A lead takes back an offer not yet answered."""
    if not leads_team(team=offer.team, user=actor):
        raise ValidationError("Only the owner and lead moderators can withdraw an offer.")
    offer = _lock_open(offer)
    offer.status = OfferStatus.WITHDRAWN
    offer.answered_at = timezone.now()
    offer.save(update_fields=["status", "answered_at"])
    team_touch(team=offer.team)
    return offer


def offers_expire(*, now: datetime | None = None) -> int:
    """Mark the open offers past their expiry expired (the hourly job); their teams' pages
    are drawn afresh. Nobody is told: the person was told when it ends, and the leads see it
    leave their list of offers waiting for an answer."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = list(
            Offer.objects.past_expiry(now)
            .select_for_update(skip_locked=True)
            .values_list("pk", "team_id")
        )
        Offer.objects.filter(pk__in=[pk for pk, _ in expired]).update(status=OfferStatus.EXPIRED)
        for team_id in sorted({team_id for _, team_id in expired}):
            team_touch(team=Team(pk=team_id))
    return len(expired)


@transaction.atomic
def membership_change(
    *,
    membership: Membership,
    actor: User,
    level: Level,
    roles: Iterable[Role],
    trial_ends_on: date | None = None,
) -> Membership:
    """A lead changes a member's level and roles (and a trial member's end date). The
    owner's place is the channel's and does not change."""
    level = Level(level)
    if not leads_team(team=membership.team, user=actor):
        raise ValidationError("Only the owner and lead moderators can change a member's place.")
    if membership.level == Level.OWNER or level == Level.OWNER:
        raise ValidationError({"level": "The owner's place is the channel's and does not change."})
    if not membership.is_current:
        raise ValidationError("This person is no longer on the team.")
    if level == Level.TRIAL and trial_ends_on is None:
        raise ValidationError({"trial_ends_on": "A trial needs the day it ends."})
    before = membership.level
    membership.level = level
    membership.trial_ends_on = trial_ends_on if level == Level.TRIAL else None
    membership.full_clean(validate_constraints=False)
    membership.save(update_fields=["level", "level_order", "trial_ends_on"])
    membership.roles.set(list(roles))
    team_touch(team=membership.team)
    if before != level:
        team_event_record(
            team=membership.team,
            kind=EventKind.PLACE_CHANGED,
            summary=f"{membership.user.display_name} is now {membership.get_level_display()}.",
            actor=actor,
        )
    return membership


class TrialOutcome:
    KEEP = "keep"
    END = "end"


@transaction.atomic
def trial_outcome_record(*, membership: Membership, actor: User, outcome: str) -> Membership:
    """A lead records how a trial went: ``keep`` makes the member a moderator, ``end``
    takes them off the team (their access ends at once). A trial that began with a board
    application closes that application to match (accepted or declined), so the applicant's
    and the owner's board pages do not say "on trial" for ever."""
    if not leads_team(team=membership.team, user=actor):
        raise ValidationError("Only the owner and lead moderators can record a trial's outcome.")
    if not membership.is_current or membership.level != Level.TRIAL:
        raise ValidationError("This member is not on trial.")
    name = membership.user.display_name
    if outcome == TrialOutcome.KEEP:
        membership.level = Level.MODERATOR
        membership.trial_ends_on = None
        membership.save(update_fields=["level", "level_order", "trial_ends_on"])
        team_touch(team=membership.team)
        team_event_record(
            team=membership.team,
            kind=EventKind.TRIAL_ENDED,
            summary=f"{name}'s trial ended: they stay on the team as Moderator.",
            actor=actor,
        )
    elif outcome == TrialOutcome.END:
        membership_remove(membership=membership, actor=actor)
        team_event_record(
            team=membership.team,
            kind=EventKind.TRIAL_ENDED,
            summary=f"{name}'s trial ended; they are no longer on the team.",
            actor=actor,
            leads_only=True,
        )
    else:
        raise ValidationError({"outcome": "Choose whether they stay on the team."})
    # After the membership changed: the board's move tells the team (application_moved), which
    # then finds nothing left to do (a moderator now, or gone).
    _trial_application_close(membership, actor=actor, kept=outcome == TrialOutcome.KEEP)
    return membership


def _trial_application_close(membership: Membership, *, actor: User, kept: bool) -> None:
    """The board application whose offer put the member on trial, if any, closed to match."""
    offer = (
        Offer.objects.filter(
            team=membership.team,
            user=membership.user,
            level=Level.TRIAL,
            status=OfferStatus.ACCEPTED,
            application__isnull=False,
        )
        .select_related("application__opening")
        .order_by("-answered_at", "-pk")
        .first()
    )
    if offer is not None:
        application_trial_close(application=offer.application, actor=actor, kept=kept)


def trial_reminders_send(*, today: date | None = None) -> int:
    """Remind each team's leads of trials ending within ``REMIND_DAYS_BEFORE`` days whose
    outcome is not recorded yet; once per trial end date. The beat job runs it daily."""
    today = today or timezone.localdate()
    due = (
        Membership.objects.current()
        .filter(
            level=Level.TRIAL,
            trial_ends_on__gte=today,
            trial_ends_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
        )
        .select_related("team__channel", "user__profile")
    )
    sent = 0
    for membership in due:
        with transaction.atomic():
            _, created = TrialReminder.objects.get_or_create(
                membership=membership, trial_ends_on=membership.trial_ends_on
            )
            if not created:
                continue
            team_event_record(
                team=membership.team,
                kind=EventKind.TRIAL_ENDING,
                summary=f"{membership.user.display_name}'s trial ends on "
                f"{membership.trial_ends_on:%d %b %Y}: record how it went.",
                path=reverse_trial(membership),
                leads_only=True,
            )
            sent += 1
    return sent


def reverse_trial(membership: Membership) -> str:
    return reverse(
        "teams:trial",
        kwargs={"slug": membership.team.channel.slug, "member_id": membership.pk},
    )
