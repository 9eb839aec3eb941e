"""Writing in the forums: topics, replies, edits, deletions, reactions, accepted answers,
reports, watch levels, marking notifications read and opening a lesson's discussion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from portal.core.forms import add_refusal, refusal_response
from portal.core.once import AlreadyDone
from portal.core.text import whole_number
from portal.forums import selectors, services
from portal.forums.forms import (
    DraftForm,
    EditForm,
    NoteForm,
    ReactionForm,
    ReplyForm,
    ReportForm,
    TopicForm,
    WatchForm,
)
from portal.forums.models import Category, Post, Status
from portal.forums.permissions import (
    can_see_post,
    delete_refusal,
    edit_refusal,
    reply_refusal,
    report_refusal,
    require,
    topic_start_refusal,
)
from portal.forums.selectors.held_notice import held_notice
from portal.forums.text import quote, render_post
from portal.forums.views import area_section, keep_private, topic_from_form, watch_form
from portal.forums.views.reading import topic_part


@login_required
def topic_create(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category.objects.public(), slug=slug)
    require(topic_start_refusal(request.user, category))
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        topic = topic_from_form(request, form, category, published="Your topic is up.")
        if topic is not None:
            return redirect(topic)
    page = render(request, "forums/topic_form.html", {"form": form, "category": category})
    return refusal_response(page, form)


@login_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Post a reply; or, without saving anything, show a preview of it ("Preview") or put a
    quote of a post into it ("Quote"). Without JavaScript these are the reply page; to htmx,
    the topic page's reply box (templates/forums/topic.html#reply-box)."""
    topic = selectors.topic_for_viewer(pk=pk, viewer=request.user)
    require(reply_refusal(request.user, topic))
    preview = None
    if request.method == "POST" and "quote" in request.POST:
        form = _with_quote(request, topic)
    elif request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid() and "preview" in request.POST:
            # The one renderer a saved post goes through (mentions linked, then sanitized).
            preview, _ = render_post(form.cleaned_data["body"])
        elif form.is_valid():
            try:
                post = services.post_create(
                    author=request.user, topic=topic, body=form.cleaned_data["body"]
                )
            except ValidationError as exc:
                add_refusal(form, exc, "body")
            else:
                if not post.is_published:
                    messages.warning(request, held_notice(reply=post))
                return redirect(post)
    else:
        form = ReplyForm(initial={"body": _quoted(request, topic, request.GET.get("quote", ""))})
    context = {"reply_form": form, "topic": topic, "preview": preview, **area_section(topic)}
    template = "forums/topic.html#reply-box" if request.htmx else "forums/reply_form.html"
    page = refusal_response(render(request, template, context), form)
    # The same address answers htmx with a part and everyone else with a page: a browser (or
    # a cache) must not keep one for the other.
    patch_vary_headers(page, ["HX-Request"])
    return keep_private(page, topic.is_private)


def _quoted(request: HttpRequest, topic, quoted_id: str) -> str:
    """The body a "Quote" link starts the reply with."""
    if whole_number(quoted_id) is None:
        return ""
    # Read as the reader sees it: a public topic's post, or one of a private area's topic
    # they are a member of (the topic's own area: it is the topic being replied to).
    post = (
        Post.objects.readable_by(request.user)
        .select_related("author", "topic__category")
        .filter(pk=quoted_id, topic=topic, status=Status.PUBLISHED)
        .first()
    )
    if post is None:
        return ""
    post.topic.area_member = post.area_member
    if not can_see_post(request.user, post):
        return ""
    return quote(body=post.body, username=post.author.username, url=post.get_absolute_url())


