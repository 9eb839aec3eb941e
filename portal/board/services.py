"""Writes on the recruitment board: channels, openings and their lifecycle, applications and
their review, invitations and reports.

Every function here is one action: atomic, validated (``full_clean``) before it saves, and the
only place board emails are queued, always after the transaction commits so nobody is told
about a change that was rolled back. Rule violations raise ``ValidationError`` with a message
meant for the person; views show it beside the form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from portal.accounts.models import Language, Role, User
from portal.board import rules
from portal.board.models import (
    MAX_QUESTIONS,
    REVIEW_STEPS,
    UNDECIDED,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Channel,
    Compensation,
    Invitation,
    Opening,
    OpeningReport,
    OpeningSlot,
    OpeningStatus,
    Question,
    QuestionKind,
)
from portal.core.outbox import enqueue_on_commit
from portal.core.page_cache import content_changed
from portal.core.schedule import Window, utc_week_ranges
from portal.markup import render_markdown

# --- Channels -------------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:80] or "channel"
    slug, n = base, 2
    while Channel.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def channel_register(
    *,
    owner: User,
    name: str,
    twitch_login: str,
    category: str = "",
    languages: Iterable[Language] = (),
    typical_viewers: int = 0,
    timezone: str = "UTC",
    description: str = "",
) -> Channel:
    channel = Channel(
        owner=owner,
        name=name,
        slug=_unique_slug(name),
        twitch_login=twitch_login.lower(),
        category=category,
        typical_viewers=typical_viewers,
        timezone=timezone,
        description=description,
        description_html=render_markdown(description),
    )
    channel.full_clean()
    channel.save()
    channel.languages.set(languages)
    return channel


@transaction.atomic
def channel_update(
    *,
    channel: Channel,
    name: str,
    twitch_login: str,
    category: str,
    languages: Iterable[Language],
    typical_viewers: int,
    timezone: str,
    description: str,
) -> Channel:
    channel.name = name
    channel.twitch_login = twitch_login.lower()
    channel.category = category
    channel.typical_viewers = typical_viewers
    channel.timezone = timezone
    channel.description = description
    channel.description_html = render_markdown(description)
    channel.full_clean()
    channel.version = F("version") + 1  # read back by the save (RETURNING)
    channel.save()
    channel.languages.set(languages)
    return channel


# --- Openings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    """One application question as the owner wrote it."""

    prompt: str
    kind: str = QuestionKind.SHORT
    required: bool = True
    choices: list[str] = field(default_factory=list)


def local_today(tz_name: str, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(ZoneInfo(tz_name)).date()


def closing_instant(closes_on: date, tz_name: str) -> datetime:
    """The end of the closing day in the opening's timezone: applications are taken all day."""
    return datetime.combine(closes_on + timedelta(days=1), time(0), ZoneInfo(tz_name))


def _check_closes_on(closes_on: date, tz_name: str, now: datetime | None) -> None:
    today = local_today(tz_name, now)
    if closes_on < today:
        raise ValidationError(
            {"closes_on": "The closing date has passed; choose today or a later day."}
        )
    if closes_on > today + timedelta(days=rules.MAX_OPEN_DAYS):
        raise ValidationError(
            {
                "closes_on": f"An opening stays up at most {rules.MAX_OPEN_DAYS} days; "
                "choose an earlier closing date (you can extend it later)."
            }
        )


def _check_safety(opening: Opening, acknowledged_safety: bool) -> None:
    concerns = rules.safety_concerns(
        opening.title, opening.description, opening.requirements, opening.compensation_note
    )
    if concerns and not acknowledged_safety:
        raise ValidationError(
            {
                "acknowledge_safety": "This posting mentions "
                + ", ".join(concerns)
                + ". Openings must never ask applicants for passwords, stream keys or money. "
                "Change the text, or confirm below that it asks for none of them."
            },
            code="safety",
        )


def _set_schedule(opening: Opening, windows: list[Window]) -> None:
    opening.schedule = [w.as_json() for w in sorted(windows)]


def _refresh_slots(opening: Opening) -> None:
    OpeningSlot.objects.filter(opening=opening).delete()
    OpeningSlot.objects.bulk_create(
        OpeningSlot(opening=opening, start=start, end=end)
        for start, end in utc_week_ranges(opening.windows, opening.timezone)
    )


