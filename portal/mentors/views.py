"""Mentoring's pages: the mentors suggested to the reader, offering to mentor, asking, the
person's mentorships, and one mentorship's page with what the two do on it. Thin: a form
validates, a service acts (and refuses what it must), the view redirects or renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.board.views.common import staff_required
from portal.core.forms import add_refusal, refusal_response
from portal.core.once import AlreadyDone
from portal.core.weeks import week_of, windows_for_reader
from portal.mentors import selectors, services
from portal.mentors.forms import (
    AnswerForm,
    AskForm,
    CheckInForm,
    GoalForm,
    MentorForm,
    ObserverForm,
    ReflectionForm,
    ScheduleForm,
)
from portal.mentors.models import Goal, Mentor, Mentorship, Status
from portal.mentors.permissions import (
    mentorship_for,
    require_mentee,
    require_mentor,
    require_pair,
)
from portal.mentors.services.mentorships import OPEN_NOTICE
from portal.mentors.services.offers import NOT_ADULT


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "mentors/index.html",
        {
            "suggestions": selectors.mentor_suggestions(reader=request.user),
            "is_adult": request.user.profile.is_adult,
            "open_notice": OPEN_NOTICE,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def volunteer(request: HttpRequest) -> HttpResponse:
    if not request.user.profile.is_adult:
        if request.method == "POST":
            raise PermissionDenied(NOT_ADULT)
        return render(request, "mentors/volunteer.html", {"not_adult": NOT_ADULT})
    mentor = Mentor.objects.filter(user=request.user).first()
    form = MentorForm(request.POST or None, initial=MentorForm.initial_for(mentor, request.user))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.mentor_offer_save(
                    user=request.user,
                    roles=data["roles"],
                    languages=data["languages"],
                    timezone=data["timezone"],
                    windows=data["availability"],
                    capacity=data["capacity"],
                    note=data["note"],
                    is_open=data["is_open"],
                )
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(
                    request,
                    "Thank you: new moderators can ask you now."
                    if data["is_open"]
                    else "Saved. You are not taking new mentees for now.",
                )
                return redirect("mentors:mine")
    page = render(
        request, "mentors/volunteer.html", {"form": form, "mentor": mentor}, status=status
    )
    return refusal_response(page, form)


@require_http_methods(["GET", "POST"])
@login_required
def ask(request: HttpRequest, mentor_id: int) -> HttpResponse:
    mentor = selectors.mentor_for_asker(asker=request.user, mentor_id=mentor_id)
    if mentor is None:
        raise Http404("No such mentor.")
    existing = Mentorship.objects.open().filter(mentor=mentor.user, mentee=request.user).first()
    if existing is not None:
        messages.info(request, f"You have already asked {mentor.user.display_name}.")
        return redirect(existing)
    observed = not request.user.profile.is_adult
    form = AskForm(request.POST or None, observed=observed)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                mentorship = services.mentorship_ask(
                    mentee=request.user,
                    mentor=mentor,
                    message=form.cleaned_data["message"],
                    understood_open=form.cleaned_data.get("understood", False),
                )
            except AlreadyDone as exc:
                messages.info(request, exc.messages[0])
                return redirect(exc.done or "mentors:mine")
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(
                    request,
                    f"Your ask is sent to {mentor.user.display_name}. We will tell you"
                    " their answer.",
                )
                return redirect(mentorship)
    profile = request.user.profile
    page = render(
        request,
        "mentors/ask.html",
        {
            "mentor": mentor,
            "form": form,
            "observed": observed,
            "open_notice": OPEN_NOTICE,
            "windows": windows_for_reader(
                mentor.windows, mentor.timezone, profile.timezone, week_of()
            ),
            "reader_tz": profile.timezone,
        },
        status=status,
    )
    return refusal_response(page, form)


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request, "mentors/mine.html", {"mine": selectors.my_mentorships(user=request.user)}
    )


def _mentorship_page(
    request: HttpRequest, mentorship: Mentorship, role: str, status: int = 200, **forms
) -> HttpResponse:
    context = {
        "mentorship": mentorship,
        "role": role,
        "page": selectors.mentorship_page(mentorship=mentorship),
        "goal_form": forms.get("goal_form") or GoalForm(),
        "schedule_form": forms.get("schedule_form")
        or ScheduleForm(initial={"every": mentorship.checkin_every}),
        "checkin_form": forms.get("checkin_form") or CheckInForm(),
        "answer_form": forms.get("answer_form") or AnswerForm(observed=mentorship.observed),
        "observer_form": forms.get("observer_form") or ObserverForm(),
        "reflection_form": forms.get("reflection_form") or ReflectionForm(),
        "Status": Status,
    }
    response = render(request, "mentors/mentorship.html", context, status=status)
    for form in forms.values():
        refusal_response(response, form)
    return response


@require_GET
@login_required
def mentorship(request: HttpRequest, pk: int) -> HttpResponse:
    found, role = mentorship_for(request.user, pk)
    return _mentorship_page(request, found, role)


@require_POST
@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    found, role = mentorship_for(request.user, pk)
    require_mentor(role, "answer an ask")
    form = AnswerForm(request.POST, observed=found.observed)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.mentorship_answer(
                mentorship=found,
                mentor=request.user,
                accept=accept,
                note=form.cleaned_data["note"],
                observer=form.cleaned_data.get("observer"),
            )
        except AlreadyDone as exc:
            messages.info(request, exc.messages[0])
            return redirect(found)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(
                request,
                f"You are now {found.mentee.display_name}'s mentor."
                if accept
                else "Your answer is sent.",
            )
            return redirect(found)
    return _mentorship_page(request, found, role, status=400, answer_form=form)


@require_POST
@login_required
def observer(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentor names the observer of an open mentorship that has none now."""
    found, role = mentorship_for(request.user, pk)
    require_mentor(role, "name the observer")
    form = ObserverForm(request.POST)
    if form.is_valid():
        try:
            services.mentorship_observer_name(
                mentorship=found, mentor=request.user, observer=form.cleaned_data["observer"]
            )
        except AlreadyDone as exc:
            messages.info(request, exc.messages[0])
            return redirect(found)
        except services.MentoringRefused as exc:
            raise _refused(exc) from exc
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(
                request,
                f"{form.cleaned_data['observer'].display_name} reads your conversation now.",
            )
            return redirect(found)
    return _mentorship_page(request, found, role, status=400, observer_form=form)


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    found, role = mentorship_for(request.user, pk)
    require_mentee(role, "take the ask back")
    try:
        services.mentorship_withdraw(mentorship=found, mentee=request.user)
    except AlreadyDone as exc:
        messages.info(request, exc.messages[0])
    else:
        messages.success(request, "Your ask is taken back.")
    return redirect(found)


