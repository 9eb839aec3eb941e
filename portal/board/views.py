"""Board pages. Thin: a selector reads (and decides who may see what), a form validates, a
service acts, and the view redirects or renders."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal.accounts.models import Profile, User
from portal.board import selectors, services
from portal.board.forms import (
    ApplyForm,
    BoardFilterForm,
    ChannelForm,
    DirectoryFilterForm,
    ExtendForm,
    InviteForm,
    OpeningForm,
    PublishForm,
    RemoveForm,
    ReportForm,
    ReviewForm,
    question_formset,
)
from portal.board.models import (
    ApplicationStatus,
    Channel,
    OpeningReport,
    OpeningStatus,
)
from portal.board.reference import reference
from portal.board.rules import safety_concerns
from portal.core.schedule import windows_in_timezone

PAGE_SIZE = selectors.PAGE_SIZE  # every list of the board pages as the board itself


def _page(request: HttpRequest, items, size: int = PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("page"))


def _show_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError beside the matching fields (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _status_for(exc: ValidationError) -> int:
    codes = {e.code for e in exc.error_list} if not hasattr(exc, "error_dict") else set()
    return 429 if "rate_limited" in codes else 400


def _reader_tz(request: HttpRequest, fallback: str) -> str:
    return request.user.profile.timezone if request.user.is_authenticated else fallback


def staff_required(view):
    """Staff only: anonymous visitors go to the login page, other people get a 403."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("Only Modhall staff can do that.")
        return view(request, *args, **kwargs)

    return wrapper


# --- Channels -------------------------------------------------------------------------------


def channel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    channel = get_object_or_404(
        Channel.objects.with_owner().prefetch_related("languages"), slug=slug
    )
    openings = selectors.channel_openings(channel=channel, viewer=request.user)
    return render(request, "board/channel_detail.html", {"channel": channel, "openings": openings})


@login_required
def channel_create(request: HttpRequest) -> HttpResponse:
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        channel = services.channel_register(owner=request.user, **form.cleaned_data)
        messages.success(request, f"{channel.name} is registered.")
        return redirect(channel)
    return render(request, "board/channel_form.html", {"form": form, "channel": None})


@login_required
def channel_edit(request: HttpRequest, slug: str) -> HttpResponse:
    # Only the owner edits; anyone else gets a 404 rather than learning what they can't do.
    channel = get_object_or_404(Channel, slug=slug, owner=request.user)
    if request.method == "POST":
        form = ChannelForm(request.POST, channel=channel)
        if form.is_valid():
            services.channel_update(channel=channel, **form.cleaned_data)
            messages.success(request, "Channel saved.")
            return redirect(channel)
    else:
        form = ChannelForm(
            channel=channel,
            initial={
                "name": channel.name,
                "twitch_login": channel.twitch_login,
                "category": channel.category,
                "languages": list(channel.languages.all()),
                "typical_viewers": channel.typical_viewers,
                "timezone": channel.timezone,
                "description": channel.description,
            },
        )
    return render(request, "board/channel_form.html", {"form": form, "channel": channel})


# --- The board ------------------------------------------------------------------------------


def _feed_query(filters: selectors.BoardFilters) -> str:
    """The feeds filter by role and language only; keep those the reader chose."""
    query = urlencode(
        {k: v for k, v in [("role", filters.role), ("language", filters.language)] if v}
    )
    return f"?{query}" if query else ""


def index(request: HttpRequest) -> HttpResponse:
    ref = reference()
    signed_in = request.user.is_authenticated
    form = BoardFilterForm(
        request.GET, roles=ref.roles, languages=ref.languages, signed_in=signed_in
    )
    filters = form.filters()
    board = selectors.board_page(
        filters=filters, number=request.GET.get("page"), reader=request.user, ref=ref
    )
    return render(
        request,
        "board/index.html",
        {
            "form": form,
            "page": board.page,
            "labels_version": board.labels_version,
            "filtered": filters.is_filtered,
            "has_availability": board.has_availability,
            "feed_query": _feed_query(filters),
        },
    )