def _set_questions(opening: Opening, questions: Iterable[QuestionSpec]) -> None:
    questions = [q for q in questions if q.prompt.strip()]
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError(f"At most {MAX_QUESTIONS} questions, please.")
    rows = []
    for order, spec in enumerate(questions, start=1):
        choices = [c.strip() for c in spec.choices if c.strip()]
        if spec.kind == QuestionKind.CHOICE and len(choices) < 2:
            raise ValidationError(
                f"Question {order}: a single-choice question needs at least two choices."
            )
        question = Question(
            opening=opening,
            order=order,
            prompt=spec.prompt.strip(),
            kind=spec.kind,
            required=spec.required,
            choices=choices if spec.kind == QuestionKind.CHOICE else [],
        )
        question.full_clean(exclude=["opening"])
        rows.append(question)
    # Answers keep a copy of their prompt, so replacing the questions loses nothing.
    Question.objects.filter(opening=opening).delete()
    Question.objects.bulk_create(rows)


def _fill_opening(
    opening: Opening,
    *,
    title: str,
    description: str,
    requirements: str,
    windows: list[Window],
    hours_per_week: int,
    compensation: str,
    compensation_note: str,
    trial_days: int | None,
    closes_on: date,
) -> None:
    opening.title = title.strip()
    opening.description = description
    opening.description_html = render_markdown(description)
    opening.requirements = requirements
    opening.requirements_html = render_markdown(requirements)
    _set_schedule(opening, windows)
    opening.hours_per_week = hours_per_week
    opening.compensation = compensation
    opening.compensation_note = compensation_note.strip()
    opening.trial_days = trial_days or None
    opening.closes_on = closes_on
    opening.expires_at = closing_instant(closes_on, opening.timezone)


@transaction.atomic
def opening_create(
    *,
    channel: Channel,
    title: str,
    roles: Iterable[Role],
    languages: Iterable[Language] = (),
    description: str,
    requirements: str = "",
    windows: Sequence[Window] = (),
    hours_per_week: int,
    compensation: str = Compensation.VOLUNTEER,
    compensation_note: str = "",
    trial_days: int | None = None,
    closes_on: date | None = None,
    questions: Iterable[QuestionSpec] = (),
    now: datetime | None = None,
) -> Opening:
    """Save a new opening as a draft: only its owner sees it until it is published."""
    roles = list(roles)
    if not roles:
        raise ValidationError({"roles": "Choose at least one role you are looking for."})
    closes_on = closes_on or local_today(channel.timezone, now) + timedelta(
        days=rules.DEFAULT_OPEN_DAYS
    )
    _check_closes_on(closes_on, channel.timezone, now)
    opening = Opening(channel=channel, timezone=channel.timezone, status=OpeningStatus.DRAFT)
    _fill_opening(
        opening,
        title=title,
        description=description,
        requirements=requirements,
        windows=list(windows),
        hours_per_week=hours_per_week,
        compensation=compensation,
        compensation_note=compensation_note,
        trial_days=trial_days,
        closes_on=closes_on,
    )
    opening.full_clean()
    opening.save()
    opening.roles.set(roles)
    opening.languages.set(languages)
    _refresh_slots(opening)
    _set_questions(opening, questions)
    return opening


EDITABLE = [OpeningStatus.DRAFT, OpeningStatus.OPEN, OpeningStatus.PAUSED]


