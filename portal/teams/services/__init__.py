"""Writes to a team, one module per part (membership.py: making the team, adding and
removing members, recording what happened; hiring.py: offers of a place, levels and roles,
trials and their reminders; onboarding.py; rulebook.py: publishing and reading the
rulebook; debriefs.py: debriefs, their notes and follow-ups)."""

from portal.teams.services.debriefs import debrief_note_add, debrief_write, follow_up_add
from portal.teams.services.discussion import (
    discussion_for,
    discussion_member_add,
    discussion_member_remove,
)
from portal.teams.services.hiring import (
    NOT_OFFERABLE,
    TRIAL_DAYS,
    TrialOutcome,
    leads_team,
    membership_change,
    offer_accept,
    offer_decline,
    offer_make,
    offer_withdraw,
    offers_expire,
    trial_outcome_record,
    trial_reminders_send,
)
from portal.teams.services.membership import (
    membership_add,
    membership_remove,
    team_event_record,
    team_for,
    team_touch,
)
from portal.teams.services.onboarding import (
    checklist_item_add,
    checklist_item_remove,
    checklist_tick,
    tracks_assign,
)
from portal.teams.services.rulebook import StepSpec, rulebook_acknowledge, rulebook_publish

__all__ = [
    "NOT_OFFERABLE",
    "TRIAL_DAYS",
    "TrialOutcome",
    "checklist_item_add",
    "checklist_item_remove",
    "checklist_tick",
    "leads_team",
    "membership_add",
    "membership_change",
    "membership_remove",
    "offer_accept",
    "offer_decline",
    "offer_make",
    "offer_withdraw",
    "offers_expire",
    "team_event_record",
    "team_for",
    "team_touch",
    "tracks_assign",
    "trial_outcome_record",
    "trial_reminders_send",
]
__all__ += ["StepSpec", "rulebook_acknowledge", "rulebook_publish"]
__all__ += ["debrief_note_add", "debrief_write", "follow_up_add"]
__all__ += ["discussion_for", "discussion_member_add", "discussion_member_remove"]
