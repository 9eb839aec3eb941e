"""The team's discussion pages: its topics, starting one, a topic with its replies, a reply,
reporting a post, and the member's notification setting for it.

Built on the forums: the topics are a private category's (services/discussion.py), read
through the forums' area selectors and written through the forums' posting service, so
mentions, notifications and their emails, read state, the one renderer, rate limits and the
hold filter all apply as in the forums. Members of the team (owner, leads, moderators and
trial members) read and write; anyone else gets a 404. Staff and forum moderators read a
topic only while a post of it waits in their queue (a report, or a post the filter held),
and never write in it, as for private conversations.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.core.forms import add_refusal, refusal_response
from portal.core.once import AlreadyDone
from portal.core.text import whole_number
from portal.forums import services as forum_services
from portal.forums.forms import ReplyForm, ReportForm, TopicForm, WatchForm
from portal.forums.models import Post, Status, Subscription
from portal.forums.permissions import reply_refusal, report_refusal, require
from portal.forums.selectors import areas
from portal.forums.selectors.held_notice import held_notice
from portal.forums.selectors.lists import awaiting_review
from portal.forums.views import topic_from_form
from portal.teams.models import Team
from portal.teams.permissions import team_for_member
from portal.teams.services import discussion_for

BY_REPORT = "You read this topic through a report; you don't write in it."


def _topic_url(team: Team, topic_id: int) -> str:
    return reverse("teams:discussion_topic", kwargs={"slug": team.slug, "topic_id": topic_id})


def _member_area(request: HttpRequest, slug: str):
    """The team, the member's membership and the team's discussion (made on first need), or
    404 for anyone not on the team now."""
    team, membership = team_for_member(request.user, slug)
    return team, membership, discussion_for(team=team)


def _context(team, membership, **more) -> dict:
    return {"team": team, "channel": team.channel, "membership": membership, **more}


def _category_level(user, category) -> str:
    level = (
        Subscription.objects.filter(user=user, category=category)
        .values_list("level", flat=True)
        .first()
    )
    return level or Subscription.Level.NORMAL


@require_GET
@login_required
def discussion(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership, category = _member_area(request, slug)
    page = areas.area_topics(category=category, viewer=request.user, number=request.GET.get("page"))
    return render(
        request,
        "teams/discussion/list.html",
        _context(
            team,
            membership,
            page=page,
            topics=page.object_list,
            awaiting_review=awaiting_review(viewer=request.user, category=category),
            watch_form=WatchForm(initial={"level": _category_level(request.user, category)}),
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
def start(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership, category = _member_area(request, slug)
    form = TopicForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            topic = topic_from_form(
                request, form, category, published="Your topic is up; the team can read it."
            )
            if topic is not None:
                return redirect(_topic_url(team, topic.pk))
        status = 400
    page = render(
        request,
        "teams/discussion/start.html",
        _context(team, membership, form=form),
        status=status,
    )
    return refusal_response(page, form)


def _reader(request: HttpRequest, slug: str, topic_id: int):
    """The team, the reader's membership (None when read through a report) and the topic,
    or 404."""
    try:
        team, membership, category = _member_area(request, slug)
    except Http404:
        team = (
            Team.objects.select_related("channel", "discussion")
            .filter(channel__slug=slug, channel__left_at__isnull=True, discussion__isnull=False)
            .first()
        )
        topic = (
            areas.reported_topic(category=team.discussion, pk=topic_id, viewer=request.user)
            if team is not None
            else None
        )
        if topic is None:
            raise
        return team, None, topic
    return team, membership, areas.area_topic(category=category, pk=topic_id, viewer=request.user)


def _topic_page(request, team, membership, topic, *, form=None, status=200):
    """The topic's page and what it showed (its ``AreaTopicView``)."""
    by_report = membership is None
    view = areas.area_topic_view(
        topic=topic, viewer=request.user, number=request.GET.get("page"), by_report=by_report
    )
    refusal = BY_REPORT if by_report else reply_refusal(request.user, topic)
    if refusal is None and form is None:
        form = ReplyForm()
    level = None
    if not by_report:
        level = (
            Subscription.objects.filter(user=request.user, topic=topic)
            .values_list("level", flat=True)
            .first()
        )
    response = render(
        request,
        "teams/discussion/topic.html",
        _context(
            team,
            membership,
            topic=topic,
            view=view,
            page=view.page,
            posts=view.page.object_list,
            by_report=by_report,
            reply_form=form if refusal is None else None,
            refusal=refusal,
            watch_form=WatchForm(initial={"level": level or Subscription.Level.NORMAL}),
        ),
        status=status,
    )
    return response, view


