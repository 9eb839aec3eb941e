"""Applications: a moderator applies (once per opening, within a daily limit), the owner
moves the application on step by step (each step kept in its history and emailed), the
applicant may withdraw while nothing is decided."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User
from portal.accounts.selectors import blocked_either_way
from portal.board import rules
from portal.board.models import (
    REVIEW_STEPS,
    UNDECIDED,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Opening,
    Question,
    QuestionKind,
)
from portal.board.services.lifecycle import fillable, opening_fill
from portal.board.signals import application_moved
from portal.core.limits import check_rows
from portal.core.once import AlreadyDone, insert_once
from portal.core.outbox import enqueue_on_commit
from portal.markup import render_markdown


def _clean_answers(
    questions: Iterable[Question], answers: Mapping[int, str]
) -> list[dict[str, object]]:
    cleaned: list[dict[str, object]] = []
    errors: dict[str, str] = {}
    for question in questions:
        answer = (answers.get(question.pk) or "").strip()
        if question.required and not answer:
            errors[f"question_{question.pk}"] = "This question needs an answer."
        elif question.kind == QuestionKind.CHOICE and answer and answer not in question.choices:
            errors[f"question_{question.pk}"] = "Choose one of the options."
        cleaned.append({"question": question.pk, "prompt": question.prompt, "answer": answer})
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def application_submit(
    *,
    opening: Opening,
    applicant: User,
    message: str,
    answers: Mapping[int, str],
    now: datetime | None = None,
) -> Application:
    """Apply to an opening: answers, a message, and the applicant's profile (shown live)."""
    from portal.board.tasks import send_new_application

    now = now or timezone.now()
    if opening.is_owned_by(applicant):
        raise ValidationError("You can't apply to your own opening.", code="own_opening")
    if not Opening.objects.visible(now=now).filter(pk=opening.pk).exists():
        raise ValidationError(
            "This opening is no longer taking applications.", code="not_taking_applications"
        )
    if blocked_either_way(a_id=applicant.pk, b_id=opening.channel.owner_id):
        # In words that do not say why: the blocked person is not told of the block.
        raise ValidationError("You can't apply to this opening.", code="not_open_to_you")
    already = AlreadyDone("You have already applied to this opening.")
    # One application at a time per person, so the daily count below cannot be raced past.
    User.objects.select_for_update(no_key=True).filter(pk=applicant.pk).first()
    if Application.objects.filter(opening=opening, applicant=applicant).exists():
        raise already
    applied = Application.objects.filter(applicant=applicant)
    check_rows(rules.APPLICATIONS, applied, field="created_at", user=applicant, now=now)
    application = Application(
        opening=opening,
        applicant=applicant,
        message=message.strip(),
        message_html=render_markdown(message.strip()),
        answers=_clean_answers(opening.questions.all(), answers),
    )
    # Its one constraint is one application per person, which the insert itself decides.
    application.full_clean(validate_constraints=False)
    if not insert_once(application):
        raise already
    ApplicationEvent.objects.create(
        application=application,
        actor=applicant,
        to_status=ApplicationStatus.SUBMITTED,
        created_at=now,
    )
    enqueue_on_commit(send_new_application, application.pk)
    return application


def _lock_application(application: Application) -> Application:
    application.status = (
        Application.objects.select_for_update(no_key=True).values_list("status", flat=True)
    ).get(pk=application.pk)
    return application


TRIAL_ENDED_REASON = "The team ended the trial."


@transaction.atomic
def application_trial_close(
    *, application: Application, actor: User, kept: bool
) -> ApplicationEvent | None:
    """The channel's team recorded how the applicant's trial went, so the application that
    put them on trial reads the same: accepted when they stay, declined when the trial ended
    them. Kept in its history under the name of the lead who recorded it and emailed like any
    other step. The team checks that ``actor`` leads it before calling (portal/teams). An
    application the owner already moved on from trial is left as it is (None)."""
    _lock_application(application)
    if application.status != ApplicationStatus.TRIAL:
        return None
    return application_move(
        application=application,
        actor=actor,
        to_status=ApplicationStatus.ACCEPTED if kept else ApplicationStatus.DECLINED,
        reason="" if kept else TRIAL_ENDED_REASON,
        by_team_lead=True,
    )