@transaction.atomic
def opening_update(
    *,
    opening: Opening,
    title: str,
    roles: Iterable[Role],
    languages: Iterable[Language],
    description: str,
    requirements: str,
    windows: list[Window],
    hours_per_week: int,
    compensation: str,
    compensation_note: str,
    trial_days: int | None,
    closes_on: date,
    questions: Iterable[QuestionSpec],
    acknowledged_safety: bool = False,
    now: datetime | None = None,
) -> Opening:
    """Change an opening. A public one is checked for scam words like a new posting."""
    if opening.status not in EDITABLE:
        raise ValidationError(
            f"A {opening.get_status_display().lower()} opening can no longer be edited."
        )
    roles = list(roles)
    if not roles:
        raise ValidationError({"roles": "Choose at least one role you are looking for."})
    _check_closes_on(closes_on, opening.timezone, now)
    if closes_on != opening.closes_on:
        opening.reminder_sent_at = None  # a new date earns a new reminder
    _fill_opening(
        opening,
        title=title,
        description=description,
        requirements=requirements,
        windows=windows,
        hours_per_week=hours_per_week,
        compensation=compensation,
        compensation_note=compensation_note,
        trial_days=trial_days,
        closes_on=closes_on,
    )
    if opening.status != OpeningStatus.DRAFT:
        _check_safety(opening, acknowledged_safety)
    opening.full_clean()
    opening.version = F("version") + 1  # its roles, languages, slots and questions too
    opening.save()
    opening.roles.set(roles)
    opening.languages.set(languages)
    _refresh_slots(opening)
    _set_questions(opening, questions)
    return opening


def posting_limit(*, user: User, now: datetime | None = None) -> rules.Limit:
    """How many openings this person may still publish today (fewer for new accounts)."""
    since = rules.window_start(now)
    allowed = (
        rules.OPENINGS_PER_DAY_NEW_ACCOUNT
        if rules.is_new_account(user, now=now)
        else rules.OPENINGS_PER_DAY
    )
    used = Opening.objects.filter(channel__owner=user, published_at__gte=since).count()
    return rules.Limit(allowed=allowed, used=used, since=since)


def _lock(opening: Opening) -> Opening:
    """Re-read the opening under a row lock, so two clicks cannot both change its state."""
    locked = Opening.objects.select_for_update(no_key=True).get(pk=opening.pk)
    opening.status = locked.status
    opening.published_at = locked.published_at
    return opening


@transaction.atomic
def opening_publish(
    *, opening: Opening, acknowledged_safety: bool = False, now: datetime | None = None
) -> Opening:
    """Draft → open, after the scam-word warning and the daily posting limit."""
    now = now or timezone.now()
    _lock(opening)
    if opening.status != OpeningStatus.DRAFT:
        raise ValidationError("Only a draft can be published.")
    owner = opening.channel.owner
    User.objects.select_for_update(no_key=True).filter(pk=owner.pk).first()  # one publish at a time
    _check_closes_on(opening.closes_on, opening.timezone, now)
    _check_safety(opening, acknowledged_safety)
    limit = posting_limit(user=owner, now=now)
    if limit.reached:
        newcomer = (
            " (new accounts post fewer while they settle in)"
            if rules.is_new_account(owner, now=now)
            else ""
        )
        raise ValidationError(
            f"You have published {limit.used} opening{'s' if limit.used != 1 else ''} in the "
            f"last 24 hours, the most we allow{newcomer}. Your draft is saved; publish it "
            "later.",
            code="rate_limited",
        )
    opening.status = OpeningStatus.OPEN
    opening.published_at = now
    opening.full_clean()
    opening.version = F("version") + 1
    opening.save(update_fields=["status", "published_at", "updated_at", "version"])
    return opening


# Owner-driven moves besides publishing: from → allowed targets.
_OWNER_MOVES: dict[str, list[str]] = {
    OpeningStatus.OPEN: [OpeningStatus.PAUSED, OpeningStatus.FILLED, OpeningStatus.CLOSED],
    OpeningStatus.PAUSED: [OpeningStatus.OPEN, OpeningStatus.FILLED, OpeningStatus.CLOSED],
    OpeningStatus.EXPIRED: [OpeningStatus.FILLED, OpeningStatus.CLOSED],
}


def _move(opening: Opening, to: str, *, now: datetime | None = None) -> Opening:
    _lock(opening)
    if to not in _OWNER_MOVES.get(opening.status, []):
        raise ValidationError(
            f"A {opening.get_status_display().lower()} opening cannot become "
            f"{OpeningStatus(to).label.lower()}."
        )
    if to == OpeningStatus.OPEN and opening.expires_at <= (now or timezone.now()):
        raise ValidationError("This opening has passed its closing date: extend it instead.")
    opening.status = to
    opening.version = F("version") + 1
    opening.save(update_fields=["status", "updated_at", "version"])
    return opening