def _refused(exc: ValidationError) -> PermissionDenied:
    return PermissionDenied(" ".join(exc.messages))


@require_POST
@login_required
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    found, role = mentorship_for(request.user, pk)
    require_pair(role, "set goals")
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            services.goal_add(
                mentorship=found,
                by=request.user,
                title=form.cleaned_data["title"],
                track=form.cleaned_data["track"],
            )
        except services.MentoringRefused as exc:
            raise _refused(exc) from exc
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "Goal added.")
            return redirect(found)
    return _mentorship_page(request, found, role, status=400, goal_form=form)


@require_POST
@login_required
def goal_done(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    found, role = mentorship_for(request.user, pk)
    require_pair(role, "mark goals done")
    goal = Goal.objects.filter(mentorship=found, pk=goal_id).first()
    if goal is None:
        raise Http404("No such goal.")
    goal.mentorship = found
    try:
        services.goal_mark_done(goal=goal, by=request.user, done=goal.done_at is None)
    except services.MentoringRefused as exc:
        raise _refused(exc) from exc
    return redirect(found)


@require_POST
@login_required
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    found, role = mentorship_for(request.user, pk)
    require_pair(role, "set the check-in rhythm")
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.checkin_schedule_set(
                mentorship=found, by=request.user, every_days=form.cleaned_data["every"]
            )
        except services.MentoringRefused as exc:
            raise _refused(exc) from exc
        messages.success(request, "Check-in rhythm saved.")
        return redirect(found)
    return _mentorship_page(request, found, role, status=400, schedule_form=form)


@require_POST
@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    found, role = mentorship_for(request.user, pk)
    require_pair(role, "write check-ins")
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            services.checkin_record(
                mentorship=found, by=request.user, note=form.cleaned_data["note"]
            )
        except services.MentoringRefused as exc:
            raise _refused(exc) from exc
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "Check-in saved.")
            return redirect(found)
    return _mentorship_page(request, found, role, status=400, checkin_form=form)


@require_http_methods(["GET", "POST"])
@login_required
def end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a mentorship under way with a reflection; after it ends, the other side's
    reflection is written here too."""
    found, role = mentorship_for(request.user, pk)
    require_pair(role, "end the mentorship")
    if found.status not in (Status.ACTIVE, Status.ENDED):
        raise PermissionDenied("This mentorship is not under way.")
    form = ReflectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            act = (
                services.mentorship_end
                if found.status == Status.ACTIVE
                else services.mentorship_reflect
            )
            try:
                act(mentorship=found, by=request.user, reflection=form.cleaned_data["reflection"])
            except AlreadyDone as exc:
                messages.info(request, exc.messages[0])
                return redirect(found)
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, "Thank you for your reflection.")
                return redirect(found)
    page = render(
        request,
        "mentors/end.html",
        {"mentorship": found, "role": role, "form": form},
        status=status,
    )
    return refusal_response(page, form)


@require_POST
@login_required
def ask_staff(request: HttpRequest, pk: int) -> HttpResponse:
    found, role = mentorship_for(request.user, pk)
    if role == "staff":
        raise PermissionDenied("Staff read this mentorship already.")
    try:
        services.mentorship_staff_ask(mentorship=found, by=request.user)
    except AlreadyDone as exc:
        messages.info(request, exc.messages[0])
    else:
        messages.success(
            request,
            "Modhall staff are asked to read this mentorship. The others in it are not told.",
        )
    return redirect(found)


@require_GET
@staff_required
def staff_requests(request: HttpRequest) -> HttpResponse:
    return render(request, "mentors/staff_requests.html", {"mentorships": selectors.staff_asked()})
