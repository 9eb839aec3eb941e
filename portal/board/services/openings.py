"""Writing an opening: a new draft and an owner's edit (text, schedule, roles, languages,
questions), checked for the closing date and, once public, for what scams ask for. An edit
moves the opening's version, which keys its cached card and page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypedDict, Unpack
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.accounts.models import Language, Role
from portal.board import rules
from portal.board.models import (
    MAX_QUESTIONS,
    Channel,
    Compensation,
    Opening,
    OpeningSlot,
    OpeningStatus,
    Question,
    QuestionKind,
)
from portal.core.schedule import Window
from portal.markup import render_markdown


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


def check_closes_on(closes_on: date, tz_name: str, now: datetime | None) -> None:
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


def check_safety(
    opening: Opening, acknowledged_safety: bool, questions: Iterable[rules.Asked]
) -> None:
    """Hold a public posting that asks for what scams ask for, in its text or its questions,
    until the owner confirms it does not."""
    concerns = rules.opening_concerns(opening, questions)
    if concerns and not acknowledged_safety:
        raise ValidationError(
            {
                "acknowledge_safety": "This posting mentions "
                + ", ".join(concerns)
                + f". {rules.NEVER_ASK} Change the text or the questions, or confirm below "
                "that it asks for none of them."
            },
            code="safety",
        )


def _set_schedule(opening: Opening, windows: list[Window]) -> None:
    opening.schedule = [w.as_json() for w in sorted(windows)]


def _refresh_slots(opening: Opening) -> None:
    OpeningSlot.objects.filter(opening=opening).delete()
    OpeningSlot.objects.bulk_create(
        OpeningSlot.written(window, opening.timezone, opening=opening) for window in opening.windows
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


class OpeningFields(TypedDict):
    """What an opening's owner writes, the same when creating and when editing."""

    title: str
    description: str
    requirements: str
    windows: list[Window]
    hours_per_week: int
    compensation: str
    compensation_note: str
    trial_days: int | None
    closes_on: date


def _fill_opening(opening: Opening, **fields: Unpack[OpeningFields]) -> None:
    opening.title = fields["title"].strip()
    opening.description = fields["description"]
    opening.description_html = render_markdown(fields["description"])
    opening.requirements = fields["requirements"]
    opening.requirements_html = render_markdown(fields["requirements"])
    _set_schedule(opening, fields["windows"])
    opening.hours_per_week = fields["hours_per_week"]
    opening.compensation = fields["compensation"]
    opening.compensation_note = fields["compensation_note"].strip()
    opening.trial_days = fields["trial_days"] or None
    opening.closes_on = fields["closes_on"]
    opening.expires_at = closing_instant(fields["closes_on"], opening.timezone)


def _save_with_lists(
    opening: Opening,
    *,
    roles: list[Role],
    languages: Iterable[Language],
    questions: Iterable[QuestionSpec],
) -> None:
    """Save the opening, then what hangs off it: roles, languages, slots and questions."""
    opening.save()
    opening.roles.set(roles)
    opening.languages.set(languages)
    _refresh_slots(opening)
    _set_questions(opening, questions)


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
    check_closes_on(closes_on, channel.timezone, now)
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
    _save_with_lists(opening, roles=roles, languages=languages, questions=questions)
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
    check_closes_on(closes_on, opening.timezone, now)
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
    questions = list(questions)
    if opening.status != OpeningStatus.DRAFT:
        check_safety(opening, acknowledged_safety, questions)
    opening.full_clean()
    opening.version = F("version") + 1  # its roles, languages, slots and questions too
    _save_with_lists(opening, roles=roles, languages=languages, questions=questions)
    return opening
