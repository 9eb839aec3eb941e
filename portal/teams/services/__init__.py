"""Writes to a team, one module per part (membership.py: making the team, adding and
removing members, recording what happened; rulebook.py: publishing and reading the
rulebook; debriefs.py: debriefs, their notes and follow-ups)."""

from portal.teams.services.debriefs import debrief_note_add, debrief_write, follow_up_add
from portal.teams.services.membership import (
    membership_add,
    membership_remove,
    team_event_record,
    team_for,
    team_touch,
)
from portal.teams.services.rulebook import StepSpec, rulebook_acknowledge, rulebook_publish

__all__ = ["membership_add", "membership_remove", "team_event_record", "team_for", "team_touch"]
__all__ += ["StepSpec", "rulebook_acknowledge", "rulebook_publish"]
__all__ += ["debrief_note_add", "debrief_write", "follow_up_add"]
