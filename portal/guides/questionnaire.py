"""Finding your role: a few questions about what a person does in chat, and the tracks that fit.

New moderators often do not know the names of the roles (DOMAIN.md's taxonomy is ours, not
the platform's), but they know what they do. So each question describes one role's everyday
work in plain words and asks how often the person does it; the roles they do often are
suggested, or those they do sometimes when nothing is "often". Everyone new also gets the
common foundation first. It is a suggestion, never a gate: every track stays open to all.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.guides.library import START_HERE


@dataclass(frozen=True)
class Statement:
    role_slug: str
    text: str


STATEMENTS = [
    Statement(
        "chat-enforcer",
        "I deal with people who break the rules: reminders, warnings, timeouts, bans, or "
        "messages held for review.",
    ),
    Statement(
        "community-host",
        "I greet newcomers and regulars, keep the conversation friendly and welcome raids.",
    ),
    Statement(
        "helper-bot-operator",
        "I answer viewers' questions and run commands, chat bots, polls, predictions or "
        "channel points.",
    ),
    Statement(
        "right-hand",
        "I help the streamer run the stream: the title and category, raids, clips, or a "
        "chat before going live.",
    ),
    Statement(
        "lead-moderator",
        "I organise the mod team: who covers which streams, trying out new mods, the "
        "rulebook, looking back at calls.",
    ),
    Statement(
        "incident-responder",
        "I step in when things go badly wrong: hate raids, threats, someone's personal "
        "details posted in chat.",
    ),
    Statement(
        "event-moderator",
        "I help moderate big or shared streams: events, marathons, collaborations, charity "
        "streams.",
    ),
]

OFTEN, SOMETIMES, RARELY = "often", "sometimes", "rarely"
FREQUENCIES = [(OFTEN, "Often"), (SOMETIMES, "Sometimes"), (RARELY, "Rarely or never")]

NEW, SOME, SEASONED = "new", "some", "seasoned"
EXPERIENCE = [
    (NEW, "I am new to it (or about to start)"),
    (SOME, "A few months"),
    (SEASONED, "A year or more"),
]


def suggested_roles(*, answers: dict[str, str], experience: str) -> list[str]:
    """Track role slugs to suggest, in the order the questions ask them (START_HERE first)."""
    often = [s.role_slug for s in STATEMENTS if answers.get(s.role_slug) == OFTEN]
    sometimes = [s.role_slug for s in STATEMENTS if answers.get(s.role_slug) == SOMETIMES]
    roles = often or sometimes
    if experience == NEW or not roles:
        roles = [START_HERE, *roles]
    return roles
