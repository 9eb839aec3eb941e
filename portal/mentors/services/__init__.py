"""Writes to mentoring, one module per part: a mentor's offer (offers.py), the ask and its
answer and end (mentorships.py), goals and check-ins (progress.py), telling people
(notices.py) and the private conversation (conversations.py)."""

from portal.mentors.services.conversations import mentorship_conversation_open
from portal.mentors.services.mentorships import (
    MentoringRefused,
    mentorship_answer,
    mentorship_ask,
    mentorship_end,
    mentorship_observer_name,
    mentorship_reflect,
    mentorship_staff_ask,
    mentorship_withdraw,
    mentorships_close_for_block,
)
from portal.mentors.services.offers import mentor_offer_save
from portal.mentors.services.progress import (
    checkin_record,
    checkin_reminders_send,
    checkin_schedule_set,
    goal_add,
    goal_mark_done,
)

__all__ = [
    "MentoringRefused",
    "checkin_record",
    "checkin_reminders_send",
    "checkin_schedule_set",
    "goal_add",
    "goal_mark_done",
    "mentor_offer_save",
    "mentorship_answer",
    "mentorship_ask",
    "mentorship_conversation_open",
    "mentorship_end",
    "mentorship_observer_name",
    "mentorship_reflect",
    "mentorship_staff_ask",
    "mentorship_withdraw",
    "mentorships_close_for_block",
]
