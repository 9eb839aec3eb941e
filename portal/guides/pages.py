"""The guides index and a lesson page, split into the part every signed-in reader of a class
shares and the pieces that are one reader's own (portal/core/reader_cache.py).

Forty readers opening the same lesson see the same body, contents, track navigation, checklist
and questions; they differ in what they have done there. So the shared part is the lesson (and
the index's track cards) rendered once, with holes, and each request fills the holes from the
reader's own rows, read in a fixed number of queries: on a lesson, their progress, last check
attempt and feedback; on the index, the lessons they have read, their badges and their roles.

A reader's *class* here is whether they are signed in (the forms and holes are only for
readers who are) and, on the index, whether they are staff (a link to the feedback review).
A reader who has just sent a form with a mistake in it is served alone: the page is built for
them, with their form and its errors, by the same code and without the cache.

The pieces are small and written here with ``format_html`` rather than with templates:
rendering a template for each hole would give back much of what sharing the page saves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from portal.core.reader_forms import FormHoles, draw
from portal.guides import selectors
from portal.guides.forms import CheckForm, ChecklistForm, FeedbackForm, SearchForm
from portal.guides.selectors import LessonReading, LibraryReading, TrackOutline


def reader_class(user, *, staff_apart: bool = False) -> tuple:
    """What a guides page's shared part varies by: signed in or not, and, where the page
    shows staff something more (``staff_apart``), staff or not."""
    if not (user and user.is_authenticated):
        return ("visitor",)
    return ("reader", staff_apart and bool(user.is_staff))


def _day(moment: datetime) -> str:
    """A moment as the templates write it with ``|date:"j F Y"`` (in the reader's zone)."""
    return date_format(localtime(moment), "j F Y")


# --- /guides/ ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexPart:
    html: str
    tracks: tuple[TrackOutline, ...]


def index_part(*, signed_in: bool, is_staff: bool, path: str) -> IndexPart:
    cards = selectors.library_cards()
    context = {
        "cards": cards,
        "signed_in": signed_in,
        "is_staff": is_staff,
        "path": path,
        "search_form": SearchForm(),
    }
    html = render_to_string("guides/shared/index.html", context)
    return IndexPart(html=html, tracks=tuple(card.outline for card in cards))


def index_pieces(part: IndexPart, reading: LibraryReading) -> dict[str, str]:
    """Each card's marks (fits your roles, badge), progress and next lesson, and the
    "continue where you left off" list of tracks started and not yet finished."""
    pieces: dict[str, str] = {}
    started = []
    for track in part.tracks:
        done = sum(1 for pk, _title, _url in track.lessons if pk in reading.read)
        next_lesson = next((le for le in track.lessons if le[0] not in reading.read), None)
        certificate = reading.certificates.get(track.pk)
        fits = track.role_slug is not None and track.role_slug in reading.role_slugs
        hole = f"track-{track.pk}"
        pieces[f"{hole}.marks"] = _marks(fits=fits, certificate=certificate)
        pieces[f"{hole}.done"] = str(done)
        percent = round(100 * done / len(track.lessons)) if track.lessons else 0
        pieces[f"{hole}.percent"] = str(percent)
        pieces[f"{hole}.next"] = (
            format_html(
                '<p><a href="{}">{}<span class="guides-sr-only"> {}</span>: {}</a></p>',
                next_lesson[2],
                "Continue" if done else "Start",
                track.title,
                next_lesson[1],
            )
            if next_lesson
            else ""
        )
        if done and not certificate:
            started.append((track, next_lesson))
    pieces["continue"] = _continue(started)
    return pieces


def _marks(*, fits: bool, certificate: str | None) -> str:
    if not (fits or certificate):
        return ""
    fit = format_html('<span class="badge badge-open">{}</span> ', "Fits your roles")
    badge = (
        format_html('<a class="badge badge-verified" href="{}">Badge earned</a>', certificate)
        if certificate
        else ""
    )
    return format_html("<p>{}{}</p>", fit if fits else "", badge)


def _continue(started: list[tuple[TrackOutline, tuple | None]]) -> str:
    if not started:
        return ""
    items = format_html_join(
        "\n",
        "<li>{}</li>",
        (
            (
                format_html(
                    '<a href="{}">{}</a> <span class="muted">in {}</span>',
                    next_lesson[2],
                    next_lesson[1],
                    track.title,
                )
                if next_lesson
                else format_html(
                    '<a href="{}">{}</a> <span class="muted">every lesson read; finish the '
                    "knowledge check for the badge</span>",
                    track.url,
                    track.title,
                ),
            )
            for track, next_lesson in started
        ),
    )
    return format_html(
        '<section aria-labelledby="continue-heading">\n'
        '  <h2 id="continue-heading">Continue where you left off</h2>\n'
        '  <ul class="guides-continue">\n{}\n  </ul>\n</section>',
        items,
    )


# --- /guides/<track>/<lesson>/ ----------------------------------------------------------------


@dataclass(frozen=True)
class LessonPart:
    html: str
    title: str
    summary: str
    lesson_id: int
    track_id: int
    questions: list[dict]
    questions_hash: str
    changed_at: datetime
    checklist: FormHoles | None
    feedback: FormHoles | None


FORM_FIELDS = "includes/form_fields.html"


def lesson_part(
    *,
    track_slug: str,
    lesson_slug: str,
    signed_in: bool,
    path: str,
    check_form: CheckForm | None = None,
    feedback_form: FeedbackForm | None = None,
) -> LessonPart:
    """The lesson with holes; ``check_form`` and ``feedback_form`` are a reader's own sent
    forms with their errors, for a page served to that reader alone."""
    page = selectors.lesson_page(track_slug=track_slug, lesson_slug=lesson_slug)
    lesson = page.lesson
    context = {
        "page": page,
        "lesson": lesson,
        "track": lesson.track,
        "signed_in": signed_in,
        "path": path,
    }
    checklist = feedback = None
    if signed_in:
        if lesson.checklist:
            form = ChecklistForm(lesson.checklist, label="After reading")
            context["checklist_fields"], checklist = draw(form, name="checklist")
        if lesson.questions:
            form = check_form or CheckForm(lesson.questions)
            context["check_fields"] = render_to_string(FORM_FIELDS, {"form": form})
        if feedback_form is None:
            context["feedback_fields"], feedback = draw(FeedbackForm(), name="feedback")
        else:
            context["feedback_fields"] = render_to_string(FORM_FIELDS, {"form": feedback_form})
    return LessonPart(
        html=render_to_string("guides/shared/lesson.html", context),
        title=f"{lesson.title} · {lesson.track.title}",
        summary=lesson.summary,
        lesson_id=lesson.pk,
        track_id=lesson.track_id,
        questions=lesson.questions,
        questions_hash=lesson.questions_hash,
        changed_at=lesson.content_changed_at,
        checklist=checklist,
        feedback=feedback,
    )


READ_MARK = ' · <span class="badge badge-verified">Read</span>'


def lesson_pieces(part: LessonPart, reading: LessonReading) -> dict[str, str]:
    read_on = _day(reading.completed_at) if reading.is_read else ""
    pieces = {
        "read-mark": READ_MARK if reading.is_read else "",
        "outdated": (
            format_html(
                '<p class="notice guides-updated-notice"><strong>Updated since you read it.'
                "</strong> This lesson changed on {}, after you marked it read on {}. It is "
                "worth another look.</p>",
                _day(part.changed_at),
                read_on,
            )
            if reading.is_read and reading.completed_at < part.changed_at
            else ""
        ),
        "progress": (
            format_html(
                "<p>You marked this lesson read on {}.\n"
                '  <input type="hidden" name="completed" value="no">\n'
                '  <button type="submit" class="button-secondary button-small">Mark as not read'
                "</button></p>",
                read_on,
            )
            if reading.is_read
            else '<input type="hidden" name="completed" value="yes">\n'
            '<p><button type="submit">Mark as read</button></p>'
        ),
        "check-status": _check_status(part, reading),
        "feedback-answered": _feedback_answered(reading.feedback),
    }
    if part.checklist:
        pieces.update(part.checklist.pieces({"items": reading.checklist_done}))
    if part.feedback:
        answers = {}
        if reading.feedback:
            helpful, reason, comment, _updated_at = reading.feedback
            answers = {"helpful": "yes" if helpful else "no", "reason": reason, "comment": comment}
        pieces.update(part.feedback.pieces(answers))
    return pieces


def _feedback_answered(feedback: tuple | None) -> str:
    if feedback is None:
        return ""
    helpful, _reason, _comment, updated_at = feedback
    return format_html(
        '<p class="muted small">You answered “{}” on {}; you can change it.</p>',
        "yes" if helpful else "no",
        _day(updated_at),
    )


def _check_status(part: LessonPart, reading: LessonReading) -> str:
    passed = (
        format_html(
            '<p><span class="badge badge-verified">Passed</span> You passed this check on {}.</p>',
            _day(reading.check_passed_at),
        )
        if reading.check_passed
        else ""
    )
    results = selectors.check_results(part.questions, part.questions_hash, reading.attempt)
    if not results:
        return passed
    attempt = reading.attempt
    return format_html(
        "{}\n<h3>Your last answers: {} of {}</h3>\n{}\n<h3>Try again</h3>",
        passed,
        attempt.score,
        attempt.total,
        render_to_string("guides/includes/check_results.html", {"results": results}),
    )