@transaction.atomic
def application_move(
    *,
    application: Application,
    actor: User,
    to_status: str,
    reason: str = "",
    reason_shared: bool = True,
    mark_filled: bool = False,
    by_team_lead: bool = False,
) -> ApplicationEvent:
    """The owner moves an application one step on (shortlist, trial, accept, decline). Kept
    in the history; the applicant is emailed after commit. Accepting may fill the opening.
    A decline's reason is kept in the history either way; the applicant reads it (on their
    page and in the email) only when ``reason_shared``: the owner chooses that knowingly.
    ``by_team_lead``: the channel's team closes a trial (``application_trial_close``) and
    has checked that ``actor`` leads it; a lead is not the channel's owner."""
    from portal.board.tasks import send_application_update

    if not by_team_lead and not application.opening.is_owned_by(actor):
        raise ValidationError("Only the channel's owner reviews its applications.")
    _lock_application(application)
    if to_status not in REVIEW_STEPS[application.status]:
        raise ValidationError(
            {
                "status": f"A {application.get_status_display().lower()} application cannot be "
                f"moved to {ApplicationStatus(to_status).label.lower()}."
            }
        )
    declining = to_status == ApplicationStatus.DECLINED
    reason = reason.strip() if declining else ""
    reason_shared = reason_shared or not reason
    event = ApplicationEvent(
        application=application,
        actor=actor,
        from_status=application.status,
        to_status=to_status,
        reason=reason,
        reason_shared=reason_shared,
    )
    application.status = to_status
    if declining:
        application.decline_reason = reason if reason_shared else ""
    application.full_clean()
    application.save(update_fields=["status", "decline_reason", "updated_at"])
    event.full_clean()
    event.save()
    if to_status == ApplicationStatus.ACCEPTED and mark_filled and fillable(application.opening):
        opening_fill(opening=application.opening)
    # The decision's email is queued before what the move sets off (a team's offer of a
    # place), so the applicant reads "accepted" before "offers you a place".
    enqueue_on_commit(send_application_update, event.pk)
    application_moved.send(
        sender=Application,
        application=application,
        actor=actor,
        from_status=event.from_status,
        to_status=to_status,
    )
    return event


@dataclass
class BulkMove:
    """What a bulk move did: the steps made, and each application refused with why."""

    moved: list[ApplicationEvent] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)


def applications_move(
    *,
    applications: Iterable[Application],
    actor: User,
    to_status: str,
    reason: str = "",
    reason_shared: bool = True,
) -> BulkMove:
    """Move several applications to one stage, each through ``application_move`` (its own
    transaction), so the permission, step and history rules are those of a single move; one
    refused leaves the others moved, and is reported with its reason."""
    result = BulkMove()
    for application in applications:
        try:
            event = application_move(
                application=application,
                actor=actor,
                to_status=to_status,
                reason=reason,
                reason_shared=reason_shared,
            )
        except ValidationError as exc:
            result.refused.append((application, " ".join(exc.messages)))
        else:
            result.moved.append(event)
    return result


@transaction.atomic
def application_withdraw(*, application: Application, applicant: User) -> ApplicationEvent:
    """The applicant takes their application back, while no decision has been made."""
    if application.applicant_id != applicant.pk:
        raise ValidationError("Only the applicant can withdraw an application.")
    _lock_application(application)
    if application.status not in UNDECIDED:
        raise ValidationError(
            f"This application is {application.get_status_display().lower()}; it can no "
            "longer be withdrawn."
        )
    event = ApplicationEvent.objects.create(
        application=application,
        actor=applicant,
        from_status=application.status,
        to_status=ApplicationStatus.WITHDRAWN,
    )
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    return event
