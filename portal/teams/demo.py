"""Demo teams: the demo channels' mod teams, with demo_mod on demo_streamer's, and each
team's weekly stream schedule with sign-ups for this week and the next, a gap or two left
open, so the coverage grid has something to show. Idempotent: nothing is done when a
schedule exists. Then open offers and trial end dates (seed_hiring) and onboarding
checklists and assigned tracks (seed_onboarding). Rows are written directly (no news
emails for demo data). Each part adds its own small function to STEPS.

Each demo team also gets a rulebook with two versions (so "what changed" has something to
show), acknowledgements from part of the team (so the lead sees who has not read it) and one
debrief with a note and a rulebook follow-up that the second version made. These go through
the services (rendering, numbering, the follow-up's link), so the team's news records them."""

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
    FollowUp,
    LadderAction,
    Level,
    Membership,
    Offer,
    RulebookAcknowledgement,
    RulebookVersion,
    StreamSlot,
    Team,
    TrackAssignment,
)
from portal.teams.services import StepSpec, debrief_note_add, debrief_write, rulebook_publish

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


PUBLIC_RULES = """1. Be kind to each other and to the streamer.
2. No spoilers for games out less than two weeks.
3. No backseating unless the streamer asks chat for help.
4. English in chat, please, so the mods can follow along.
5. No self-promotion or links without asking a moderator first."""

PUBLIC_RULES_2 = PUBLIC_RULES.replace(
    "No backseating unless the streamer asks chat for help.",
    "No backseating unless the streamer asks chat for help; then tips are fine until they "
    "say they've got it.",
)

TEAM_RULES = """## Chat tools
- AutoMod at level 2; aggression at 3.
- Shield Mode: any moderator may turn it on during a raid; tell the lead after.

## Who decides
- Any moderator: reminders, deletions, warnings, timeouts up to 1 hour.
- The lead: bans other than the skip list, unban requests.
- The streamer: raid settings, VIPs."""

TEAM_RULES_2 = (
    TEAM_RULES
    + """

## Horror nights
Aggression holds catch game talk ("kill it"). Check the viewer card before banning from the
held-message queue."""
)

LADDER = [
    StepSpec(LadderAction.REMINDER, "A first, minor slip (mild spoiler, off-topic)"),
    StepSpec(LadderAction.DELETE, "The message itself breaks a rule"),
    StepSpec(LadderAction.WARNING, "A clear break, or repeating after a reminder"),
    StepSpec(LadderAction.TIMEOUT, "Continuing after a warning", 600),
    StepSpec(LadderAction.TIMEOUT, "Back at it after the first timeout", 3600),
    StepSpec(LadderAction.BAN, "Repeated timeouts; at once for hate speech, threats, doxxing"),
]


def seed_rulebooks(ctx: DemoContext) -> None:
    if RulebookVersion.objects.exists():
        ctx.say("Demo rulebooks: already there.")
        return
    teams = list(Team.objects.select_related("channel").order_by("pk"))
    for team in teams:
        members = list(
            Membership.objects.current()
            .filter(team=team)
            .select_related("user__profile")
            .order_by("level_order", "pk")
        )
        owner = members[0].user
        writer = members[-1].user
        rulebook_publish(
            team=team,
            author=owner,
            public_rules=PUBLIC_RULES,
            team_rules=TEAM_RULES,
            ladder=LADDER,
            ladder_is_public=False,
            change_note="The rulebook we agreed with the streamer.",
        )
        debrief = debrief_write(
            team=team,
            author=writer,
            title="A held “kill it” on horror night",
            happened_on=timezone.localdate() - timedelta(days=3),
            what_happened="During the horror stream AutoMod held a regular's “kill it kill it” "
            "and it was denied, then the chatter was banned. Their unban request said they "
            "were yelling at the monster.",
            what_we_did="A new account had posted threats earlier that night, so the ban "
            "looked right in the moment. The lead and the moderator reviewed the unban "
            "request together and unbanned.",
            what_worked="The unban request gave us a second look; the chatter took the note well.",
            what_we_would_change="Check the viewer card (account age, message count) before "
            "banning from the held-message queue on horror nights.",
            follow_ups=["Lead: tell the team about horror nights before the next one"],
            rulebook_change="Add a horror-night example to the team procedures.",
        )
        if len(members) > 1:
            debrief_note_add(
                debrief=debrief,
                author=members[1].user,
                body="Slow mode at 3 seconds helped me keep up with the held messages.",
            )
        rulebook_publish(
            team=team,
            author=members[1].user if members[1:] and members[1].leads else owner,
            public_rules=PUBLIC_RULES_2,
            team_rules=TEAM_RULES_2,
            ladder=LADDER,
            ladder_is_public=True,
            change_note="Backseating when asked, and horror nights, from the debrief.",
            answers=FollowUp.objects.filter(debrief=debrief, changes_rulebook=True),
        )
        # Part of the team has read the new version, so the lead sees who has not.
        latest = team.rulebook_versions.order_by("-number").first()
        for membership in members[: max(1, len(members) // 2)]:
            RulebookAcknowledgement.objects.get_or_create(version=latest, user=membership.user)
    ctx.say(f"Demo rulebooks and debriefs: {len(teams)} teams.")


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


def seed_discussions(ctx: DemoContext) -> None:
    """demo_streamer's team's discussion: a topic by the owner, with a reply from demo_mod
    that mentions the owner, so ``make run`` shows the list, a topic with replies and a
    mention notice. Through the forums' posting service (rendering, read state, notices),
    as a member would write them."""
    from portal.forums.models import Topic
    from portal.forums.services import post_create, topic_create
    from portal.teams.services import discussion_for

    team = (
        Team.objects.select_related("channel__owner")
        .filter(channel__owner__username="demo_streamer")
        .order_by("pk")
        .first()
    )
    if team is None:
        return
    category = discussion_for(team=team)
    if Topic.objects.filter(category=category).exists():
        ctx.say("Demo team discussion: already there.")
        return
    owner = team.channel.owner
    replier = (
        Membership.objects.current()
        .filter(team=team)
        .exclude(user=owner)
        .select_related("user")
        .order_by("level_order", "pk")
        .first()
    )
    topic = topic_create(
        author=owner,
        category=category,
        title="Horror night on Friday: who takes the held queue?",
        body="Friday is the horror stream again. Last time the held-message queue backed up "
        "while I was screaming at the game.\n\nCan one of you watch **only** the held "
        "queue? The rest of you keep chat as usual. Check the debrief first.",
    )
    if replier is not None:
        post_create(
            author=replier.user,
            topic=topic,
            body=f"I'll take the held queue. @{owner.username}, can you set slow mode to 3 "
            "seconds before the jump scares start?",
        )
    ctx.say("Demo team discussion: one topic with a reply.")


STEPS = [seed_coverage, seed_hiring, seed_onboarding, seed_rulebooks, seed_discussions]
