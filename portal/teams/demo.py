"""Demo teams: the demo channels' mod teams, with demo_mod on demo_streamer's, and each
team's weekly stream schedule with sign-ups for this week and the next, a gap or two left
open, so the coverage grid has something to show. Idempotent: nothing is done when a
schedule exists. Then open offers and trial end dates (seed_hiring) and onboarding
checklists and assigned tracks (seed_onboarding). Rows are written directly (no news
emails for demo data). Each part adds its own small function to STEPS."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.accounts.models import User
from portal.board.models import Channel
from portal.core.demo import DemoContext
from portal.core.schedule import parse_windows
from portal.guides.models import Track
from portal.teams.coverage_time import channel_week, occurrence_bounds
from portal.teams.models import (
    ChecklistItem,
    CoverSignup,
    Level,
    Membership,
    Offer,
    StreamSlot,
    Team,
    TrackAssignment,
)

TEAMS = 3
SCHEDULES = [
    "Fri 20:00-23:00\nSat 18:00-22:00\nSun 15:00-18:00",
    "Mon 19:00-22:00\nWed 19:00-22:00\nFri 19:00-22:00",
    "Tue 21:00-23:30\nThu 21:00-23:30\nSat 13:00-17:00",
]


def seed(ctx: DemoContext) -> None:
    # One small step per part of the team space, in order (each idempotent on its own).
    for step in STEPS:
        step(ctx)


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


CHECKLIST = ["Read our rulebook", "Set up two-factor login", "Join the mod channel on Discord"]
TRIAL_DAYS = 10


def seed_hiring(ctx: DemoContext) -> None:
    """Each demo team's trial members get an end date, and each team an open offer to
    someone not on it (demo_mod's is from the first team demo_mod is not on)."""
    if Offer.objects.exists():
        ctx.say("Demo offers: already there.")
        return
    today = timezone.localdate()
    Membership.objects.filter(level=Level.TRIAL, trial_ends_on__isnull=True).update(
        trial_ends_on=today + timedelta(days=TRIAL_DAYS)
    )
    people = list(
        User.objects.exclude(username__in=["demo_streamer", "demo_staff"])
        .filter(is_active=True)
        .order_by("pk")[:60]
    )
    demo_mod = next((u for u in people if u.username == "demo_mod"), None)
    made, offered_demo_mod = 0, False
    for team in Team.objects.select_related("channel").order_by("pk"):
        on_team = set(Membership.objects.filter(team=team).values_list("user_id", flat=True))
        free = [u for u in people if u.pk not in on_team]
        if not free:
            continue
        person = demo_mod if demo_mod in free and not offered_demo_mod else ctx.rng.choice(free)
        offered_demo_mod = offered_demo_mod or person == demo_mod
        Offer.objects.create(
            team=team, user=person, made_by=team.channel.owner, level=Level.MODERATOR
        )
        made += 1
    ctx.say(f"Demo offers: {made}.")


def seed_onboarding(ctx: DemoContext) -> None:
    """Each demo team's checklist, and "Start here" plus a role track assigned to each
    member but the owner."""
    if ChecklistItem.objects.exists():
        ctx.say("Demo onboarding: already there.")
        return
    tracks = list(Track.objects.active().order_by("order", "title")[:3])
    assigned = 0
    for team in Team.objects.order_by("pk"):
        ChecklistItem.objects.bulk_create(
            [ChecklistItem(team=team, text=text, position=i) for i, text in enumerate(CHECKLIST)]
        )
        owner = team.channel.owner
        rows = [
            TrackAssignment(membership=m, track=track, assigned_by=owner)
            for m in Membership.objects.current().filter(team=team).exclude(level=Level.OWNER)
            for track in tracks[:2]
        ]
        TrackAssignment.objects.bulk_create(rows, ignore_conflicts=True)
        assigned += len(rows)
    ctx.say(f"Demo onboarding: {assigned} track assignments.")


STEPS = [seed_coverage, seed_hiring, seed_onboarding]
