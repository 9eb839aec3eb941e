"""Demo teams: the demo channels' mod teams, with demo_mod on demo_streamer's, and each
team's weekly stream schedule with sign-ups for this week and the next, a gap or two left
open, so the coverage grid has something to show. Idempotent: nothing is done when a
schedule exists. Rows are written directly (no news emails for demo data)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.accounts.models import User
from portal.board.models import Channel
from portal.core.demo import DemoContext
from portal.core.schedule import parse_windows
from portal.teams.coverage_time import channel_week, occurrence_bounds
from portal.teams.models import CoverSignup, Level, Membership, StreamSlot, Team

TEAMS = 3
SCHEDULES = [
    "Fri 20:00-23:00\nSat 18:00-22:00\nSun 15:00-18:00",
    "Mon 19:00-22:00\nWed 19:00-22:00\nFri 19:00-22:00",
    "Tue 21:00-23:30\nThu 21:00-23:30\nSat 13:00-17:00",
]


def seed(ctx: DemoContext) -> None:
    seed_coverage(ctx)


def _teams(ctx: DemoContext) -> list[Team]:
    channels = list(Channel.objects.filter(left_at__isnull=True).order_by("pk")[:TEAMS])
    moderators = list(
        User.objects.exclude(username__in=["demo_streamer", "demo_staff"])
        .filter(is_active=True)
        .order_by("pk")[:40]
    )
    demo_mod = next((u for u in moderators if u.username == "demo_mod"), None)
    teams = []
    for channel in channels:
        team, _ = Team.objects.get_or_create(channel=channel)
        Membership.objects.update_or_create(
            team=team, user_id=channel.owner_id, defaults={"level": Level.OWNER, "listed": True}
        )
        crew = [u for u in ctx.rng.sample(moderators, min(4, len(moderators))) if u != demo_mod]
        if channel.owner.username == "demo_streamer" and demo_mod is not None:
            crew = [demo_mod, *crew[:3]]
        for j, person in enumerate(crew):
            if person.pk == channel.owner_id:
                continue
            Membership.objects.get_or_create(
                team=team,
                user=person,
                defaults={"level": [Level.LEAD, Level.MODERATOR, Level.MODERATOR, Level.TRIAL][j]},
            )
        teams.append(team)
    return teams


def seed_coverage(ctx: DemoContext) -> None:
    if StreamSlot.objects.exists():
        ctx.say("Demo stream schedules: already there.")
        return
    now = timezone.now()
    teams = _teams(ctx)
    signups = 0
    for i, team in enumerate(teams):
        tz = team.channel.timezone
        slots = [
            StreamSlot.written(window, tz, team=team, needed=1)
            for window in parse_windows(SCHEDULES[i % len(SCHEDULES)])
        ]
        StreamSlot.objects.bulk_create(slots)
        members = list(Membership.objects.current().filter(team=team).order_by("pk"))
        week = channel_week(now, tz)
        rows = []
        for monday in (week, week + timedelta(weeks=1)):
            for slot in slots:
                on = monday + timedelta(days=slot.weekday)
                # About one stream in four is left open: the grid shows its gaps.
                if occurrence_bounds(slot, on)[0] <= now or ctx.rng.random() < 0.25:
                    continue
                person = ctx.rng.choice(members)
                rows.append(CoverSignup(slot=slot, on=on, user_id=person.user_id))
        CoverSignup.objects.bulk_create(rows, ignore_conflicts=True)
        signups += len(rows)
    ctx.say(f"Demo stream schedules: {len(teams)} teams, {signups} sign-ups.")
