"""The team space's models, one module per part (team.py: the team, its members and news).
Each part's module is imported here so Django finds its models."""

from portal.teams.models.coverage import (
    CalendarFeed,
    CoverSignup,
    DiscordWebhook,
    GapNotice,
    StreamSlot,
    SwapOutcome,
    SwapRequest,
)
from portal.teams.models.team import (
    LEADING,
    EventKind,
    Level,
    Membership,
    MembershipQuerySet,
    Team,
    TeamEvent,
)

__all__ = [
    "LEADING",
    "CalendarFeed",
    "CoverSignup",
    "DiscordWebhook",
    "EventKind",
    "GapNotice",
    "Level",
    "Membership",
    "MembershipQuerySet",
    "StreamSlot",
    "SwapOutcome",
    "SwapRequest",
    "Team",
    "TeamEvent",
]
