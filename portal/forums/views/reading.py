"""Reading the forums: the index, the topic lists, a category, a topic, a post's history,
search and one's notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET
from django_htmx.http import reswap, retarget

from portal.core.search import is_too_short
from portal.forums import selectors, services
from portal.forums.forms import ReplyForm, SearchForm
from portal.forums.models import Category, Flag, Post
from portal.forums.permissions import (
    is_forum_moderator,
    reads_through_reports,
    topic_start_refusal,
)
from portal.forums.selectors.conversations import message_for_reader
from portal.forums.views import (
    area_section,
    keep_private,
    suspension_notice,
    viewer_of,
    watch_form,
)


def index(request: HttpRequest) -> HttpResponse:
    """The categories, each row cached under its version (templates/forums/index.html), with
    the reader's own unread counts rendered outside the cache."""
    moderator = is_forum_moderator(request.user)
    return render(
        request,
        "forums/index.html",
        {
            "categories": selectors.categories_for_index(viewer=request.user),
            "is_moderator": moderator,
            "open_flags": Flag.objects.open().count() if moderator else 0,
        },
    )


LIST_HEADINGS = {"latest": "Latest topics", "unanswered": "Unanswered topics"}


def _topic_list(request: HttpRequest, list_name: str) -> HttpResponse:
    """The latest (or unanswered) topics the reader did not mute, with their read state; each
    row's own part is cached under its version (templates/forums/includes/topic_rows.html)."""
    viewer = viewer_of(request)
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
    viewer = viewer_of(request)
    category = get_object_or_404(Category.objects.public(), slug=slug)
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
            "watch_form": watch_form(level) if viewer.is_authenticated else None,
        },
    )


def topic_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    """One query reads the reader's place in the topic, two the page (templates/forums/
    topic.html caches each post's own part under its version); a signed-in reader's read
    point is then moved on, if it moved. A private area's topic (a mod team's discussion) is
    not read at the forum's address but at the area's (``Topic.get_absolute_url``), which
    shows this same page (``topic_page``) inside the area's section."""
    reading = selectors.topic_reading(pk=pk, viewer=viewer_of(request))
    if reading.is_private:
        raise Http404("No such topic.")
    if slug != reading.slug:
        return redirect(reading.get_absolute_url())
    return topic_page(request, reading)


def topic_page(
    request: HttpRequest,
    reading: selectors.TopicReading,
    *,
    template: str = "forums/topic.html",
    extra: dict | None = None,
) -> HttpResponse:
    """The topic page, for a reader whose place in the topic was read (and whose right to
    see it checked) by ``selectors.topic_reading``: the forums' own (``topic_detail``), and a
    private area's topic shown at the area's address (a mod team's discussion, with
    ``template`` extending this one and ``extra`` context for its section). A reader through
    a report (staff, while a post of an area's topic is in the review queue) only reads: no
    read point, reply box, watch form or new-replies poll."""
    reader = viewer_of(request)
    number = selectors.topic_page_number(request.GET.get("page"), posts=reading.posts_shown)
    view = selectors.topic_view(reading=reading, viewer=reader, number=number)
    context = {
        "view": view,
        "topic": view.topic,
        "page": view.page,
        "reading": reading,
        # The last page announces replies published after it was read (topic_new_replies).
        "new_replies_after": (
            None
            if view.page.has_next() or reading.by_report
            else selectors.seen_until_mark(view.seen_until)
        ),
        **(extra or {}),
    }
    if reader.is_authenticated and not reading.by_report:
        services.topic_read(
            reader=reader,
            topic_id=reading.pk,
            seen_until=view.seen_until,
            last_read_at=reading.last_read_at,
            unread_notifications=reading.unread_notifications,
        )
        context |= {
            # In a private area a forum moderator moderates through the review queue.
            "is_moderator": is_forum_moderator(reader) and not reading.is_private,
            "reply_form": ReplyForm() if view.reply_refusal is None else None,
            "watch_form": watch_form(reading.watch_level),
        }
    return keep_private(render(request, template, context), reading.is_private)


# The parts of a topic page an htmx request gets back (templates/forums/topic.html), and the
# element each replaces.
TOPIC_PARTS = {"post": "#post-{post}", "topic": "#topic-content"}


