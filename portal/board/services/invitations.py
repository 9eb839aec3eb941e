"""Invitations: a channel owner asks a moderator open to moderating to apply to one of
their openings, within a daily limit; the invitation is emailed."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.accounts.models import User
from portal.board import rules
from portal.board.models import Application, Invitation, Opening
from portal.core.outbox import enqueue_on_commit


def invitation_limit(*, user: User, now: datetime | None = None) -> rules.Limit:
    since = rules.window_start(now)
    allowed = (
        rules.INVITATIONS_PER_DAY_NEW_ACCOUNT
        if rules.is_new_account(user, now=now)
        else rules.INVITATIONS_PER_DAY
    )
    used = Invitation.objects.filter(invited_by=user, created_at__gte=since).count()
    return rules.Limit(allowed=allowed, used=used, since=since)


@transaction.atomic
def invitation_send(
    *,
    opening: Opening,
    invitee: User,
    invited_by: User,
    message: str = "",
    now: datetime | None = None,
) -> Invitation:
    """A channel owner invites a moderator who is open to moderating to apply; emailed."""
    from portal.board.tasks import send_invitation

    if not opening.is_owned_by(invited_by):
        raise ValidationError({"opening": "You can only invite people to your own openings."})
    if not Opening.objects.visible(now=now).filter(pk=opening.pk).exists():
        raise ValidationError({"opening": "That opening is not taking applications."})
    if invitee.pk == invited_by.pk:
        raise ValidationError("You can't invite yourself.")
    if Invitation.objects.filter(opening=opening, invitee=invitee).exists():
        raise ValidationError({"opening": f"You have already invited {invitee} to this opening."})
    if Application.objects.filter(opening=opening, applicant=invitee).exists():
        raise ValidationError({"opening": f"{invitee} has already applied to this opening."})
    User.objects.select_for_update(no_key=True).filter(pk=invited_by.pk).first()
    limit = invitation_limit(user=invited_by, now=now)
    if limit.reached:
        raise ValidationError(
            f"You have sent {limit.used} invitations in the last 24 hours, the most we allow "
            "in a day. Please try again tomorrow.",
            code="rate_limited",
        )
    invitation = Invitation(
        opening=opening, invitee=invitee, invited_by=invited_by, message=message.strip()
    )
    invitation.full_clean()
    invitation.save()
    enqueue_on_commit(send_invitation, invitation.pk)
    return invitation