@transaction.atomic
def opening_pause(*, opening: Opening) -> Opening:
    """Stop taking applications for a while; the opening leaves the board."""
    return _move(opening, OpeningStatus.PAUSED)


@transaction.atomic
def opening_resume(*, opening: Opening, now: datetime | None = None) -> Opening:
    return _move(opening, OpeningStatus.OPEN, now=now)


@transaction.atomic
def opening_close(*, opening: Opening) -> Opening:
    return _move(opening, OpeningStatus.CLOSED)


@transaction.atomic
def opening_fill(*, opening: Opening) -> Opening:
    return _move(opening, OpeningStatus.FILLED)


@transaction.atomic
def opening_extend(*, opening: Opening, closes_on: date, now: datetime | None = None) -> Opening:
    """Move the closing date (at most MAX_OPEN_DAYS ahead); an expired opening reopens."""
    _lock(opening)
    if opening.status not in (OpeningStatus.OPEN, OpeningStatus.PAUSED, OpeningStatus.EXPIRED):
        raise ValidationError(
            f"A {opening.get_status_display().lower()} opening cannot be extended."
        )
    _check_closes_on(closes_on, opening.timezone, now)
    opening.closes_on = closes_on
    opening.expires_at = closing_instant(closes_on, opening.timezone)
    opening.reminder_sent_at = None
    if opening.status == OpeningStatus.EXPIRED:
        opening.status = OpeningStatus.OPEN
    opening.full_clean()
    opening.version = F("version") + 1
    opening.save(
        update_fields=[
            "closes_on",
            "expires_at",
            "reminder_sent_at",
            "status",
            "updated_at",
            "version",
        ]
    )
    return opening


@transaction.atomic
def openings_expire(*, now: datetime | None = None) -> int:
    """Mark open and paused openings past their closing date expired (the hourly job)."""
    now = now or timezone.now()
    expired = Opening.objects.filter(
        status__in=[OpeningStatus.OPEN, OpeningStatus.PAUSED], expires_at__lte=now
    ).update(status=OpeningStatus.EXPIRED, updated_at=now, version=F("version") + 1)
    if expired:
        # Not a request, so the page cache's write hook did not see it: the opening pages
        # anonymous visitors were served now need their "expired" banner.
        content_changed()
    return expired


@transaction.atomic
def opening_reminders_queue(*, now: datetime | None = None) -> int:
    """Queue one reminder per open opening closing within REMINDER_DAYS_BEFORE days that has
    not had one for its current date. Marked first, sent after commit: a second run of the
    job finds nothing to do."""
    from portal.board.tasks import send_opening_reminder

    now = now or timezone.now()
    due = Opening.objects.filter(
        status=OpeningStatus.OPEN,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=rules.REMINDER_DAYS_BEFORE),
        reminder_sent_at__isnull=True,
    )
    ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True))
    Opening.objects.filter(pk__in=ids).update(reminder_sent_at=now, version=F("version") + 1)
    for pk in ids:
        enqueue_on_commit(send_opening_reminder, pk)
    return len(ids)


@transaction.atomic
def opening_remove(*, opening: Opening, staff: User, reason: str) -> Opening:
    """Staff take an opening down; its page disappears for everyone but its owner and staff,
    every open report on it is resolved, and the owner is told why."""
    from portal.board.tasks import send_opening_removed

    if not staff.is_staff:
        raise ValidationError("Only staff remove openings.")
    if not reason.strip():
        raise ValidationError({"reason": "Tell the owner why the opening is removed."})
    _lock(opening)
    if opening.status == OpeningStatus.REMOVED:
        raise ValidationError("This opening is already removed.")
    now = timezone.now()
    opening.status = OpeningStatus.REMOVED
    opening.removed_reason = reason.strip()
    opening.removed_at = now
    opening.full_clean()
    opening.version = F("version") + 1
    opening.save(update_fields=["status", "removed_reason", "removed_at", "updated_at", "version"])
    OpeningReport.objects.unresolved().filter(opening=opening).update(
        resolved_at=now, resolved_by=staff, resolution=OpeningReport.Resolution.REMOVED
    )
    enqueue_on_commit(send_opening_removed, opening.pk)
    return opening


