"""Demo mod teams: each demo team gets a rulebook with two versions (so "what changed" has
something to show), acknowledgements from part of the team (so the lead sees who has not
read it) and one debrief with a note and a rulebook follow-up that the second version made.

Teams are made for the first few channels when none exist yet (demo_streamer's first, with
demo_mod on it), so the laptop's demo has a team space to open."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.accounts.models import User
from portal.board.models import Channel
from portal.core.demo import DemoContext
from portal.teams.models import (
    FollowUp,
    LadderAction,
    Level,
    Membership,
    RulebookAcknowledgement,
    RulebookVersion,
    Team,
)
from portal.teams.services import (
    StepSpec,
    debrief_note_add,
    debrief_write,
    membership_add,
    rulebook_publish,
    team_for,
)

DEMO_TEAMS = 3

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


def seed(ctx: DemoContext) -> None:
    _seed_teams(ctx)
    _seed_rulebooks(ctx)


def _seed_teams(ctx: DemoContext) -> None:
    """A few teams to show, when nothing else made any."""
    if Team.objects.exists():
        return
    channels = list(Channel.objects.filter(left_at__isnull=True).order_by("pk")[:DEMO_TEAMS])
    helpers = list(
        User.objects.exclude(username__startswith="demo_")
        .exclude(channels__isnull=False)
        .order_by("pk")[: DEMO_TEAMS * 3]
    )
    demo_mod = User.objects.filter(username="demo_mod").first()
    for index, channel in enumerate(channels):
        team = team_for(channel=channel)
        crew = helpers[index * 3 : index * 3 + 3]
        if index == 0 and demo_mod is not None:
            membership_add(team=team, user=demo_mod)
        for person, level in zip(crew, [Level.LEAD, Level.MODERATOR, Level.TRIAL], strict=False):
            membership_add(
                team=team,
                user=person,
                level=level,
                trial_ends_on=timezone.localdate() + timedelta(days=14)
                if level == Level.TRIAL
                else None,
            )
    ctx.say(f"Demo teams: {len(channels)} created.")


def _seed_rulebooks(ctx: DemoContext) -> None:
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
