"""The forum moderators' pages: the review queue, a post's and a topic's moderation, the log,
a person's record and suspensions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.core.forms import add_refusal, refusal_response
from portal.forums import selectors, services
from portal.forums.forms import MoveForm, NoteForm, ReasonForm, SuspendForm
from portal.forums.models import Flag, ModerationAction, Post, Suspension
from portal.forums.permissions import moderate_refusal, require, suspend_refusal
from portal.forums.views import back, back_path


def _moderator_only(request: HttpRequest) -> None:
    require(moderate_refusal(request.user))


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _moderator_only(request)
    page = selectors.review_queue(number=request.GET.get("page"))
    return render(request, "forums/moderation/queue.html", {"page": page})


FLAG_ACTIONS = {"approve", "deny", "hide", "dismiss"}


@login_required
@require_POST
def flag_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _moderator_only(request)
    if action not in FLAG_ACTIONS:
        return HttpResponse("Unknown action.", status=400, content_type="text/plain")
    flag = get_object_or_404(Flag.objects.select_related("post__topic"), pk=pk)
    post = flag.post
    reason_form = ReasonForm(request.POST)
    note_form = NoteForm(request.POST)
    outcome, refusal = "", ""
    try:
        if action == "approve":
            services.post_approve(post=post, moderator=request.user)
            outcome = "Approved: the post is published."
        elif action == "dismiss":
            note = note_form.cleaned_data["reason"] if note_form.is_valid() else ""
            services.flag_dismiss(flag=flag, moderator=request.user, note=note)
            outcome = "Report dismissed; the post stays."
        elif not reason_form.is_valid():
            refusal = "Give a reason: the author sees it."
        elif action == "deny":
            services.post_deny(
                post=post, moderator=request.user, reason=reason_form.cleaned_data["reason"]
            )
            outcome = "Denied: the post stays hidden and its author is told why."
        else:
            services.post_hide(
                post=post, moderator=request.user, reason=reason_form.cleaned_data["reason"]
            )
            outcome = "The post is hidden and its author is told why."
    except ValidationError as exc:
        refusal = " ".join(exc.messages)
    if request.htmx:
        # The queue item in its place, saying what was done (or why not), from the queue's
        # own template.
        flag = selectors.queue_item(pk=pk)
        return render(
            request,
            "forums/moderation/queue.html#item",
            {"flag": flag, "outcome": outcome, "refusal": refusal, "next": back_path(request)},
        )
    if outcome:
        messages.success(request, outcome)
    else:
        messages.error(request, refusal)
    return back(request, reverse("forums:queue"))


@login_required
def post_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """A forum moderator's page for one post: hide it (with a reason) or restore it."""
    _moderator_only(request)
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    if post.topic.is_private:
        # A private area's post (seen here only by a moderator who is a member) is
        # moderated through the review queue, like a conversation's.
        raise Http404("No such post.")
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "unhide":
                services.post_unhide(post=post, moderator=request.user)
                messages.success(request, "The post is visible again.")
                return redirect(post)
            if action == "hide" and form.is_valid():
                services.post_hide(
                    post=post, moderator=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, "The post is hidden and its author is told why.")
                return redirect(post)
            if action not in ("hide", "unhide"):
                return HttpResponse("Unknown action.", status=400, content_type="text/plain")
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "forums/moderation/post.html", {"post": post, "form": form})


TOPIC_ACTIONS = {
    ModerationAction.Action.PIN,
    ModerationAction.Action.UNPIN,
    ModerationAction.Action.LOCK,
    ModerationAction.Action.UNLOCK,
    ModerationAction.Action.CLOSE,
    ModerationAction.Action.REOPEN,
}


@login_required
def topic_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator_only(request)
    topic = selectors.topic_for_viewer(pk=pk, viewer=request.user)
    if topic.is_private:
        raise Http404("No such topic.")  # through the review queue, as post_moderate says
    move_form = MoveForm(initial={"category": topic.category_id})
    # The note goes through its form like every typed value (the text rules of
    # portal/core/forms.py): read straight from the request, a NUL reached PostgreSQL (a 500).
    note_form = NoteForm(auto_id="topic-note-%s")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in TOPIC_ACTIONS:
            note_form = NoteForm(request.POST, auto_id="topic-note-%s")
            if note_form.is_valid():
                services.topic_moderate(
                    topic=topic,
                    moderator=request.user,
                    action=action,
                    reason=note_form.cleaned_data["reason"],
                )
                messages.success(request, f"Done: {ModerationAction.Action(action).label}.")
                return redirect(topic)
        elif action == "move":
            move_form = MoveForm(request.POST)
            if move_form.is_valid():
                services.topic_move(
                    topic=topic,
                    moderator=request.user,
                    category=move_form.cleaned_data["category"],
                    reason=move_form.cleaned_data["reason"],
                )
                messages.success(request, f"Moved to {move_form.cleaned_data['category']}.")
                return redirect(topic)
        else:
            return HttpResponse("Unknown action.", status=400, content_type="text/plain")
    opening = Post.objects.filter(topic=topic, is_opening=True).values_list("pk", flat=True)
    return render(
        request,
        "forums/moderation/topic.html",
        {
            "topic": topic,
            "note_form": note_form,
            "move_form": move_form,
            "opening_pk": opening.first(),
        },
    )


@login_required
def moderation_log(request: HttpRequest) -> HttpResponse:
    """The log of moderators' actions; ``?show=reads``: the log of conversations read
    through reports."""
    _moderator_only(request)
    show = "reads" if request.GET.get("show") == "reads" else "actions"
    if show == "reads":
        page = selectors.conversation_reads(number=request.GET.get("page"))
    else:
        page = selectors.moderation_log(number=request.GET.get("page"))
    return render(request, "forums/moderation/log.html", {"page": page, "show": show})


@login_required
def person_moderate(request: HttpRequest, username: str) -> HttpResponse:
    """A person's suspensions and their moderation history; suspend them from posting."""
    _moderator_only(request)
    person = selectors.person_for_moderation(username=username)
    form = SuspendForm(request.POST or None)
    refusal = suspend_refusal(request.user, person)
    if request.method == "POST":
        require(refusal)
        if form.is_valid():
            try:
                services.person_suspend(
                    person=person,
                    moderator=request.user,
                    until=form.cleaned_data["until"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_refusal(form, exc, "until")
            else:
                messages.success(request, f"{person.username} is suspended from posting.")
                return redirect("forums:person_moderate", username=person.username)
    page = render(
        request,
        "forums/moderation/person.html",
        {
            "person": person,
            "form": form,
            "refusal": refusal,
            "now": timezone.now(),
            "suspensions": list(
                Suspension.objects.filter(user=person).select_related("created_by")
            ),
            "log": selectors.moderation_log(person=person, number=request.GET.get("page")),
        },
    )
    return refusal_response(page, form)


@login_required
@require_POST
def suspension_lift(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator_only(request)
    suspension = get_object_or_404(Suspension.objects.select_related("user"), pk=pk)
    services.suspension_lift(suspension=suspension, moderator=request.user)
    messages.success(request, "The suspension is lifted.")
    return redirect("forums:person_moderate", username=suspension.user.username)