def _opening_page(
    request: HttpRequest,
    pk: int,
    *,
    publish_form: PublishForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.opening_page(pk=pk, viewer=request.user)
    opening = page.opening
    context = {"opening_page": page, "opening": opening, "channel": opening.channel}
    if page.is_owner:
        context["concerns"] = safety_concerns(
            opening.title, opening.description, opening.requirements, opening.compensation_note
        )
        context["publish_form"] = publish_form or PublishForm()
        context["application_total"] = sum(page.application_counts.values())
    return render(request, "board/opening_detail.html", context, status=status)


def opening_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _opening_page(request, pk)


def _opening_form_page(request, *, form, questions, opening=None, status=200) -> HttpResponse:
    return render(
        request,
        "board/opening_form.html",
        {"form": form, "questions": questions, "opening": opening},
        status=status,
    )


@login_required
def opening_create(request: HttpRequest) -> HttpResponse:
    if not Channel.objects.filter(owner=request.user).exists():
        return render(request, "board/opening_needs_channel.html")
    if request.method != "POST":
        channel = Channel.objects.filter(
            owner=request.user, slug=request.GET.get("channel", "")
        ).first()
        form = OpeningForm(owner=request.user, initial={"channel": channel} if channel else {})
        return _opening_form_page(request, form=form, questions=question_formset())
    form = OpeningForm(request.POST, owner=request.user)
    more = "more_questions" in request.POST
    questions = question_formset(data=request.POST, add_slots=3 if more else 0)
    if more:  # no JavaScript needed: post back, get more blank question slots
        form.is_valid()
        return _opening_form_page(request, form=form, questions=questions)
    if form.is_valid() and questions.is_valid():
        try:
            opening = services.opening_create(
                channel=form.cleaned_data["channel"],
                questions=[q for f in questions if (q := f.spec())],
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(
                request,
                "Your opening is saved as a draft: only you can see it. Check it, then publish it.",
            )
            return redirect(opening)
    return _opening_form_page(request, form=form, questions=questions, status=400)


@login_required
def opening_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opening = selectors.opening_for_owner(pk=pk, user=request.user)
    if opening.status not in services.EDITABLE:
        raise PermissionDenied(
            f"This opening is {opening.get_status_display().lower()}; it can no longer be edited."
        )
    if request.method != "POST":
        form = OpeningForm(
            owner=request.user, opening=opening, initial=OpeningForm.initial_for(opening)
        )
        questions = question_formset(questions=list(opening.questions.all()))
        return _opening_form_page(request, form=form, questions=questions, opening=opening)
    form = OpeningForm(request.POST, owner=request.user, opening=opening)
    more = "more_questions" in request.POST
    questions = question_formset(data=request.POST, add_slots=3 if more else 0)
    if more:
        form.is_valid()
        return _opening_form_page(request, form=form, questions=questions, opening=opening)
    if form.is_valid() and questions.is_valid():
        try:
            services.opening_update(
                opening=opening,
                questions=[q for f in questions if (q := f.spec())],
                acknowledged_safety=form.cleaned_data["acknowledge_safety"],
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, "Opening saved.")
            return redirect(opening)
    return _opening_form_page(request, form=form, questions=questions, opening=opening, status=400)


@require_POST
@login_required
def opening_publish(request: HttpRequest, pk: int) -> HttpResponse:
    opening = selectors.opening_for_owner(pk=pk, user=request.user)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        services.opening_publish(
            opening=opening, acknowledged_safety=form.cleaned_data["acknowledge_safety"]
        )
    except ValidationError as exc:
        _show_errors(form, exc)
        return _opening_page(request, opening.pk, publish_form=form, status=_status_for(exc))
    messages.success(request, "Your opening is on the board.")
    return redirect(opening)


OPENING_ACTIONS = {
    "pause": (services.opening_pause, "Paused: the opening is off the board until you resume it."),
    "resume": (services.opening_resume, "Resumed: the opening is back on the board."),
    "close": (services.opening_close, "Closed: the opening takes no more applications."),
    "fill": (services.opening_fill, "Marked filled. Congratulations on your new moderator!"),
}


@require_POST
@login_required
def opening_action(request: HttpRequest, pk: int) -> HttpResponse:
    opening = selectors.opening_for_owner(pk=pk, user=request.user)
    action = OPENING_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return HttpResponseBadRequest("Unknown action: use pause, resume, close or fill.")
    service, done = action
    try:
        service(opening=opening)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(opening)


@login_required
def opening_extend(request: HttpRequest, pk: int) -> HttpResponse:
    opening = selectors.opening_for_owner(pk=pk, user=request.user)
    form = ExtendForm(request.POST or None, initial={"closes_on": opening.closes_on})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.opening_extend(opening=opening, closes_on=form.cleaned_data["closes_on"])
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(
                request, f"The opening now closes on {opening.closes_on:%A %-d %B %Y}."
            )
            return redirect(opening)
    if request.method == "POST":
        status = 400
    return render(
        request, "board/opening_extend.html", {"opening": opening, "form": form}, status=status
    )


@login_required
def my_openings(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.owner_openings(owner=request.user))
    has_channel = Channel.objects.filter(owner=request.user).exists()
    return render(request, "board/my_openings.html", {"page": page, "has_channel": has_channel})


# --- Applying -------------------------------------------------------------------------------


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    opening = selectors.opening_for_viewer(pk=pk, viewer=request.user)
    if opening.is_owned_by(request.user):
        raise PermissionDenied("You can't apply to your own opening.")
    existing = selectors.reader_application(opening=opening, reader=request.user)
    if existing is not None:
        messages.info(request, "You have already applied to this opening.")
        return redirect(existing)
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
            except ValidationError as exc:
                _show_errors(form, exc)
                status = _status_for(exc)
            else:
                messages.success(
                    request,
                    f"Your application is sent to {opening.channel.name}. "
                    "We will email you when it moves.",
                )
                return redirect(application)
    return render(
        request,
        "board/apply.html",
        {"opening": opening, "form": form, "profile": request.user.profile},
        status=status,
    )


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.applications_of(applicant=request.user))
    return render(request, "board/my_applications.html", {"page": page})


def _applicant_card(application, reader_tz: str, badges: dict) -> dict:
    profile = application.applicant.profile
    return {
        "application": application,
        "profile": profile,
        "windows": windows_in_timezone(profile.windows, profile.timezone, reader_tz),
        "badges": badges.get(application.applicant_id, []),
    }


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_viewer(pk=pk, viewer=request.user)
    opening = application.opening
    is_owner = opening.is_owned_by(request.user)
    reader_tz = request.user.profile.timezone
    context = {
        "application": application,
        "opening": opening,
        "is_owner": is_owner,
        "is_applicant": application.applicant_id == request.user.pk,
        "card": _applicant_card(
            application,
            reader_tz,
            selectors.guide_badges_for([application.applicant_id]),
        ),
        "reader_tz": reader_tz,
    }
    if is_owner and application.next_steps:
        context["review_form"] = ReviewForm(steps=application.next_steps)
    return render(request, "board/application_detail.html", context)


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's review page: every application to one opening (staff may read it too)."""
    opening = selectors.opening_for_owner(pk=pk, user=request.user, staff_may_read=True)
    status = request.GET.get("status", "")
    if status not in ApplicationStatus.values:
        status = ""
    page = _page(request, selectors.applications_for_review(opening=opening, status=status))
    badges = selectors.guide_badges_for([a.applicant_id for a in page])
    reader_tz = request.user.profile.timezone
    is_owner = opening.is_owned_by(request.user)
    cards = []
    for application in page:
        card = _applicant_card(application, reader_tz, badges)
        if is_owner and application.next_steps:
            card["form"] = ReviewForm(
                steps=application.next_steps, auto_id=f"id_a{application.pk}_%s"
            )
        cards.append(card)
    counts = selectors.application_counts(opening=opening)
    return render(
        request,
        "board/review.html",
        {
            "opening": opening,
            "page": page,
            "cards": cards,
            "status": status,
            "counts": [(s, label, counts.get(s, 0)) for s, label in ApplicationStatus.choices],
            "total": sum(counts.values()),
            "is_owner": is_owner,
            "reader_tz": reader_tz,
            "badges_available": selectors.badges_available(),
        },
    )


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
                mark_filled=form.cleaned_data["mark_filled"],
            )
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            name = application.applicant.display_name
            messages.success(request, f"{name}: {event.to_label.lower()}. We emailed them.")
            if request.POST.get("next") == "review":
                return redirect("board:review", pk=application.opening_id)
            return redirect(application)
    # A stale page (the application moved on meanwhile) or a bad choice: say so, change nothing.
    return render(
        request,
        "board/application_move_error.html",
        {"application": application, "form": form},
        status=400,
    )


