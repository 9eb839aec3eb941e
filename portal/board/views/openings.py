"""An owner's openings: posting one (a draft), editing it, publishing it, pausing,
resuming, closing, filling and extending it, and their list of them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portal.board import selectors, services
from portal.board.forms import ExtendForm, OpeningForm, PublishForm, question_formset
from portal.board.models import Channel
from portal.board.views.board import opening_page_response
from portal.board.views.common import page_of
from portal.core.forms import add_refusal, refusal_response


def _opening_form_page(request, *, form, questions, opening=None, status=200) -> HttpResponse:
    return render(
        request,
        "board/opening_form.html",
        {
            "form": form,
            "questions": questions,
            "opening": opening,
            "concerns": form.safety_concerns(questions),
        },
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
            add_refusal(form, exc)
        else:
            messages.success(
                request,
                "Your opening is saved as a draft: only you can see it. Check it, then publish it.",
            )
            return redirect(opening)
    page = _opening_form_page(request, form=form, questions=questions, status=400)
    return refusal_response(page, form)


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
            add_refusal(form, exc)
        else:
            messages.success(request, "Opening saved.")
            return redirect(opening)
    page = _opening_form_page(request, form=form, questions=questions, opening=opening, status=400)
    return refusal_response(page, form)


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
        add_refusal(form, exc)
        page = opening_page_response(request, opening.pk, publish_form=form, status=400)
        return refusal_response(page, form)
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
            add_refusal(form, exc)
        else:
            messages.success(
                request, f"The opening now closes on {opening.closes_on:%A %-d %B %Y}."
            )
            return redirect(opening)
    if request.method == "POST":
        status = 400
    page = render(
        request, "board/opening_extend.html", {"opening": opening, "form": form}, status=status
    )
    return refusal_response(page, form)


@login_required
def my_openings(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.owner_openings(owner=request.user))
    has_channel = Channel.objects.filter(owner=request.user).exists()
    return render(request, "board/my_openings.html", {"page": page, "has_channel": has_channel})
