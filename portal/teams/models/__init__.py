"""The team space's models, one module per part (team.py: the team, its members and news;
coverage.py: the coverage grid; hiring.py: offers of a place and trial reminders;
onboarding.py: assigned tracks and the channel's checklist; rulebook.py: the rulebook's
versions and who read them; debrief.py: debriefs, their notes and follow-ups). Each part's
module is imported here so Django finds its models."""

from portal.teams.models.coverage import (
    CalendarFeed,
    CoverSignup,
    DiscordWebhook,
    GapNotice,
    StreamSlot,
    SwapOutcome,
    SwapRequest,
)
from portal.teams.models.debrief import Debrief, DebriefNote, FollowUp
from portal.teams.models.hiring import (
    OFFER_DAYS,
    Offer,
    OfferQuerySet,
    OfferStatus,
    TrialReminder,
)
from portal.teams.models.onboarding import ChecklistItem, ChecklistTick, TrackAssignment
from portal.teams.models.rulebook import (
    LadderAction,
    LadderStep,
    RulebookAcknowledgement,
    RulebookVersion,
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
from portal.teams.models.twitch_import import TwitchImport

__all__ = [
    "LEADING",
    "OFFER_DAYS",
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
__all__ += ["LadderAction", "LadderStep", "RulebookAcknowledgement", "RulebookVersion"]
__all__ += ["Debrief", "DebriefNote", "FollowUp"]