def _with_quote(request: HttpRequest, topic) -> ReplyForm:
    """The reply box with a quote of a post added under what was already typed in it (sent
    along by the "Quote" link, through htmx), the cursor in it."""
    draft = DraftForm(request.POST)
    typed = draft.cleaned_data["body"].rstrip() if draft.is_valid() else ""
    quoted = _quoted(request, topic, request.POST["quote"])
    form = ReplyForm(initial={"body": f"{typed}\n\n{quoted}" if typed else quoted})
    form.fields["body"].widget.attrs["autofocus"] = True
    return form


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    require(edit_refusal(request.user, post))
    with_title = post.is_opening
    if request.method == "POST":
        form = EditForm(request.POST, with_title=with_title)
        if form.is_valid():
            try:
                edited = services.post_edit(
                    post=post,
                    editor=request.user,
                    body=form.cleaned_data["body"],
                    title=form.cleaned_data.get("title"),
                )
            except ValidationError as exc:
                add_refusal(form, exc, "body")
            else:
                if edited.status == Status.HELD:
                    messages.warning(request, "Your edit is awaiting review by a moderator.")
                else:
                    messages.success(request, "Your post is saved.")
                return redirect(edited)
    else:
        form = EditForm(
            initial={"title": post.topic.title, "body": post.body}, with_title=with_title
        )
    context = {"form": form, "post": post, **area_section(post.topic)}
    page = render(request, "forums/post_edit.html", context)
    return keep_private(refusal_response(page, form), post.topic.is_private)


@login_required
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    require(delete_refusal(request.user, post))
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.post_delete(post=post, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "The topic is deleted." if post.is_opening else "Post deleted.")
        # Back to the category or topic page, an area's own for an area's topic (their
        # ``get_absolute_url``).
        if post.is_opening:
            return redirect(post.topic.category)
        return redirect(post.topic)
    page = render(
        request,
        "forums/post_delete.html",
        {
            "post": post,
            "form": form,
            "by_moderator": request.user.pk != post.author_id,
            **area_section(post.topic),
        },
    )
    return keep_private(page, post.topic.is_private)


@login_required
@require_POST
def post_react(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Unknown reaction.", status=400, content_type="text/plain")
    # Giving a reaction already given, or taking back one already taken back (a double
    # click), is done already: the same page either way.
    change = (
        services.reaction_give
        if form.cleaned_data["want"] == "give"
        else services.reaction_take_back
    )
    change(post=post, user=request.user, kind=form.cleaned_data["kind"])
    if request.htmx:
        return topic_part(request, topic_pk=post.topic_id, part="post", post=post)
    return redirect(post)


@login_required
@require_POST
def post_accept(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    services.answer_accept(post=post, actor=request.user)
    if request.htmx:  # the badges and the "Accepted answer" box under the question say it
        return topic_part(request, topic_pk=post.topic_id, part="topic", post=post)
    messages.success(request, "Marked as the accepted answer.")
    return redirect(post)


@login_required
@require_POST
def topic_unaccept(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for_viewer(pk=pk, viewer=request.user)
    services.answer_unaccept(topic=topic, actor=request.user)
    if request.htmx:
        return topic_part(request, topic_pk=topic.pk, part="topic")
    return redirect(topic)


@login_required
def post_report(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    require(report_refusal(request.user, post))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_report(
                post=post,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except AlreadyDone as exc:  # a repeat, or the same report sent twice at once
            messages.info(request, exc.message)
            return redirect(post)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "Thank you: the forum moderators will look at it.")
            return redirect(post)
    context = {"form": form, "post": post, **area_section(post.topic)}
    page = render(request, "forums/report_form.html", context)
    return keep_private(refusal_response(page, form), post.topic.is_private)


@login_required
@require_POST
def topic_watch(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for_viewer(pk=pk, viewer=request.user)
    form = WatchForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose watch, normal or mute.", status=400, content_type="text/plain")
    services.subscription_set(user=request.user, topic=topic, level=form.cleaned_data["level"])
    if request.htmx:
        part = _watch_part(request, "forums/topic.html#watch", topic=topic, sent=form)
        return keep_private(part, topic.is_private)
    messages.success(request, "Your notification setting for this topic is saved.")
    return redirect(topic)


@login_required
@require_POST
def category_watch(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category.objects.public(), slug=slug)
    form = WatchForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose watch, normal or mute.", status=400, content_type="text/plain")
    services.subscription_set(
        user=request.user, category=category, level=form.cleaned_data["level"]
    )
    if request.htmx:
        return _watch_part(request, "forums/category.html#watch", category=category, sent=form)
    messages.success(request, f"Your notification setting for {category.name} is saved.")
    return redirect(category)


def _watch_part(request: HttpRequest, template: str, *, sent: WatchForm, **context):
    """The watch form at the level just saved, saying so, for htmx to put in its place."""
    form = watch_form(sent.cleaned_data["level"])
    return render(request, template, {**context, "watch_form": form, "watch_saved": True})


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
