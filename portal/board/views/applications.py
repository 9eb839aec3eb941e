"""Applying to an opening, a person's own applications, one application's page, and the
owner's review of every application to their opening. Staff read the last two only through
an open report on the opening, and every application shown to them is logged first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from portal.accounts.second_factor import require_second_factor
from portal.board import selectors, services
from portal.board.forms import ApplyForm, BulkMoveForm, ReviewForm
from portal.board.models import Application, ApplicationStatus, Opening, OpeningReport, StaffRead
from portal.board.views.common import PAGE_SIZE, page_of
from portal.core.forms import add_refusal, refusal_response
from portal.core.once import AlreadyDone
from portal.core.text import whole_number
from portal.core.weeks import week_of, windows_for_reader


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    opening = selectors.opening_for_viewer(pk=pk, viewer=request.user)
    if opening.is_owned_by(request.user):
        raise PermissionDenied("You can't apply to your own opening.")
    existing = selectors.reader_application(opening=opening, reader=request.user)
    if existing is not None:
        return _already_applied(request, existing)
    if not opening.takes_applications:
        raise PermissionDenied(
            f"This opening is {opening.shown_status_label.lower()} and takes no applications."
        )
    questions = list(opening.questions.all())
    form = ApplyForm(request.POST or None, questions=questions)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                application = services.application_submit(
                    opening=opening,
                    applicant=request.user,
                    message=form.cleaned_data["message"],
                    answers=form.answers(),
                )
            except AlreadyDone:  # the same application sent twice at once
                existing = selectors.reader_application(opening=opening, reader=request.user)
                return _already_applied(request, existing or opening)
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(
                    request,
                    f"Your application is sent to {opening.channel.name}. "
                    "We will email you when it moves.",
                )
                return redirect(application)
    page = render(
        request,
        "board/apply.html",
        {"opening": opening, "form": form, "profile": request.user.profile},
        status=status,
    )
    return refusal_response(page, form)


def _already_applied(request: HttpRequest, application: Application | Opening) -> HttpResponse:
    messages.info(request, "You have already applied to this opening.")
    return redirect(application)


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.applications_of(applicant=request.user))
    return render(request, "board/my_applications.html", {"page": page})


def _applicant_card(application, reader_tz: str, badges: dict) -> dict:
    profile = application.applicant.profile
    return {
        "application": application,
        "profile": profile,
        "windows": windows_for_reader(profile.windows, profile.timezone, reader_tz, week_of()),
        "badges": badges.get(application.applicant_id, []),
    }


def _staff_report(request: HttpRequest, opening: Opening) -> OpeningReport:
    """The open report through which staff read an opening's applications; 404 without one
    (or for anyone else): to a stranger, applications do not exist."""
    report = selectors.report_for_staff_read(opening=opening, viewer=request.user)
    if report is None:
        raise Http404("No such application.")
    # Reading applications is a staff tool on a page the owner shares: refused, with the page
    # that explains, to staff without a second factor (portal/accounts/second_factor.py).
    require_second_factor(request.user)
    return report


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_viewer(pk=pk, viewer=request.user)
    opening = application.opening
    is_owner = opening.is_owned_by(request.user)
    is_applicant = application.applicant_id == request.user.pk
    report = None
    if not (is_owner or is_applicant):
        report = _staff_report(request, opening)
        services.staff_reads_log(
            staff=request.user,
            report=report,
            applications=[application],
            page=StaffRead.Page.APPLICATION,
        )
    reader_tz = request.user.profile.timezone
    context = {
        "application": application,
        "opening": opening,
        "is_owner": is_owner,
        "is_applicant": is_applicant,
        "staff_report": report,
        "card": _applicant_card(
            application,
            reader_tz,
            selectors.guide_badges_for([application.applicant_id]),
        ),
        "reader_tz": reader_tz,
    }
    if is_owner or report is not None:
        # Next and previous within the review table's tab the reader came from.
        tab = _tab(request)
        previous, following = selectors.review_neighbours(application=application, status=tab)
        context.update(tab=tab, previous_pk=previous, next_pk=following)
    if is_owner and application.next_steps:
        context["review_form"] = ReviewForm(steps=application.next_steps)
    return render(request, "board/application_detail.html", context)


def _tab(request: HttpRequest) -> str:
    """The review table's status tab asked for (``?status=``); every status when junk."""
    status = request.GET.get("status", "")
    return status if status in ApplicationStatus.values else ""


