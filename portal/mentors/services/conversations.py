"""The mentorship's private conversation, through the forums' conversations.

Everything mentoring writes to a conversation goes through ``mentorship_conversation_open``,
so the seam with the forums is one function: it starts the conversation with
``portal.forums.services.conversations.conversation_start`` once the mentorship is under way,
the mentor starting it with the mentee, ``purpose="mentorship"`` (which lets an adult and an
under-18 member talk while an observer is present) and, for an open mentorship, its observer
reading it; and keeps the topic on the mentorship. When the forums refuse (a suspension, a
block since the ask), the mentorship goes on without it and either side can try again from
its page; the forums' refusal is told to them there. An observer named later (the first
left Modhall, say) is added to the conversation already under way, as an observer
(``conversation_observer_add``), or it is started now that someone can read it.
"""

from __future__ import annotations

from django.db import transaction

from portal.mentors.models import Mentorship, Status


def mentorship_conversation_open(mentorship: Mentorship):
    """The mentorship's conversation, started on first need, with its observer (if any)
    reading it; None before the mentorship is under way, or for an open mentorship with
    nobody (left) to observe it. Raises the forums' ValidationError when they refuse to
    start it or to add the observer."""
    if mentorship.conversation_id:
        if mentorship.observer_id:
            from portal.forums.services.conversations import conversation_observer_add

            conversation_observer_add(
                conversation=mentorship.conversation, observer=mentorship.observer
            )
        return mentorship.conversation
    if mentorship.status != Status.ACTIVE:
        return None
    from portal.forums.services.conversations import conversation_start

    observers = [mentorship.observer] if mentorship.observer_id else []
    if mentorship.observed and not observers:
        return None
    mentor, mentee = mentorship.mentor, mentorship.mentee
    with transaction.atomic():
        topic = conversation_start(
            starter=mentor,
            others=[mentee],
            title=f"Mentoring: {mentee.display_name} and {mentor.display_name}",
            body=f"Hello {mentee.display_name}! This is our private conversation for the "
            "mentorship"
            + (f"; {mentorship.observer.display_name} reads along" if observers else "")
            + ". Write here whenever you like.",
            observers=observers,
            purpose="mentorship",
        )
        Mentorship.objects.filter(pk=mentorship.pk).update(conversation=topic)
    mentorship.conversation = topic
    return topic
