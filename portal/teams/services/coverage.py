"""Writes to the coverage grid: the stream schedule, signing up for a stream and stepping
back, swaps, the gap check that tells the leads, and each member's calendar address.

A sign-up is for one dated stream (see models/coverage.py for why). A stream is full when
as many members as it needs cover it; a swap keeps the stream covered by the one who asked
until someone else takes it, so asking for a swap never opens a gap by itself.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import User
from portal.core.schedule import Window
from portal.teams.coverage_time import (
    SIGNUP_WEEKS_AHEAD,
    channel_week,
    occurrence_bounds,
    occurrence_label,
)
from portal.teams.models import (
    CalendarFeed,
    CoverSignup,
    EventKind,
    GapNotice,
    StreamSlot,
    SwapOutcome,
    SwapRequest,
    Team,
)
from portal.teams.services.membership import team_event_record, team_touch

# The gap check looks this far ahead, and tells the leads of each stream nobody covers.
GAP_HORIZON = timedelta(hours=48)


def grid_path(team: Team, on: date | None = None) -> str:
    path = reverse("teams:coverage", kwargs={"slug": team.slug})
    if on is not None:
        path += f"?week={on - timedelta(days=on.weekday()):%Y-%m-%d}"
    return path


@transaction.atomic
def stream_schedule_set(*, team: Team, windows: list[Window], needed: int, timezone_name: str):
    """Make the team's weekly schedule these windows, in ``timezone_name`` (the channel's).
    A slot kept as it was keeps its sign-ups; a slot taken off the schedule takes its
    sign-ups with it."""
    wanted = {(w.weekday, w.start, w.end) for w in windows}
    kept = set()
    for slot in StreamSlot.objects.select_for_update().filter(team=team):
        key = (slot.weekday, slot.start, slot.end)
        if key in wanted and slot.timezone == timezone_name and key not in kept:
            kept.add(key)
            if slot.needed != needed:
                slot.needed = needed
                slot.full_clean()
                slot.save(update_fields=["needed"])
        else:
            slot.delete()
    for window in sorted(windows):
        if (window.weekday, window.start, window.end) in kept:
            continue
        slot = StreamSlot.written(window, timezone_name, team=team, needed=needed)
        slot.full_clean()
        slot.save()
    team_touch(team=team)


def _refuse_unless_ahead(slot: StreamSlot, on: date, now: datetime) -> None:
    if on.weekday() != slot.weekday:
        raise ValidationError("That stream is not on that day.", code="wrong_day")
    starts, _ = occurrence_bounds(slot, on)
    if starts <= now:
        raise ValidationError("That stream has started already.", code="past")
    if on > channel_week(now, slot.timezone) + timedelta(weeks=SIGNUP_WEEKS_AHEAD):
        raise ValidationError(
            f"Sign-ups open {SIGNUP_WEEKS_AHEAD} weeks ahead at most.", code="too_far"
        )


@transaction.atomic
def cover_signup_create(*, slot: StreamSlot, on: date, user: User) -> CoverSignup:
    """Sign the member up to cover the slot's stream on ``on``."""
    now = timezone.now()
    _refuse_unless_ahead(slot, on, now)
    # One sign-up at a time per slot, so two people cannot both take its last place.
    StreamSlot.objects.select_for_update().filter(pk=slot.pk).first()
    covers = CoverSignup.objects.standing().filter(slot=slot, on=on)
    if covers.filter(user=user).exists():
        raise ValidationError("You already cover that stream.", code="already")
    if covers.count() >= slot.needed:
        raise ValidationError("That stream is covered already.", code="full")
    # A sign-up from before the person left and came back does not count; it is replaced.
    CoverSignup.objects.filter(slot=slot, on=on, user=user).delete()
    signup = CoverSignup(slot=slot, on=on, user=user, created_at=now)
    signup.full_clean()
    signup.save()
    team_touch(team=slot.team)
    return signup


@transaction.atomic
def cover_signup_withdraw(*, signup: CoverSignup) -> None:
    """Step back from a stream not yet started (an open swap of it goes with it)."""
    starts, _ = occurrence_bounds(signup.slot, signup.on)
    if starts <= timezone.now():
        raise ValidationError("That stream has started already.", code="past")
    team = signup.slot.team
    signup.delete()
    team_touch(team=team)


@transaction.atomic
def swap_ask(*, signup: CoverSignup, user: User) -> SwapRequest:
    """Ask the team for someone to take one of the member's streams."""
    starts, _ = occurrence_bounds(signup.slot, signup.on)
    if starts <= timezone.now():
        raise ValidationError("That stream has started already.", code="past")
    try:
        with transaction.atomic():
            swap = SwapRequest.objects.create(signup=signup, asked_by=user)
    except IntegrityError:
        raise ValidationError("You asked for a swap of that stream already.", code="open") from None
    team = signup.slot.team
    team_touch(team=team)
    team_event_record(
        team=team,
        kind=EventKind.SWAP,
        summary=f"{user.display_name} asks someone to take the "
        f"{occurrence_label(signup.slot, signup.on)} stream ({signup.slot.timezone}).",
        path=grid_path(team, signup.on),
        actor=user,
    )
    return swap


