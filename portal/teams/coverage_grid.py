"""The coverage grid of one week, as a member reads it: each dated stream of the channel's
schedule, who covers it, whether it is short (a gap), who of the team is around then by
their own availability, open swaps, and the reader's own part. A fixed number of queries
whatever the team's or schedule's size (four: slots, sign-ups, their open swaps, members).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch

from portal.core.weeks import any_overlap, around, window_interval, zone
from portal.teams.coverage_time import occurrence_bounds
from portal.teams.models import CoverSignup, Membership, StreamSlot, SwapRequest, Team


@dataclass
class Stream:
    """One dated stream in the grid."""

    slot: StreamSlot
    on: date
    starts: datetime  # UTC
    ends: datetime
    reader_end: datetime  # the end on the reader's clock, for "until 23:00"
    covers: list[CoverSignup] = field(default_factory=list)
    around: list[Membership] = field(default_factory=list)  # available, not covering
    mine: CoverSignup | None = None
    my_swap: SwapRequest | None = None
    open_swaps: list[SwapRequest] = field(default_factory=list)  # of others' sign-ups
    started: bool = False

    @property
    def short_by(self) -> int:
        return max(self.slot.needed - len(self.covers), 0)

    @property
    def gap(self) -> bool:
        return self.short_by > 0

    @property
    def can_sign_up(self) -> bool:
        return not self.started and self.mine is None and self.gap

    @property
    def key(self) -> str:
        return f"{self.slot.pk}-{self.on:%Y%m%d}"


def week_grid(
    *, team: Team, membership: Membership, week: date, reader_tz: str, now: datetime
) -> list[Stream]:
    """The week's streams (``week``: a Monday of the channel's calendar), in time order."""
    slots = list(StreamSlot.objects.filter(team=team).order_by("local_start", "pk"))
    if not slots:
        return []
    streams: dict[tuple[int, date], Stream] = {}
    reader = zone(reader_tz or "UTC")
    for slot in slots:
        on = week + timedelta(days=slot.weekday)
        starts, ends = occurrence_bounds(slot, on)
        streams[slot.pk, on] = Stream(
            slot=slot,
            on=on,
            starts=starts,
            ends=ends,
            reader_end=ends.astimezone(reader),
            started=starts <= now,
        )
    signups = (
        CoverSignup.objects.standing()
        .filter(slot__team=team, on__gte=week, on__lt=week + timedelta(days=7))
        .select_related("user__profile")
        .prefetch_related(
            Prefetch("swaps", queryset=SwapRequest.objects.open(), to_attr="open_swaps")
        )
        .order_by("created_at", "pk")
    )
    for signup in signups:
        stream = streams.get((signup.slot_id, signup.on))
        if stream is None:
            continue
        stream.covers.append(signup)
        swap = signup.open_swaps[0] if signup.open_swaps else None
        if signup.user_id == membership.user_id:
            stream.mine, stream.my_swap = signup, swap
        elif swap is not None:
            swap.signup = signup
            stream.open_swaps.append(swap)
    members = list(
        Membership.objects.current()
        .filter(team=team, user__is_active=True)
        .select_related("user__profile")
        .order_by("level_order", "joined_at", "pk")
    )
    for member in members:
        profile = member.user.profile
        windows = profile.windows
        if not windows:
            continue
        free = around(windows, profile.timezone, week)
        for stream in streams.values():
            if any(c.user_id == member.user_id for c in stream.covers):
                continue
            start, end = window_interval(stream.slot.window, stream.slot.timezone, week)
            if any_overlap([(start, end)], free):
                stream.around.append(member)
    return sorted(streams.values(), key=lambda s: (s.starts, s.slot.pk))
