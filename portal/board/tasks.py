"""Board tasks: the emails the board sends and the two periodic jobs (expiry, reminders).

Each takes ids, loads the rows, returns early when they are gone or the work no longer
applies, and hands the writing to a service or ``send_email``. The ``send_*`` tasks run on
the email queue (settings.CELERY_TASK_ROUTES). The emails' base task (core's EmailTask)
tries a refusing mail server again later and keeps what it gives up on for staff.
"""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from portal.board import services
from portal.board.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Invitation,
    Opening,
    OpeningStatus,
)
from portal.core.mail import EmailTask
from portal.digests.mail import absolute_url, send_email
from portal.digests.models import EmailKind


@shared_task(base=EmailTask)
def send_new_application(application_id: int) -> bool:
    """Tell a channel's owner that someone applied to their opening."""
    application = (
        Application.objects.select_related(
            "applicant", "applicant__profile", "opening", "opening__channel__owner"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None or application.status == ApplicationStatus.WITHDRAWN:
        return False
    opening = application.opening
    return send_email(
        user=opening.channel.owner,
        kind=EmailKind.NEW_APPLICATIONS,
        subject=f"New application to “{opening.title}”",
        template="board_new_application",
        context={
            "application": application,
            "opening": opening,
            "applicant_name": application.applicant.display_name,
            "review_url": absolute_url(reverse("board:review", kwargs={"pk": opening.pk})),
        },
    )


@shared_task(base=EmailTask)
def send_application_update(event_id: int) -> bool:
    """Tell an applicant their application moved (shortlisted, trial, accepted, declined)."""
    event = (
        ApplicationEvent.objects.select_related(
            "application__applicant", "application__opening__channel"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return False
    application = event.application
    opening = application.opening
    return send_email(
        user=application.applicant,
        kind=EmailKind.APPLICATION_UPDATES,
        subject=f"Your application to {opening.channel.name}: {event.to_label.lower()}",
        template="board_application_update",
        context={
            "event": event,
            "application": application,
            "opening": opening,
            "channel": opening.channel,
            "application_url": absolute_url(application.get_absolute_url()),
        },
    )


@shared_task(base=EmailTask)
def send_opening_reminder(opening_id: int) -> bool:
    """Tell an owner their opening closes in a few days, with a link to extend it."""
    opening = Opening.objects.select_related("channel__owner").filter(pk=opening_id).first()
    # Extended since (reminder cleared) or no longer open: nothing to remind about.
    if opening is None or opening.status != OpeningStatus.OPEN or not opening.reminder_sent_at:
        return False
    return send_email(
        user=opening.channel.owner,
        kind=EmailKind.OPENING_REMINDERS,
        subject=f"“{opening.title}” closes on {opening.closes_on:%-d %B}",
        template="board_opening_reminder",
        context={
            "opening": opening,
            "opening_url": absolute_url(opening.get_absolute_url()),
            "extend_url": absolute_url(reverse("board:opening_extend", kwargs={"pk": opening.pk})),
        },
    )


@shared_task(base=EmailTask)
def send_invitation(invitation_id: int) -> bool:
    """Tell a moderator a channel owner invites them to apply."""
    invitation = (
        Invitation.objects.select_related("invitee", "invited_by__profile", "opening__channel")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return False
    opening = invitation.opening
    return send_email(
        user=invitation.invitee,
        kind=EmailKind.INVITATIONS,
        subject=f"{opening.channel.name} invites you to apply",
        template="board_invitation",
        context={
            "invitation": invitation,
            "opening": opening,
            "channel": opening.channel,
            "inviter_name": invitation.invited_by.display_name,
            "opening_url": absolute_url(opening.get_absolute_url()),
        },
    )


@shared_task(base=EmailTask)
def send_opening_removed(opening_id: int) -> bool:
    """Tell an owner staff removed their opening, and why."""
    opening = Opening.objects.select_related("channel__owner").filter(pk=opening_id).first()
    if opening is None or opening.status != OpeningStatus.REMOVED:
        return False
    return send_email(
        user=opening.channel.owner,
        kind=EmailKind.MODERATION,
        subject=f"Your opening “{opening.title}” was removed",
        template="board_opening_removed",
        context={"opening": opening, "opening_url": absolute_url(opening.get_absolute_url())},
    )


@shared_task(acks_late=True)
def expire_openings() -> int:
    """Hourly (portal/celery.py): openings past their closing date become expired."""
    return services.openings_expire()


@shared_task(acks_late=True)
def remind_expiring_openings() -> int:
    """Hourly (portal/celery.py): queue reminders for openings closing in a few days."""
    return services.opening_reminders_queue()
