"""Telling people about mentoring: a forum notification (the header's count) and, after
commit, an email for those who keep the "Mentoring" switch on. The digest's section is
read from the mentorships themselves (portal/mentors/digest.py)."""

from __future__ import annotations

from portal.accounts.models import User
from portal.core.outbox import enqueue_on_commit
from portal.forums.models import Notification
from portal.forums.services.notifications import notify
from portal.mentors.models import Mentorship


def mentoring_notice(
    *, mentorship: Mentorship, recipient: User, actor: User | None, message: str, event: str
) -> None:
    """One notice to one person (never to the person who acted). ``message`` is a line
    with names only, safe anywhere as plain text; ``event`` names the email to send."""
    from portal.mentors.tasks import send_mentoring_email

    if actor is not None and recipient.pk == actor.pk:
        return
    notify(
        [
            Notification(
                recipient=recipient,
                kind=Notification.Kind.MENTORING,
                actor=actor,
                message=message[:300],
                path=mentorship.get_absolute_url(),
            )
        ]
    )
    enqueue_on_commit(send_mentoring_email, mentorship.pk, recipient.pk, event, message[:300])
