"""Mentoring tasks: the email that goes with each mentoring notice, and the beat job that
reminds both sides when a check-in is due."""

from __future__ import annotations

from celery import shared_task

from portal.accounts.models import User
from portal.core.mail import EmailTask
from portal.digests.mail import absolute_url, send_email
from portal.digests.models import EmailKind
from portal.mentors.models import Mentorship

SUBJECTS = {
    "asked": "A new moderator asks you to mentor them",
    "accepted": "Your mentor said yes",
    "declined": "About your ask for a mentor",
    "observing": "You observe a mentorship",
    "checked_in": "A new check-in in your mentorship",
    "checkin_due": "A mentoring check-in is due",
    "ended": "Your mentorship has ended",
}


@shared_task(base=EmailTask)
def send_mentoring_email(mentorship_id: int, user_id: int, event: str, message: str) -> bool:
    mentorship = Mentorship.objects.filter(pk=mentorship_id).first()
    user = User.objects.select_related("profile").filter(pk=user_id).first()
    if mentorship is None or user is None or event not in SUBJECTS:
        return False
    # Only the people in it hear of it (an observer removed since hears nothing more).
    if not mentorship.role_of(user):
        return False
    return send_email(
        user=user,
        kind=EmailKind.MENTORING,
        subject=SUBJECTS[event],
        template="mentoring",
        context={"message": message, "link": absolute_url(mentorship.get_absolute_url())},
    )


@shared_task
def remind_due_checkins() -> int:
    """Beat: every hour, tell both sides of each mentorship whose check-in fell due."""
    from portal.mentors.services import checkin_reminders_send

    return checkin_reminders_send()
