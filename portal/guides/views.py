"""Guides pages: the library, a track, a lesson, checks, search, finding your role, feedback,
the glossary, and a reader's private reflection journal.

Reading is open to everyone; everything that changes something is a POST from a signed-in
reader (CSRF-protected) and acts only on that reader's own progress. After a change the view
redirects (post/redirect/get), so reloading a page never submits anything twice.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.accounts.services import profile_roles_set
from portal.core.search import is_too_short
from portal.guides import selectors, services
from portal.guides.forms import (
    CheckForm,
    ChecklistForm,
    FeedbackForm,
    JournalForm,
    PaperForm,
    RoleQuestionnaireForm,
    RolesForm,
    SearchForm,
)
from portal.guides.models import Badge, CheckAttempt
from portal.guides.papers import check_paper

SEARCH_PAGE_SIZE = 10
COMMENTS_PAGE_SIZE = 25
JOURNAL_PAGE_SIZE = 20


def _badge_message(request: HttpRequest, badge: Badge | None) -> None:
    if badge is not None:
        messages.success(
            request,
            f"You completed {badge.track.title} and earned its badge. It is on your profile, "
            "and your certificate is ready to share.",
        )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    page = selectors.library_index(user=request.user)
    return render(request, "guides/index.html", {"page": page, "search_form": SearchForm()})


@require_GET
def track_detail(request: HttpRequest, track_slug: str) -> HttpResponse:
    return _track_response(request, track_slug)


def _track_response(request: HttpRequest, track_slug: str, *, part: str = "", **extra):
    """The track page, or (``part``) the one partial of it an htmx request gets back, with
    ``extra`` (what it says was just done) in its context."""
    page = selectors.track_page(slug=track_slug, user=request.user)
    checklist_form = ChecklistForm(
        page.track.checklist,
        initial={"items": page.checklist_done},
        label="Your first-week checklist",
    )
    context = {"page": page, "checklist_form": checklist_form, **extra}
    template = f"guides/track_detail.html#{part}" if part else "guides/track_detail.html"
    return render(request, template, context)


def _lesson_response(
    request: HttpRequest,
    track_slug: str,
    lesson_slug: str,
    *,
    check_form: CheckForm | None = None,
    attempt: int | None = None,
    feedback_form: FeedbackForm | None = None,
    journal_form: JournalForm | None = None,
    status: int = 200,
    part: str = "",
    **extra,
) -> HttpResponse:
    """The lesson page; ``check_form`` (answering attempt ``attempt``), ``feedback_form`` and
    ``journal_form`` are the reader's own sent forms, with their errors, drawn in place of
    the blank ones. ``part`` names the one partial of the page an htmx request gets back,
    with ``extra`` (what it says was just done) in its context."""
    page = selectors.lesson_page(track_slug=track_slug, lesson_slug=lesson_slug)
    lesson = page.lesson
    reading = selectors.lesson_reading(user=request.user, lesson=lesson)
    context = {"page": page, "lesson": lesson, "track": lesson.track, "reading": reading}
    if request.user.is_authenticated:
        context["checklist_form"] = ChecklistForm(
            lesson.checklist, initial={"items": reading.checklist_done}, label="After reading"
        )
        if reading.paper is not None:
            context["check_form"] = check_form or CheckForm(reading.paper.shown)
            context["paper_form"] = PaperForm(initial={"attempt": attempt or reading.paper.number})
        context["feedback_form"] = feedback_form or FeedbackForm(initial=reading.feedback_answers)
        if lesson.reflection:
            note = {"body": reading.journal.body} if reading.journal else {}
            context["journal_form"] = journal_form or JournalForm(initial=note)
    if part:
        return render(request, f"guides/lesson_detail.html#{part}", context | extra, status=status)
    return render(request, "guides/lesson_detail.html", context, status=status)


@require_GET
def lesson_detail(request: HttpRequest, track_slug: str, lesson_slug: str) -> HttpResponse:
    return _lesson_response(request, track_slug, lesson_slug)


@login_required
@require_POST
def lesson_complete(request: HttpRequest, track_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = selectors.lesson_get(track_slug=track_slug, lesson_slug=lesson_slug)
    completed = request.POST.get("completed") != "no"
    badge = services.lesson_complete(user=request.user, lesson=lesson, completed=completed)
    if request.htmx:
        # The "Done reading?" box, and the "Read" mark under the title (out of band), in place.
        return _lesson_response(
            request, track_slug, lesson_slug, part="progress", just_done=True, badge=badge
        )
    if completed:
        messages.success(request, f"“{lesson.title}” is marked as read.")
    else:
        messages.info(request, f"“{lesson.title}” is marked as not read.")
    _badge_message(request, badge)
    return redirect(lesson)


@login_required
@require_POST
def lesson_checklist(request: HttpRequest, track_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = selectors.lesson_get(track_slug=track_slug, lesson_slug=lesson_slug)
    form = ChecklistForm(lesson.checklist, request.POST)
    # Only a tampered form can be invalid (an unknown item); keeping the known ticks is kinder
    # than an error, and the service ignores anything that is not on the list anyway.
    keys = form.cleaned_data["items"] if form.is_valid() else request.POST.getlist("items")
    services.lesson_checklist_save(user=request.user, lesson=lesson, keys=keys)
    if request.htmx:  # each tick is sent as it is made: the checklist comes back saying so
        return _lesson_response(request, track_slug, lesson_slug, part="checklist", saved=True)
    messages.success(request, "Your checklist is saved.")
    return redirect(f"{lesson.get_absolute_url()}#lesson-checklist")


@login_required
@require_POST
def lesson_check(request: HttpRequest, track_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = selectors.lesson_get(track_slug=track_slug, lesson_slug=lesson_slug)
    target = f"{lesson.get_absolute_url()}#lesson-check"
    if not lesson.questions:
        return redirect(lesson)
    number = _posted_attempt(request)
    if number is None:
        return redirect(target)
    paper = check_paper(person=request.user.pk, track=lesson.track, lesson=lesson, number=number)
    form = CheckForm(paper.shown, request.POST)
    if not form.is_valid():
        return _lesson_response(
            request, track_slug, lesson_slug, check_form=form, attempt=number, status=400
        )
    try:
        attempt, badge = services.check_submit(
            user=request.user,
            track=lesson.track,
            lesson=lesson,
            number=number,
            positions=form.positions(),
        )
    except services.StalePaper:
        messages.warning(request, STALE_PAPER)
        return redirect(target)
    _check_message(request, attempt)
    _badge_message(request, badge)
    return redirect(target)


STALE_PAPER = (
    "Those answers were for an attempt you had already sent (perhaps from another tab), so "
    "they were not marked. Here is your next attempt."
)


def _posted_attempt(request: HttpRequest) -> int | None:
    """The number of the attempt the answers are for; None only from a tampered form."""
    form = PaperForm(request.POST)
    return form.cleaned_data["attempt"] if form.is_valid() else None


def _check_message(request: HttpRequest, attempt: CheckAttempt) -> None:
    text = f"You scored {attempt.score} of {attempt.total}."
    if attempt.passed:
        messages.success(request, f"{text} You passed: read the explanations below.")
    else:
        messages.warning(
            request, f"{text} See below which questions you missed and what to re-read first."
        )


@login_required
@require_POST
def lesson_feedback(request: HttpRequest, track_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = selectors.lesson_get(track_slug=track_slug, lesson_slug=lesson_slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _lesson_response(request, track_slug, lesson_slug, feedback_form=form, status=400)
    data = form.cleaned_data
    services.lesson_feedback_give(
        user=request.user,
        lesson=lesson,
        helpful=data["helpful"],
        reason=data["reason"],
        comment=data["comment"],
    )
    messages.success(request, "Thank you: your feedback helps us improve the guides.")
    return redirect(f"{lesson.get_absolute_url()}#lesson-feedback")


@login_required
@require_POST
def lesson_journal(request: HttpRequest, track_slug: str, lesson_slug: str) -> HttpResponse:
    """Keep the reader's private note on the lesson's reflection prompt (or replace it)."""
    lesson = selectors.lesson_get(track_slug=track_slug, lesson_slug=lesson_slug)
    if not lesson.reflection:
        raise Http404("This lesson has no reflection prompt.")
    form = JournalForm(request.POST)
    if not form.is_valid():
        return _lesson_response(request, track_slug, lesson_slug, journal_form=form, status=400)
    services.journal_entry_save(user=request.user, lesson=lesson, body=form.cleaned_data["body"])
    messages.success(request, "Your note is kept in your reflection journal. Only you can see it.")
    return redirect(f"{lesson.get_absolute_url()}#lesson-reflection")


@login_required
@require_GET
@never_cache  # a private page: no shared cache or browser history keeps a copy
def journal(request: HttpRequest) -> HttpResponse:
    """The reader's own reflection journal; there is no address for anyone else's."""
    page_obj = selectors.journal_page(
        user=request.user, number=request.GET.get("page"), per_page=JOURNAL_PAGE_SIZE
    )
    return render(request, "guides/journal.html", {"page_obj": page_obj})


@login_required
@require_POST
def journal_entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    # Another person's note (or none) is simply not found: 404, for staff too.
    if not services.journal_entry_delete(user=request.user, entry_id=entry_id):
        raise Http404("No such note.")
    messages.success(request, "The note is deleted.")
    return redirect("guides:journal")


@login_required
@require_POST
def track_checklist(request: HttpRequest, track_slug: str) -> HttpResponse:
    track = selectors.track_get(slug=track_slug)
    form = ChecklistForm(track.checklist, request.POST)
    keys = form.cleaned_data["items"] if form.is_valid() else request.POST.getlist("items")
    services.track_checklist_save(user=request.user, track=track, keys=keys)
    if request.htmx:  # each tick is sent as it is made: the checklist comes back saying so
        return _track_response(request, track_slug, part="checklist", saved=True)
    messages.success(request, "Your checklist is saved.")
    return redirect(f"{track.get_absolute_url()}#track-checklist")


def _track_check_response(
    request: HttpRequest,
    slug: str,
    form: CheckForm | None = None,
    attempt: int | None = None,
    status: int = 200,
) -> HttpResponse:
    """The check page; ``form`` is the reader's own sent answers to attempt ``attempt``, with
    their errors, drawn in place of the next attempt's blank paper."""
    page = selectors.track_check_page(slug=slug, user=request.user)
    context = {
        "page": page,
        "form": form or CheckForm(page.paper.shown),
        "paper_form": PaperForm(initial={"attempt": attempt or page.paper.number}),
    }
    return render(request, "guides/track_check.html", context, status=status)


