"""The mentorship's private conversation, through the forums' conversations.

Everything mentoring writes to a conversation goes through ``mentorship_conversation_open``,
so the seam with the forums is one function. WAITING FOR CONVERSATIONS: the forums' private
conversations (``portal.forums.services.conversations.conversation_start``) are not on main
yet, so for now this opens nothing and returns None, and the mentorship page says the
conversation is on its way. When they arrive, this starts the conversation with
``purpose="mentorship"`` (which lets an adult and an under-18 member talk while an observer
is present), the observer of an observed mentorship reading it, and keeps the topic on the
mentorship.
"""

from __future__ import annotations

from portal.mentors.models import Mentorship


def mentorship_conversation_open(mentorship: Mentorship):
    """The mentorship's conversation; None until the forums hold private conversations."""
    if mentorship.conversation_id:
        return mentorship.conversation
    return None
