"""Forum pages. Thin: a selector reads, a form validates, a service acts, permissions.py says
who may; a refusal the person can understand is a 403 with its reason, anything they may not
see is a 404.

Pages are rendered whole by their templates, the reader's own bits included. What is the same
for everyone who sees it (a post's author and body, a row of a topic list) sits in a
``{% cache %}`` block keyed on the versions of the rows it shows (models.py), so a write gets
exactly what it changed rendered afresh and nothing is ever forgotten by hand."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.forums import selectors, services
from portal.forums.forms import (
    EditForm,
    MoveForm,
    NoteForm,
    ReactionForm,
    ReasonForm,
    ReplyForm,
    ReportForm,
    SearchForm,
    SuspendForm,
    TopicForm,
    WatchForm,
)
from portal.forums.models import (
    Category,
    Flag,
    ModerationAction,
    Post,
    Status,
    Subscription,
    Suspension,
)
from portal.forums.permissions import (
    active_suspension,
    can_see_post,
    delete_refusal,
    edit_refusal,
    is_forum_moderator,
    moderate_refusal,
    reply_refusal,
    report_refusal,
    require,
    suspend_refusal,
    suspension_text,
    topic_start_refusal,
)
from portal.forums.text import quote


def _attempt[T](form: Form, field: str | None, action: Callable[[], T]) -> T | None:
    """Run a service; its ValidationError (a rate limit, a duplicate) goes beside the field."""
    try:
        return action()
    except ValidationError as exc:
        form.add_error(field, exc)
        return None


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Back to where the form was (a same-site path only), or the fallback."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _watch_form(level: str) -> WatchForm:
    """A watch form (a topic's or a category's) at the reader's level: normal for a level no
    longer offered."""
    if level not in Subscription.Level.values:
        level = Subscription.Level.NORMAL
    return WatchForm(initial={"level": level})


def _suspension_notice(request: HttpRequest) -> str | None:
    suspension = active_suspension(request.user)
    return suspension_text(suspension) if suspension else None


# --- Reading ----------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    """The categories, each row cached under its version (templates/forums/index.html)."""
    moderator = is_forum_moderator(request.user)
    return render(
        request,
        "forums/index.html",
        {
            "categories": selectors.categories_for_index(),
            "is_moderator": moderator,
            "open_flags": Flag.objects.open().count() if moderator else 0,
        },
    )


LIST_HEADINGS = {"latest": "Latest topics", "unanswered": "Unanswered topics"}


def _topic_list(request: HttpRequest, list_name: str) -> HttpResponse:
    """The latest (or unanswered) topics the reader did not mute, with their read state; each
    row's own part is cached under its version (templates/forums/includes/topic_rows.html)."""
    viewer = request.user
    page = selectors.latest_topics(
        muted_by=viewer, number=request.GET.get("page"), unanswered=list_name == "unanswered"
    )
    return render(
        request,
        "forums/topic_list.html",
        {
            "page": page,
            "heading": LIST_HEADINGS[list_name],
            "list_name": list_name,
            "read_marks": selectors.attach_read_marks(page.object_list, viewer),
        },
    )


def latest(request: HttpRequest) -> HttpResponse:
    return _topic_list(request, "latest")


def unanswered(request: HttpRequest) -> HttpResponse:
    return _topic_list(request, "unanswered")


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = request.user
    category = get_object_or_404(Category, slug=slug)
    page = selectors.category_topics(category=category, number=request.GET.get("page"))
    # First: it also answers, for the permission check below, whether the reader is a forum
    # moderator and whether they are suspended.
    level, has_awaiting = selectors.category_standing(category=category, viewer=viewer)
    awaiting = selectors.awaiting_review(viewer=viewer, category=category) if has_awaiting else []
    return render(
        request,
        "forums/category.html",
        {
            "category": category,
            "page": page,
            "read_marks": selectors.attach_read_marks(page.object_list, viewer),
            "start_refusal": topic_start_refusal(viewer, category),
            "awaiting_review": awaiting,
            "watch_form": _watch_form(level) if viewer.is_authenticated else None,
        },
    )


def topic_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    """One query reads the reader's place in the topic, two the page (templates/forums/
    topic.html caches each post's own part under its version); a signed-in reader's read
    point is then moved on, if it moved."""
    reader = request.user
    reading = selectors.topic_reading(pk=pk, viewer=reader)
    if slug != reading.slug:
        return redirect(reading.get_absolute_url())
    number = selectors.topic_page_number(request.GET.get("page"), posts=reading.posts_shown)
    view = selectors.topic_view(reading=reading, viewer=reader, number=number)
    context = {"view": view, "topic": view.topic, "page": view.page, "reading": reading}
    if reader.is_authenticated:
        services.topic_read(
            reader=reader,
            topic_id=reading.pk,
            seen_until=view.seen_until,
            last_read_at=reading.last_read_at,
            unread_notifications=reading.unread_notifications,
        )
        context |= {
            "is_moderator": is_forum_moderator(reader),
            "reply_form": ReplyForm() if view.reply_refusal is None else None,
            "watch_form": _watch_form(reading.watch_level),
        }
    return render(request, "forums/topic.html", context)