def topic_part(
    request: HttpRequest, *, topic_pk: int, part: str, post: Post | None = None
) -> HttpResponse:
    """One part of a topic page as the reader now sees it, for an htmx request: a post (after
    a reaction) or the topic's header and posts (after an answer is accepted), read with the
    page's own selectors, on the page the post (one the reader may see) is on. The reader's
    read point is not moved: they have not been shown anything new."""
    reader = viewer_of(request)
    reading = selectors.topic_reading(pk=topic_pk, viewer=reader)
    number = (
        1 if post is None else selectors.post_page_number(post=post, viewer=reader, reading=reading)
    )
    view = selectors.topic_view(reading=reading, viewer=reader, number=number)
    context = {
        "view": view,
        "topic": view.topic,
        "page": view.page,
        "reading": reading,
        "is_moderator": is_forum_moderator(reader) and not reading.is_private,
    }
    if part == "post":
        context["post"] = next(shown for shown in view.posts if shown.pk == post.pk)
    response = render(request, f"forums/topic.html#{part}", context)
    response = reswap(response, "outerHTML")
    response = retarget(response, TOPIC_PARTS[part].format(post=post.pk if post else ""))
    return keep_private(response, reading.is_private)


@require_GET
def topic_new_replies(request: HttpRequest, pk: int) -> HttpResponse:
    """How many replies were published in the topic after the moment in the address (the last
    reply the reader's page shows): "2 new replies: show", or nothing. Polled by the topic
    page (templates/forums/topic.html), a mod team's topic's included (by its members); one
    query, nothing marked read."""
    after = selectors.seen_until_from_mark(request.GET.get("after", ""))
    if after is None:
        return HttpResponse("Say after which moment.", status=400, content_type="text/plain")
    found = selectors.new_replies_count(pk=pk, viewer=viewer_of(request), after=after)
    response = render(
        request,
        "forums/topic.html#new-replies",
        {"topic": {"pk": pk}, "new_replies": found.count, "unread_url": found.unread_url},
    )
    return keep_private(response, found.is_private)


def topic_unread(request: HttpRequest, pk: int) -> HttpResponse:
    """Jump to the first post published since the reader's last visit (or the last page)."""
    topic = selectors.topic_for_viewer(pk=pk, viewer=request.user)
    if topic.is_private:
        # An area's topic jumps from its own page (``TopicReading.unread_url``).
        raise Http404("No such topic.")
    post = selectors.first_unread_post(topic=topic, viewer=request.user)
    if post is None:
        number = selectors.last_page_number(topic=topic)
        return redirect(f"{topic.get_absolute_url()}?page={number}")
    return redirect(post)


def post_permalink(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        # A post of a private area (a mod team's discussion) its member may see comes back
        # too: its topic's address is the area's page (``Topic.get_absolute_url``).
        post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    except Http404:
        # A private conversation's message, or a post in a private area read through a
        # report, is no forum post the person may see, but the links every post has lead
        # here too (a moderation notice and its email, the review queue, the log). For staff
        # and forum moderators, while a post of its topic is in the review queue, an area's
        # post goes to its page there, which lets them read it then; a message goes to its
        # own address, which decides the same for a conversation. Anyone else gets a 404, as
        # for any post they may not see.
        area_post = (
            Post.objects.filter(pk=pk, topic__is_private=True)
            .exclude(topic__category__page_path="")
            .select_related("topic__category")
            .first()
        )
        if area_post is not None:
            in_queue = Flag.objects.open().filter(post__topic=area_post.topic)
            if not (reads_through_reports(request.user) and in_queue.exists()):
                raise
            return redirect(area_post.topic.area_path(area_post.pk))
        message, _ = message_for_reader(pk=pk, viewer=request.user)
        return redirect("conversations:message", pk=message.pk)
    number = selectors.post_page_number(post=post, viewer=request.user)
    url = post.topic.get_absolute_url()
    query = f"?page={number}" if number > 1 else ""
    return redirect(f"{url}{query}#post-{post.pk}")


def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    page = render(
        request,
        "forums/post_history.html",
        {
            "post": post,
            "topic": post.topic,
            "revisions": list(post.revisions.all()),
            **area_section(post.topic),
        },
    )
    return keep_private(page, post.topic.is_private)


def search(request: HttpRequest) -> HttpResponse:
    """Posts matching the words in the address, as the reader may see them. Nothing to search
    for (empty, a letter, punctuation) or nothing found gets suggestions, never an error."""
    # The form reads the words only (other parameters, such as the page, are not its own).
    form = SearchForm({"q": request.GET.get("q", "")})
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = None
    if not is_too_short(query):
        page = selectors.search_posts(
            viewer=request.user, query=query, number=request.GET.get("page")
        )
    page_query = QueryDict(mutable=True)
    if query:
        page_query["q"] = query
    return render(
        request,
        "forums/search.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "page_query": page_query,
            "help": selectors.search_help() if page is None or not page.object_list else None,
        },
    )


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = selectors.notifications_page(user=request.user, number=request.GET.get("page"))
    return render(
        request,
        "forums/notifications.html",
        {"page": page, "suspension_notice": suspension_notice(request)},
    )