@require_GET
def track_check(request: HttpRequest, track_slug: str) -> HttpResponse:
    return _track_check_response(request, track_slug)


@login_required
@require_POST
def track_check_submit(request: HttpRequest, track_slug: str) -> HttpResponse:
    track = selectors.track_get(slug=track_slug)
    check_url = reverse("guides:track_check", kwargs={"track_slug": track.slug})
    if not track.questions:
        return redirect(check_url)
    number = _posted_attempt(request)
    if number is None:
        return redirect(check_url)
    paper = check_paper(person=request.user.pk, track=track, lesson=None, number=number)
    form = CheckForm(paper.shown, request.POST)
    if not form.is_valid():
        return _track_check_response(request, track_slug, form=form, attempt=number, status=400)
    try:
        attempt, badge = services.check_submit(
            user=request.user, track=track, lesson=None, number=number, positions=form.positions()
        )
    except services.StalePaper:
        messages.warning(request, STALE_PAPER)
        return redirect(check_url)
    _check_message(request, attempt)
    _badge_message(request, badge)
    return redirect(f"{check_url}#results")


@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    page = selectors.library_page_get(slug="glossary")
    return render(request, "guides/library_page.html", {"page": page})


@require_GET
def certificate(request: HttpRequest, code: str) -> HttpResponse:
    badge = selectors.certificate_get(code=code)
    is_owner = request.user.is_authenticated and request.user.pk == badge.user_id
    return render(request, "guides/certificate.html", {"badge": badge, "is_owner": is_owner})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Lessons matching the words; nothing to search for, or nothing found, offers the tracks
    to start with instead (never a form error)."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page_obj = None
    if not is_too_short(query):
        paginator = Paginator(selectors.lessons_search(query=query), SEARCH_PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
        for lesson in page_obj.object_list:
            lesson.snippet = selectors.search_snippet(lesson, query)
            lesson.title_html = selectors.highlight(lesson.title, query)
    found = page_obj is not None and page_obj.paginator.count
    return render(
        request,
        "guides/search.html",
        {
            "form": form,
            "search_form": form,
            "query": query,
            "page_obj": page_obj,
            "help": None if found else {"tracks": selectors.suggested_tracks()},
        },
    )


@require_GET
def find_your_role(request: HttpRequest) -> HttpResponse:
    """The questionnaire; answered with GET, since answering changes nothing. A submit with
    nothing chosen still sends the button's "sent=1", so it gets errors, not a blank page."""
    form = RoleQuestionnaireForm(request.GET or None)
    context: dict = {"form": form}
    if form.is_bound and form.is_valid():
        role_slugs = form.suggested_roles()
        tracks = selectors.tracks_for_roles(role_slugs=role_slugs)
        context["tracks"] = tracks
        context["roles_form"] = RolesForm(
            initial={"roles": [t.role for t in tracks if t.role is not None]}
        )
    return render(request, "guides/find_your_role.html", context)


@login_required
@require_POST
def roles_save(request: HttpRequest) -> HttpResponse:
    form = RolesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Those roles could not be saved; please choose again.")
        return redirect("guides:find_your_role")
    profile_roles_set(profile=request.user.profile, roles=form.cleaned_data["roles"])
    messages.success(
        request,
        "Your roles are saved on your profile. The tracks that fit them are marked below.",
    )
    return redirect("guides:index")


@login_required
@require_GET
def feedback_review(request: HttpRequest) -> HttpResponse:
    """For site staff: how helpful each lesson is, what readers wrote, what needs review."""
    if not request.user.is_staff:
        raise PermissionDenied("Only site staff can see guide feedback.")
    comments = Paginator(selectors.feedback_comments(), COMMENTS_PAGE_SIZE)
    seen_before = services.feedback_review_seen(user=request.user)
    return render(
        request,
        "guides/feedback_review.html",
        {
            "seen_before": seen_before,
            "lessons": selectors.lessons_with_helpfulness(),
            "comments": comments.get_page(request.GET.get("page")),
            "due": selectors.lessons_due_for_review(),
        },
    )