@require_POST
@login_required
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_viewer(pk=pk, viewer=request.user)
    if application.applicant_id != request.user.pk:
        raise PermissionDenied("Only the applicant can withdraw an application.")
    try:
        services.application_withdraw(application=application, applicant=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Your application is withdrawn.")
    return redirect(application)


# --- Find moderators ------------------------------------------------------------------------


def moderators(request: HttpRequest) -> HttpResponse:
    openings = selectors.invitable_openings(owner=request.user)
    ref = reference()
    form = DirectoryFilterForm(
        request.GET,
        roles=ref.roles,
        languages=ref.languages,
        tracks=selectors.badge_tracks(),
        openings=openings,
        signed_in=request.user.is_authenticated,
    )
    profiles = selectors.moderator_directory(
        filters=form.filters(), reader=request.user, reader_openings=openings
    )
    page = _page(request, profiles)
    badges = selectors.guide_badges_for([p.user_id for p in page])
    reader_tz = _reader_tz(request, "UTC")
    cards = [
        {
            "profile": profile,
            "badges": badges.get(profile.user_id, []),
            "windows": windows_in_timezone(profile.windows, profile.timezone, reader_tz),
        }
        for profile in page
    ]
    return render(
        request,
        "board/moderators.html",
        {
            "form": form,
            "page": page,
            "cards": cards,
            "can_invite": bool(openings),
            "reader_tz": reader_tz,
        },
    )


@login_required
def invite(request: HttpRequest, username: str) -> HttpResponse:
    profile = get_object_or_404(
        Profile.objects.open_to_moderating().select_related("user"), user__username=username
    )
    invitee: User = profile.user
    openings = selectors.invitable_openings(owner=request.user)
    if not openings:
        raise PermissionDenied("Post an opening first: invitations are to apply to one.")
    form = InviteForm(request.POST or None, openings=openings)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.invitation_send(
                    opening=form.cleaned_data["opening"],
                    invitee=invitee,
                    invited_by=request.user,
                    message=form.cleaned_data["message"],
                )
            except ValidationError as exc:
                _show_errors(form, exc)
                status = _status_for(exc)
            else:
                messages.success(request, f"We emailed {invitee.display_name} your invitation.")
                return redirect("board:moderators")
    return render(
        request,
        "board/invite.html",
        {"invitee": invitee, "profile": profile, "form": form},
        status=status,
    )


# --- Trust and safety -----------------------------------------------------------------------


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    opening = selectors.opening_for_viewer(pk=pk, viewer=request.user)
    if opening.is_owned_by(request.user):
        raise PermissionDenied("You can't report your own opening.")
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.report_create(opening=opening, reporter=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _show_errors(form, exc)
                status = _status_for(exc)
            else:
                messages.success(request, "Thank you: staff will look at this opening.")
                return redirect(opening)
    return render(
        request, "board/report_form.html", {"opening": opening, "form": form}, status=status
    )


@staff_required
def reports(request: HttpRequest) -> HttpResponse:
    show = "resolved" if request.GET.get("show") == "resolved" else "open"
    page = _page(request, selectors.report_queue(show=show))
    open_count = OpeningReport.objects.unresolved().aggregate(n=Count("pk"))["n"]
    return render(
        request,
        "board/reports.html",
        {"page": page, "show": show, "open_count": open_count, "remove_form": RemoveForm()},
    )


@require_POST
@staff_required
def report_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(OpeningReport, pk=pk)
    try:
        services.report_dismiss(report=report, staff=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Report dismissed.")
    return redirect("board:reports")


@staff_required
def opening_remove(request: HttpRequest, pk: int) -> HttpResponse:
    opening = selectors.opening_for_viewer(pk=pk, viewer=request.user)
    form = RemoveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.opening_remove(
                    opening=opening, staff=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                _show_errors(form, exc)
            else:
                messages.success(request, "The opening is removed and its owner told why.")
                return redirect("board:reports")
    return render(
        request,
        "board/opening_remove.html",
        {"opening": opening, "form": form, "removed": opening.status == OpeningStatus.REMOVED},
        status=status,
    )
