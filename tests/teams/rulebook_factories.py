"""Rulebook versions and debriefs for tests, written through the services."""

from __future__ import annotations

from datetime import date

from portal.accounts.models import User
from portal.teams.models import Debrief, LadderAction, RulebookVersion, Team
from portal.teams.services import StepSpec, debrief_write, rulebook_publish

LADDER = [
    StepSpec(LadderAction.REMINDER, "A first, minor slip"),
    StepSpec(LadderAction.WARNING, "A clear break, or repeating after a reminder"),
    StepSpec(LadderAction.TIMEOUT, "Continuing after a warning", 600),
    StepSpec(LadderAction.BAN, "Hate speech, threats, doxxing, spam bots"),
]


def publish(
    team: Team,
    author: User,
    *,
    public_rules: str = "1. Be kind.\n2. No spoilers for the first week.",
    team_rules: str = "Backseating: not allowed.",
    ladder=LADDER,
    ladder_is_public: bool = False,
    change_note: str = "First rules.",
    answers=(),
) -> RulebookVersion:
    return rulebook_publish(
        team=team,
        author=author,
        public_rules=public_rules,
        team_rules=team_rules,
        ladder=ladder,
        ladder_is_public=ladder_is_public,
        change_note=change_note,
        answers=answers,
    )


def write_debrief(team: Team, author: User, **kwargs) -> Debrief:
    fields = {
        "title": "Hate raid on the charity stream",
        "happened_on": date(2026, 11, 20),
        "what_happened": "Forty new accounts posted slurs within a minute.",
        "what_we_did": "Shield Mode on, then bans from the held-message queue.",
        "what_worked": "Shield Mode's preset was ready.",
        "what_we_would_change": "Turn on follower-only mode sooner.",
        **kwargs,
    }
    return debrief_write(team=team, author=author, **fields)
