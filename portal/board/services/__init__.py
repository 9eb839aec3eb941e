"""Writes on the recruitment board, one module per sub-domain: channels, openings (writing
one), lifecycle (publishing and every move after), applications, invitations, reports and
the log of staff reading applications through a report.

Every function here is one action: atomic, validated (``full_clean``) before it saves, and the
only place board emails are queued, always after the transaction commits so nobody is told
about a change that was rolled back. Rule violations raise ``ValidationError`` with a message
meant for the person; views show it beside the form. Every write to an opening or a channel
moves its ``version`` in the same statement (the pages' cached fragments are keyed on it);
a refusal raises before anything is written, so it moves nothing.

The names below are the board's write API; callers import them from here.
"""

from portal.board.services.applications import (
    BulkMove,
    application_move,
    application_submit,
    application_trial_close,
    application_withdraw,
    applications_move,
)
from portal.board.services.channels import channel_register, channel_update
from portal.board.services.invitations import invitation_send
from portal.board.services.lifecycle import (
    opening_close,
    opening_extend,
    opening_fill,
    opening_pause,
    opening_publish,
    opening_reminders_queue,
    opening_resume,
    openings_expire,
)
from portal.board.services.openings import (
    EDITABLE,
    QuestionSpec,
    check_closes_on,
    closing_instant,
    local_today,
    opening_create,
    opening_update,
)
from portal.board.services.reports import opening_remove, report_create, report_dismiss
from portal.board.services.staff_reads import staff_reads_log

__all__ = [
    "EDITABLE",
    "BulkMove",
    "QuestionSpec",
    "application_move",
    "application_submit",
    "application_trial_close",
    "application_withdraw",
    "applications_move",
    "channel_register",
    "channel_update",
    "check_closes_on",
    "closing_instant",
    "invitation_send",
    "local_today",
    "opening_close",
    "opening_create",
    "opening_extend",
    "opening_fill",
    "opening_pause",
    "opening_publish",
    "opening_reminders_queue",
    "opening_remove",
    "opening_resume",
    "opening_update",
    "openings_expire",
    "report_create",
    "report_dismiss",
    "staff_reads_log",
]
