"""Writes to a team, one module per part (membership.py: making the team, adding and
removing members, recording what happened)."""

from portal.teams.services.membership import (
    membership_add,
    membership_remove,
    team_event_record,
    team_for,
    team_touch,
)

__all__ = ["membership_add", "membership_remove", "team_event_record", "team_for", "team_touch"]