@require_GET
@login_required
def topic(request: HttpRequest, slug: str, topic_id: int) -> HttpResponse:
    """A page of the topic; ``?post=`` (where notices point) goes to the page that post is
    on. Reading it moves the member's read point and clears their notices about it (not a
    reader through a report: they are not in the team)."""
    team, membership, shown = _reader(request, slug, topic_id)
    if "post" in request.GET:
        found = areas.area_post_page_number(
            topic=shown, post_id=request.GET["post"], viewer=request.user
        )
        if found is None:
            return redirect(_topic_url(team, shown.pk))
        number, post_id = found
        query = f"?page={number}" if number > 1 else ""
        return redirect(f"{_topic_url(team, shown.pk)}{query}#post-{post_id}")
    response, view = _topic_page(request, team, membership, shown)
    if membership is not None:
        forum_services.topic_read(
            reader=request.user,
            topic_id=shown.pk,
            seen_until=view.seen_until,
            last_read_at=view.last_read_at,
            # Cleared by one statement that finds nothing when there is nothing to clear.
            unread_notifications=True,
        )
    return response


@require_POST
@login_required
def reply(request: HttpRequest, slug: str, topic_id: int) -> HttpResponse:
    team, membership, shown = _reader(request, slug, topic_id)
    if membership is None:
        raise PermissionDenied(BY_REPORT)
    require(reply_refusal(request.user, shown))
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            post = forum_services.post_create(
                author=request.user, topic=shown, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            add_refusal(form, exc, "body")
        else:
            if not post.is_published:
                messages.warning(request, held_notice(reply=post))
            return redirect(f"{_topic_url(team, shown.pk)}?post={post.pk}")
    response, _ = _topic_page(request, team, membership, shown, form=form, status=400)
    return refusal_response(response, form)


@require_http_methods(["GET", "POST"])
@login_required
def report(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """Send one post of the discussion to the forum moderators, who then read its topic
    (and only it) while the report is open."""
    team, membership, category = _member_area(request, slug)
    post = (
        Post.objects.select_related("author__profile", "topic")
        .filter(pk=post_id, topic__category=category, status=Status.PUBLISHED)
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    require(report_refusal(request.user, post))
    form = ReportForm(request.POST or None)
    back = f"{_topic_url(team, post.topic_id)}?post={post.pk}"
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                forum_services.post_report(
                    post=post,
                    reporter=request.user,
                    reason=form.cleaned_data["reason"],
                    details=form.cleaned_data["details"],
                )
            except AlreadyDone as exc:
                messages.info(request, exc.messages[0])
                return redirect(back)
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(
                    request,
                    "Thank you: the forum moderators will look at this post. They read this "
                    "topic only while the report is open, and never write in it.",
                )
                return redirect(back)
        status = 400
    page = render(
        request,
        "teams/discussion/report.html",
        _context(team, membership, form=form, post=post, back=back),
        status=status,
    )
    return refusal_response(page, form)


@require_POST
@login_required
def watch(request: HttpRequest, slug: str) -> HttpResponse:
    """The member's notification setting for the whole discussion (watch: told of every new
    topic and reply), or, with ``topic``, for one of its topics."""
    team, _, category = _member_area(request, slug)
    form = WatchForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose watch, normal or mute.", status=400, content_type="text/plain")
    level = form.cleaned_data["level"]
    topic_id = request.POST.get("topic", "")
    if topic_id:
        pk = whole_number(topic_id)
        if pk is None:
            return HttpResponse("No such topic.", status=400, content_type="text/plain")
        shown = areas.area_topic(category=category, pk=pk, viewer=request.user)
        forum_services.subscription_set(user=request.user, topic=shown, level=level)
        messages.success(request, "Your notification setting for this topic is saved.")
        return redirect(_topic_url(team, shown.pk))
    forum_services.subscription_set(user=request.user, category=category, level=level)
    messages.success(request, "Your notification setting for the team's discussion is saved.")
    return redirect("teams:discussion", slug=team.slug)
