"""The team space's models, one module per part (team.py: the team, its members and news).
Each part's module is imported here so Django finds its models."""

from portal.teams.models.team import (
    LEADING,
    EventKind,
    Level,
    Membership,
    MembershipQuerySet,
    Team,
    TeamEvent,
)
from portal.teams.models.twitch_import import TwitchImport

__all__ = [
    "LEADING",
    "EventKind",
    "Level",
    "Membership",
    "MembershipQuerySet",
    "Team",
    "TeamEvent",
    "TwitchImport",
]