# --- Applications ---------------------------------------------------------------------------


def application_limit(*, user: User, now: datetime | None = None) -> rules.Limit:
    since = rules.window_start(now)
    used = Application.objects.filter(applicant=user, created_at__gte=since).count()
    return rules.Limit(allowed=rules.APPLICATIONS_PER_DAY, used=used, since=since)


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
    # One application at a time per person, so the daily count below cannot be raced past.
    User.objects.select_for_update(no_key=True).filter(pk=applicant.pk).first()
    if Application.objects.filter(opening=opening, applicant=applicant).exists():
        raise ValidationError("You have already applied to this opening.", code="duplicate")
    limit = application_limit(user=applicant, now=now)
    if limit.reached:
        raise ValidationError(
            f"You have sent {limit.used} applications in the last 24 hours, the most we "
            "accept in a day. Please try again tomorrow.",
            code="rate_limited",
        )
    application = Application(
        opening=opening,
        applicant=applicant,
        message=message.strip(),
        message_html=render_markdown(message.strip()),
        answers=_clean_answers(opening.questions.all(), answers),
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # the same person, twice at once: the constraint decides
        raise ValidationError(
            "You have already applied to this opening.", code="duplicate"
        ) from None
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


@transaction.atomic
def application_move(
    *,
    application: Application,
    actor: User,
    to_status: str,
    reason: str = "",
    mark_filled: bool = False,
) -> ApplicationEvent:
    """The owner moves an application one step on (shortlist, trial, accept, decline). Kept
    in the history; the applicant is emailed after commit. Accepting may fill the opening."""
    from portal.board.tasks import send_application_update

    if not application.opening.is_owned_by(actor):
        raise ValidationError("Only the channel's owner reviews its applications.")
    _lock_application(application)
    if to_status not in REVIEW_STEPS[application.status]:
        raise ValidationError(
            {
                "status": f"A {application.get_status_display().lower()} application cannot be "
                f"moved to {ApplicationStatus(to_status).label.lower()}."
            }
        )
    reason = reason.strip() if to_status == ApplicationStatus.DECLINED else ""
    event = ApplicationEvent(
        application=application,
        actor=actor,
        from_status=application.status,
        to_status=to_status,
        reason=reason,
    )
    application.status = to_status
    if to_status == ApplicationStatus.DECLINED:
        application.decline_reason = reason
    application.full_clean()
    application.save(update_fields=["status", "decline_reason", "updated_at"])
    event.full_clean()
    event.save()
    fillable = OpeningStatus.FILLED in _OWNER_MOVES.get(application.opening.status, [])
    if to_status == ApplicationStatus.ACCEPTED and mark_filled and fillable:
        opening_fill(opening=application.opening)
    enqueue_on_commit(send_application_update, event.pk)
    return event


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


# --- Invitations and reports ----------------------------------------------------------------


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


@transaction.atomic
def report_create(
    *, opening: Opening, reporter: User, reason: str, details: str = ""
) -> OpeningReport:
    """Someone signed in reports an opening to staff (once per opening)."""
    if opening.is_owned_by(reporter):
        raise ValidationError("You can't report your own opening.")
    if OpeningReport.objects.filter(opening=opening, reporter=reporter).exists():
        raise ValidationError("You have already reported this opening; staff will look at it.")
    since = rules.window_start()
    if (
        OpeningReport.objects.filter(reporter=reporter, created_at__gte=since).count()
        >= rules.REPORTS_PER_DAY
    ):
        raise ValidationError(
            "You have sent many reports today; staff are working through them. Please try "
            "again tomorrow.",
            code="rate_limited",
        )
    report = OpeningReport(opening=opening, reporter=reporter, reason=reason, details=details)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_dismiss(*, report: OpeningReport, staff: User) -> OpeningReport:
    if not staff.is_staff:
        raise ValidationError("Only staff resolve reports.")
    if report.resolved_at is not None:
        raise ValidationError("This report is already resolved.")
    report.resolved_at = timezone.now()
    report.resolved_by = staff
    report.resolution = OpeningReport.Resolution.DISMISSED
    report.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return report