@transaction.atomic
def swap_withdraw(*, swap: SwapRequest) -> None:
    if swap.closed_at is not None:
        return
    swap.outcome = SwapOutcome.WITHDRAWN
    swap.closed_at = timezone.now()
    swap.save(update_fields=["outcome", "closed_at"])
    team_touch(team=swap.signup.slot.team)


@transaction.atomic
def swap_take(*, swap: SwapRequest, user: User) -> CoverSignup:
    """Another member takes the stream: the sign-up becomes theirs."""
    swap = (
        SwapRequest.objects.select_for_update().select_related("signup__slot__team").get(pk=swap.pk)
    )
    signup = swap.signup
    if swap.closed_at is not None:
        raise ValidationError("Someone took that swap already, or it was withdrawn.", code="closed")
    if signup.user_id == user.pk:
        raise ValidationError("That is your own stream.", code="own")
    starts, _ = occurrence_bounds(signup.slot, signup.on)
    now = timezone.now()
    if starts <= now:
        raise ValidationError("That stream has started already.", code="past")
    if CoverSignup.objects.filter(slot=signup.slot, on=signup.on, user=user).exists():
        raise ValidationError("You cover that stream already.", code="already")
    asker = signup.user
    signup.user = user
    signup.created_at = now
    signup.save(update_fields=["user", "created_at"])
    swap.taken_by = user
    swap.outcome = SwapOutcome.TAKEN
    swap.closed_at = now
    swap.save(update_fields=["taken_by", "outcome", "closed_at"])
    team = signup.slot.team
    team_touch(team=team)
    team_event_record(
        team=team,
        kind=EventKind.SWAP,
        summary=f"{user.display_name} took {asker.display_name}'s "
        f"{occurrence_label(signup.slot, signup.on)} stream ({signup.slot.timezone}).",
        path=grid_path(team, signup.on),
        actor=user,
    )
    return signup


def coverage_gaps_check(*, now: datetime | None = None) -> int:
    """Tell each team's leads, once, of every stream in the next 48 hours that fewer
    members cover than it needs. Returns how many gaps were told."""
    now = now or timezone.now()
    horizon = now + GAP_HORIZON
    due: list[tuple[StreamSlot, date]] = []
    slots = StreamSlot.objects.filter(team__channel__left_at__isnull=True).select_related(
        "team__channel"
    )
    for slot in slots.iterator(chunk_size=500):
        week = channel_week(now, slot.timezone)
        # A stream in the next 48 hours is in this local week or the next (or, a few hours
        # past midnight on Sunday in a zone far east of the slot's, the one before).
        for monday in (week - timedelta(weeks=1), week, week + timedelta(weeks=1)):
            on = monday + timedelta(days=slot.weekday)
            starts, _ = occurrence_bounds(slot, on)
            if now < starts <= horizon:
                due.append((slot, on))
    if not due:
        return 0
    dates = {on for _, on in due}
    covered: dict[tuple[int, date], int] = {}
    for slot_id, on in (
        CoverSignup.objects.standing()
        .filter(slot_id__in={slot.pk for slot, _ in due}, on__in=dates)
        .values_list("slot_id", "on")
    ):
        covered[slot_id, on] = covered.get((slot_id, on), 0) + 1
    told = 0
    for slot, on in due:
        if covered.get((slot.pk, on), 0) >= slot.needed:
            continue
        with transaction.atomic():
            _, new = GapNotice.objects.get_or_create(slot=slot, on=on)
            if not new:
                continue
            short = slot.needed - covered.get((slot.pk, on), 0)
            team_event_record(
                team=slot.team,
                kind=EventKind.COVERAGE_GAP,
                summary=f"Coverage gap: the {occurrence_label(slot, on)} stream "
                f"({slot.timezone}) needs {short} more moderator{'s' if short > 1 else ''}.",
                path=grid_path(slot.team, on),
                leads_only=True,
            )
        told += 1
    return told


@transaction.atomic
def calendar_feed_renew(*, team: Team, user: User, with_schedule: bool = False) -> CalendarFeed:
    """Give the member a new private calendar address (the old one stops answering)."""
    feed, _ = CalendarFeed.objects.update_or_create(
        team=team,
        user=user,
        defaults={"token": CalendarFeed._meta.get_field("token").default()},
        create_defaults={"with_schedule": with_schedule},
    )
    return feed


@transaction.atomic
def calendar_feed_options_set(*, feed: CalendarFeed, with_schedule: bool) -> None:
    feed.with_schedule = with_schedule
    feed.save(update_fields=["with_schedule"])


@transaction.atomic
def calendar_feed_remove(*, team: Team, user: User) -> None:
    CalendarFeed.objects.filter(team=team, user=user).delete()
