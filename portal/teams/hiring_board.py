"""The board's application moves, as the team hears them: moving an application to trial
offers the applicant a trial place (``TRIAL_DAYS`` long, from when they accept); accepting it
offers a moderator's place, or, for an applicant already on trial in the team, keeps them on
as a moderator. The board sends ``application_moved`` (it stands a floor below and cannot call
the team); this receiver runs inside the move's transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.board.models import ApplicationStatus
from portal.teams.models import Level, Membership
from portal.teams.services import TrialOutcome, offer_make, team_for, trial_outcome_record


def application_moved_to_team(sender, *, application, actor, to_status, **kwargs) -> None:
    if to_status not in (ApplicationStatus.TRIAL, ApplicationStatus.ACCEPTED):
        return
    team = team_for(channel=application.opening.channel)
    applicant = application.applicant
    roles = list(application.opening.roles.all())
    member = Membership.objects.current().filter(team=team, user=applicant).first()
    try:
        # A savepoint: an offer refused (a block since they applied, say) leaves the move
        # itself standing; the owner can still invite them from the team's page.
        with transaction.atomic():
            if member is not None:
                if to_status == ApplicationStatus.ACCEPTED and member.level == Level.TRIAL:
                    trial_outcome_record(membership=member, actor=actor, outcome=TrialOutcome.KEEP)
                return
            offer_make(
                team=team,
                user=applicant,
                actor=actor,
                level=Level.TRIAL if to_status == ApplicationStatus.TRIAL else Level.MODERATOR,
                roles=roles,
                application=application,
            )
    except ValidationError:
        return