def _review_page(
    request: HttpRequest,
    opening: Opening,
    *,
    report: OpeningReport | None,
    bulk_form: BulkMoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    tab = _tab(request)
    page = page_of(request, selectors.applications_for_review(opening=opening, status=tab))
    if report is not None:
        services.staff_reads_log(
            staff=request.user,
            report=report,
            applications=list(page),
            page=StaffRead.Page.REVIEW,
        )
    reader_tz = request.user.profile.timezone
    rows = selectors.applicant_rows(applications=page, opening=opening, reader_tz=reader_tz)
    counts = selectors.application_counts(opening=opening)
    is_owner = report is None
    if is_owner and bulk_form is None:
        bulk_form = BulkMoveForm(applications=[], auto_id="id_bulk_%s")
    return render(
        request,
        "board/review.html",
        {
            "opening": opening,
            "page": page,
            "rows": rows,
            "status": tab,
            "status_label": ApplicationStatus(tab).label.lower() if tab else "",
            "counts": [(s, label, counts.get(s, 0)) for s, label in ApplicationStatus.choices],
            "total": sum(counts.values()),
            "is_owner": is_owner,
            "bulk_form": bulk_form,
            # Ticks kept when the form comes back with an error.
            "ticked": {str(v) for v in bulk_form["applications"].value() or []}
            if bulk_form
            else set(),
            "staff_report": report,
            "reader_tz": reader_tz,
            "badges_available": selectors.badges_available(),
        },
        status=status,
    )


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's review table: every application to one opening, a tab per status. Staff
    may read it only through an open report on the opening, each row shown logged."""
    opening = selectors.opening_for_viewer(pk=pk, viewer=request.user)
    report = None if opening.is_owned_by(request.user) else _staff_report(request, opening)
    return _review_page(request, opening, report=report)


@require_POST
@login_required
def review_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The review table's bulk move: the ticked applications to one stage, each through the
    single move's service (its rules, history and email); those refused are named, with why.
    Only the owner: to anyone else the opening's applications do not exist (404)."""
    opening = selectors.opening_for_viewer(pk=pk, viewer=request.user)
    if not opening.is_owned_by(request.user):
        raise Http404("No such application.")
    ticked = [n for v in request.POST.getlist("applications") if (n := whole_number(v)) is not None]
    applications = list(
        selectors.applications_for_review(opening=opening).filter(pk__in=ticked[:PAGE_SIZE])
    )
    form = BulkMoveForm(
        request.POST,
        applications=[(a.pk, a.applicant.display_name) for a in applications],
        auto_id="id_bulk_%s",
    )
    if not form.is_valid():
        return _review_page(request, opening, report=None, bulk_form=form, status=400)
    chosen = set(form.cleaned_data["applications"])
    for application in applications:
        application.opening = opening  # read once, not once per application's owner check
    result = services.applications_move(
        applications=[a for a in applications if a.pk in chosen],
        actor=request.user,
        to_status=form.cleaned_data["status"],
        reason=form.cleaned_data["reason"],
        reason_shared=form.cleaned_data["reason_shared"],
    )
    if result.moved:
        stage = result.moved[0].to_label.lower()
        names = ", ".join(e.application.applicant.display_name for e in result.moved)
        messages.success(request, f"{stage.capitalize()}: {names}. We emailed them.")
    for application, why in result.refused:
        messages.error(request, f"Not moved: {application.applicant.display_name}. {why}")
    tab = _tab(request)
    url = reverse("board:review", kwargs={"pk": opening.pk})
    return redirect(f"{url}?status={tab}" if tab else url)


@require_POST
@login_required
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_viewer(pk=pk, viewer=request.user)
    if not application.opening.is_owned_by(request.user):
        raise PermissionDenied("Only the channel's owner reviews its applications.")
    form = ReviewForm(request.POST, steps=application.next_steps)
    if form.is_valid():
        try:
            event = services.application_move(
                application=application,
                actor=request.user,
                to_status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                reason_shared=form.cleaned_data["reason_shared"],
                mark_filled=form.cleaned_data["mark_filled"],
            )
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            name = application.applicant.display_name
            messages.success(request, f"{name}: {event.to_label.lower()}. We emailed them.")
            if request.POST.get("next") == "review":
                return redirect("board:review", pk=application.opening_id)
            return redirect(application)
    # A stale page (the application moved on meanwhile) or a bad choice: say so, change nothing.
    page = render(
        request,
        "board/application_move_error.html",
        {"application": application, "form": form},
        status=400,
    )
    return refusal_response(page, form)


@require_http_methods(["GET", "POST"])
@login_required
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdrawing asks first (a page of its own, so no script is needed): GET shows what
    withdrawing means, POST does it."""
    application = selectors.application_for_viewer(pk=pk, viewer=request.user)
    if application.applicant_id != request.user.pk:
        raise PermissionDenied("Only the applicant can withdraw an application.")
    if request.method == "GET":
        if not application.is_undecided:
            return redirect(application)
        return render(request, "board/application_withdraw.html", {"application": application})
    try:
        services.application_withdraw(application=application, applicant=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Your application is withdrawn.")
    return redirect(application)
