"""Invitations: a channel owner asks a moderator open to moderating to apply to one of
their openings, within a daily limit; the invitation is emailed."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.accounts.models import User
from portal.accounts.selectors import blocked_either_way
from portal.board import rules
from portal.board.models import Application, Invitation, Opening
from portal.core.limits import check_rows
from portal.core.once import AlreadyDone, insert_once
from portal.core.outbox import enqueue_on_commit


@transaction.atomic
def invitation_send(
    *,
    opening: Opening,
    invitee: User,
    invited_by: User,
    message: str = "",
    now: datetime | None = None,
) -> Invitation:
    """A channel owner invites a moderator who is open to moderating to apply; emailed. Once
    per person and opening: a second invitation, even one sent at the same moment, is
    AlreadyDone (said beside the opening, as the owner may have meant another one)."""
    from portal.board.tasks import send_invitation

    if not opening.is_owned_by(invited_by):
        raise ValidationError({"opening": "You can only invite people to your own openings."})
    if not Opening.objects.visible(now=now).filter(pk=opening.pk).exists():
        raise ValidationError({"opening": "That opening is not taking applications."})
    if invitee.pk == invited_by.pk:
        raise ValidationError("You can't invite yourself.")
    if blocked_either_way(a_id=invitee.pk, b_id=invited_by.pk):
        # In words that do not say why: the blocked person is not told of the block.
        raise ValidationError({"opening": f"You can't invite {invitee} to apply."})
    already = AlreadyDone({"opening": f"You have already invited {invitee} to this opening."})
    if Invitation.objects.filter(opening=opening, invitee=invitee).exists():
        raise already
    if Application.objects.filter(opening=opening, applicant=invitee).exists():
        raise ValidationError({"opening": f"{invitee} has already applied to this opening."})
    User.objects.select_for_update(no_key=True).filter(pk=invited_by.pk).first()
    sent = Invitation.objects.filter(invited_by=invited_by)
    check_rows(rules.INVITATIONS, sent, field="created_at", user=invited_by, now=now)
    invitation = Invitation(
        opening=opening, invitee=invitee, invited_by=invited_by, message=message.strip()
    )
    # Its one constraint is one invitation per person and opening: the insert decides it.
    invitation.full_clean(validate_constraints=False)
    if not insert_once(invitation):
        raise already
    enqueue_on_commit(send_invitation, invitation.pk)
    return invitation
