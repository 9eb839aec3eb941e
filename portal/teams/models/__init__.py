"""The team space's models, one module per part (team.py: the team, its members and news;
hiring.py: offers of a place and trial reminders; onboarding.py: assigned tracks and the
channel's checklist).
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
from portal.teams.models.hiring import Offer, OfferQuerySet, OfferStatus, TrialReminder
from portal.teams.models.onboarding import ChecklistItem, ChecklistTick, TrackAssignment
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
    "CalendarFeed",
    "ChecklistItem",
    "ChecklistTick",
    "CoverSignup",
    "DiscordWebhook",
    "EventKind",
    "GapNotice",
    "Level",
    "Membership",
    "MembershipQuerySet",
    "Offer",
    "OfferQuerySet",
    "OfferStatus",
    "StreamSlot",
    "SwapOutcome",
    "SwapRequest",
    "Team",
    "TeamEvent",
    "TrackAssignment",
    "TrialReminder",
    "TwitchImport",
]