def topic_unread(request: HttpRequest, pk: int) -> HttpResponse:
    """Jump to the first post published since the reader's last visit (or the last page)."""
    topic = selectors.topic_for_viewer(pk=pk, viewer=request.user)
    post = selectors.first_unread_post(topic=topic, viewer=request.user)
    if post is None:
        number = selectors.last_page_number(topic=topic)
        return redirect(f"{topic.get_absolute_url()}?page={number}")
    return redirect(post)


def post_permalink(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    number = selectors.post_page_number(post=post, viewer=request.user)
    url = post.topic.get_absolute_url()
    query = f"?page={number}" if number > 1 else ""
    return redirect(f"{url}{query}#post-{post.pk}")


def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    return render(
        request,
        "forums/post_history.html",
        {"post": post, "topic": post.topic, "revisions": list(post.revisions.all())},
    )


def search(request: HttpRequest) -> HttpResponse:
    """Posts matching the words in the address, as the reader may see them."""
    # The form reads the words only; any other parameter just makes it bound (an empty
    # search is an error beside the field, as before).
    data = None
    page_query = QueryDict(mutable=True)
    if request.GET:
        data = QueryDict(mutable=True)
        if "q" in request.GET:
            data["q"] = page_query["q"] = request.GET["q"]
    form = SearchForm(data)
    page = None
    if form.is_valid():
        page = selectors.search_posts(
            viewer=request.user, query=form.cleaned_data["q"], number=request.GET.get("page")
        )
    return render(
        request,
        "forums/search.html",
        {"form": form, "page": page, "page_query": page_query},
    )


# --- Writing ----------------------------------------------------------------------------------


@login_required
def topic_create(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    require(topic_start_refusal(request.user, category))
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        topic = _attempt(
            form,
            "body",
            lambda: services.topic_create(
                author=request.user,
                category=category,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            ),
        )
        if topic is not None:
            if topic.is_published:
                messages.success(request, "Your topic is up.")
            else:
                messages.warning(
                    request,
                    "Your topic is awaiting review by a forum moderator. Until then only you "
                    "can see it.",
                )
            return redirect(topic)
    return render(request, "forums/topic_form.html", {"form": form, "category": category})


@login_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for_viewer(pk=pk, viewer=request.user)
    require(reply_refusal(request.user, topic))
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            post = _attempt(
                form,
                "body",
                lambda: services.post_create(
                    author=request.user, topic=topic, body=form.cleaned_data["body"]
                ),
            )
            if post is not None:
                if not post.is_published:
                    messages.warning(
                        request,
                        "Your reply is awaiting review by a forum moderator. Until then only "
                        "you can see it.",
                    )
                return redirect(post)
    else:
        form = ReplyForm(initial={"body": _quoted(request, topic)})
    return render(request, "forums/reply_form.html", {"form": form, "topic": topic})


def _quoted(request: HttpRequest, topic) -> str:
    """The body a "Quote" link starts the reply with."""
    quoted_id = request.GET.get("quote", "")
    if not quoted_id.isdigit():
        return ""
    post = (
        Post.objects.published()
        .select_related("author", "topic")
        .filter(pk=quoted_id, topic=topic)
        .first()
    )
    if post is None or not can_see_post(request.user, post):
        return ""
    return quote(body=post.body, username=post.author.username, url=post.get_absolute_url())


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    require(edit_refusal(request.user, post))
    with_title = post.is_opening
    if request.method == "POST":
        form = EditForm(request.POST, with_title=with_title)
        if form.is_valid():
            edited = _attempt(
                form,
                "body",
                lambda: services.post_edit(
                    post=post,
                    editor=request.user,
                    body=form.cleaned_data["body"],
                    title=form.cleaned_data.get("title"),
                ),
            )
            if edited is not None:
                if edited.status == Status.HELD:
                    messages.warning(request, "Your edit is awaiting review by a moderator.")
                else:
                    messages.success(request, "Your post is saved.")
                return redirect(edited)
    else:
        form = EditForm(
            initial={"title": post.topic.title, "body": post.body}, with_title=with_title
        )
    return render(request, "forums/post_edit.html", {"form": form, "post": post})


@login_required
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    require(delete_refusal(request.user, post))
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.post_delete(post=post, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "The topic is deleted." if post.is_opening else "Post deleted.")
        if post.is_opening:
            return redirect(post.topic.category)
        return redirect(post.topic)
    return render(
        request,
        "forums/post_delete.html",
        {"post": post, "form": form, "by_moderator": request.user.pk != post.author_id},
    )


@login_required
@require_POST
def post_react(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Unknown reaction.", status=400, content_type="text/plain")
    services.reaction_toggle(post=post, user=request.user, kind=form.cleaned_data["kind"])
    return redirect(post)


@login_required
@require_POST
def post_accept(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    services.answer_accept(post=post, actor=request.user)
    messages.success(request, "Marked as the accepted answer.")
    return redirect(post)


@login_required
@require_POST
def topic_unaccept(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for_viewer(pk=pk, viewer=request.user)
    services.answer_unaccept(topic=topic, actor=request.user)
    return redirect(topic)


@login_required
def post_report(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    require(report_refusal(request.user, post))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        flag = _attempt(
            form,
            None,
            lambda: services.post_report(
                post=post,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            ),
        )
        if flag is not None:
            messages.success(request, "Thank you: the forum moderators will look at it.")
            return redirect(post)
    return render(request, "forums/report_form.html", {"form": form, "post": post})


@login_required
@require_POST
def topic_watch(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for_viewer(pk=pk, viewer=request.user)
    form = WatchForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose watch, normal or mute.", status=400, content_type="text/plain")
    services.subscription_set(user=request.user, topic=topic, level=form.cleaned_data["level"])
    messages.success(request, "Your notification setting for this topic is saved.")
    return redirect(topic)


@login_required
@require_POST
def category_watch(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    form = WatchForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose watch, normal or mute.", status=400, content_type="text/plain")
    services.subscription_set(
        user=request.user, category=category, level=form.cleaned_data["level"]
    )
    messages.success(request, f"Your notification setting for {category.name} is saved.")
    return redirect(category)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = selectors.notifications_page(user=request.user, number=request.GET.get("page"))
    return render(
        request,
        "forums/notifications.html",
        {"page": page, "suspension_notice": _suspension_notice(request)},
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    return redirect("forums:notifications")


@login_required
@require_POST
def lesson_discuss(request: HttpRequest, pk: int) -> HttpResponse:
    """Open (or go to) a guide lesson's discussion topic."""
    from portal.guides.models import Lesson

    lesson = get_object_or_404(Lesson.objects.active(), pk=pk)
    if lesson.discussion_url:
        return redirect(lesson.discussion_url)
    url = services.lesson_discussion_open(lesson=lesson, author=request.user)
    return redirect(url)


# --- Moderating -------------------------------------------------------------------------------


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
    try:
        if action == "approve":
            services.post_approve(post=post, moderator=request.user)
            messages.success(request, "Approved: the post is published.")
        elif action == "dismiss":
            note = note_form.cleaned_data["reason"] if note_form.is_valid() else ""
            services.flag_dismiss(flag=flag, moderator=request.user, note=note)
            messages.success(request, "Report dismissed; the post stays.")
        elif not reason_form.is_valid():
            messages.error(request, "Give a reason: the author sees it.")
        elif action == "deny":
            services.post_deny(
                post=post, moderator=request.user, reason=reason_form.cleaned_data["reason"]
            )
            messages.success(request, "Denied: the post stays hidden and its author is told why.")
        else:
            services.post_hide(
                post=post, moderator=request.user, reason=reason_form.cleaned_data["reason"]
            )
            messages.success(request, "The post is hidden and its author is told why.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request, reverse("forums:queue"))


@login_required
def post_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """A forum moderator's page for one post: hide it (with a reason) or restore it."""
    _moderator_only(request)
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
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
    move_form = MoveForm(initial={"category": topic.category_id})
    if request.method == "POST":
        action = request.POST.get("action", "")
        note = request.POST.get("reason", "")[:1000]
        if action in TOPIC_ACTIONS:
            services.topic_moderate(topic=topic, moderator=request.user, action=action, reason=note)
            messages.success(request, f"Done: {ModerationAction.Action(action).label}.")
            return redirect(topic)
        if action == "move":
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
        {"topic": topic, "move_form": move_form, "opening_pk": opening.first()},
    )


@login_required
def moderation_log(request: HttpRequest) -> HttpResponse:
    _moderator_only(request)
    page = selectors.moderation_log(number=request.GET.get("page"))
    return render(request, "forums/moderation/log.html", {"page": page})


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
            suspension = _attempt(
                form,
                "until",
                lambda: services.person_suspend(
                    person=person,
                    moderator=request.user,
                    until=form.cleaned_data["until"],
                    reason=form.cleaned_data["reason"],
                ),
            )
            if suspension is not None:
                messages.success(request, f"{person.username} is suspended from posting.")
                return redirect("forums:person_moderate", username=person.username)
    return render(
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


@login_required
@require_POST
def suspension_lift(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator_only(request)
    suspension = get_object_or_404(Suspension.objects.select_related("user"), pk=pk)
    services.suspension_lift(suspension=suspension, moderator=request.user)
    messages.success(request, "The suspension is lifted.")
    return redirect("forums:person_moderate", username=suspension.user.username)
