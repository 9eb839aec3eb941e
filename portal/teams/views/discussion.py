"""The team's discussion pages: its topics, starting one, a topic, and the member's
notification setting for the whole discussion.

Built on the forums: the topics are a private category's (services/discussion.py), listed
through the forums' area selectors and written through the forums' posting service, so
mentions, notifications and their emails, read state, the one renderer, rate limits and the
hold filter all apply as in the forums. A topic is the forums' own topic page
(``portal.forums.views.reading.topic_page``) shown at the team's address inside the team's
section, and everything done on it (replying, quoting, preview, reactions, editing,
deleting, history, reporting, watching, new replies) is the forums' own action, which
admits the area's members (``Topic.objects.readable_by``). Members of the team (owner,
leads, moderators and trial members) read and write; anyone else gets a 404. Staff and
forum moderators read a topic only while a post of it waits in their queue (a report, or a
post the filter held), and never write in it, as for private conversations.

The addresses the team's own topic page once had for replying and reporting lead to the
forums' actions (307 keeps a form's method and fields), so a page open in a tab still works.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.core.forms import refusal_response
from portal.core.text import whole_number
from portal.forums import selectors as forum_selectors
from portal.forums import services as forum_services
from portal.forums.forms import TopicForm, WatchForm
from portal.forums.models import POSTS_PER_PAGE, Subscription
from portal.forums.selectors import areas
from portal.forums.selectors.lists import awaiting_review
from portal.forums.views import topic_from_form, viewer_of
from portal.forums.views.reading import topic_page
from portal.teams.models import Team
from portal.teams.permissions import membership_of, team_for_member
from portal.teams.services import discussion_for


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
    """The team, the reader's membership (None when read through a report) and their place
    in the topic (``topic_reading``), or 404. The forums decide who reads an area's topic
    (its members, and staff while a post of it is in the queue) in the statement that reads
    it; the team's own membership is asked too, as every team page asks it."""
    team = (
        Team.objects.select_related("channel")
        .filter(channel__slug=slug, channel__left_at__isnull=True, discussion__isnull=False)
        .first()
    )
    if team is None:
        raise Http404("No such team.")
    reader = viewer_of(request)
    reading = forum_selectors.topic_reading(pk=topic_id, viewer=reader)
    if reading.category_id != team.discussion_id:
        raise Http404("No such topic.")
    membership = None if reading.by_report else membership_of(reader, team)
    if membership is None and not reading.by_report:
        raise Http404("No such topic.")
    return team, membership, reading


def _at_post(url: str, number: int, post_id: int) -> HttpResponseRedirect:
    query = f"?page={number}" if number > 1 else ""
    return redirect(f"{url}{query}#post-{post_id}")


@require_GET
@login_required
def topic(request: HttpRequest, slug: str, topic_id: int) -> HttpResponse:
    """A page of the topic: the forums' topic page inside the team's section. ``?post=``
    (where notices and a post's own address point) goes to the page that post is on, and
    ``?unread`` to the first post published since the member's last visit. Reading it moves
    the member's read point and clears their notices about it (not a reader through a
    report: they are not in the team)."""
    team, membership, reading = _reader(request, slug, topic_id)
    url = _topic_url(team, reading.pk)
    reader = viewer_of(request)
    if "post" in request.GET:
        found = forum_selectors.page_of_post(
            reading=reading, viewer=reader, post_id=request.GET["post"]
        )
        return _at_post(url, *found) if found else redirect(url)
    if "unread" in request.GET:
        post = (
            None
            if reading.by_report
            else forum_selectors.first_unread_post(topic=reading, viewer=reader)
        )
        if post is None:
            last = max(1, -(-reading.posts_shown // POSTS_PER_PAGE))
            return redirect(f"{url}?page={last}" if last > 1 else url)
        number = forum_selectors.post_page_number(post=post, viewer=reader, reading=reading)
        return _at_post(url, number, post.pk)
    return topic_page(
        request,
        reading,
        template="teams/discussion/topic.html",
        extra=_context(team, membership),
    )


def _forums_action(request: HttpRequest, url: str) -> HttpResponseRedirect:
    """An old address of the team's own topic page, to the forums' action that does it now:
    a form sent to it is sent on with its method and fields (307)."""
    response = HttpResponseRedirect(url)
    if request.method == "POST":
        response.status_code = 307
    return response


@require_POST
@login_required
def reply(request: HttpRequest, slug: str, topic_id: int) -> HttpResponse:
    _, membership, reading = _reader(request, slug, topic_id)
    if membership is None:
        raise PermissionDenied(forum_selectors.BY_REPORT)
    return _forums_action(request, reverse("forums:reply", kwargs={"pk": reading.pk}))


@require_http_methods(["GET", "POST"])
@login_required
def report(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """Reporting a post of the discussion is the forums' report (the forum moderators then
    read its topic, and only it, while the report is open)."""
    team_for_member(request.user, slug)
    return _forums_action(request, reverse("forums:post_report", kwargs={"pk": post_id}))


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
        # The team's old topic page's form: a topic's own setting is the forums' now.
        pk = whole_number(topic_id)
        if pk is None:
            return HttpResponse("No such topic.", status=400, content_type="text/plain")
        return _forums_action(request, reverse("forums:topic_watch", kwargs={"pk": pk}))
    forum_services.subscription_set(user=request.user, category=category, level=level)
    messages.success(request, "Your notification setting for the team's discussion is saved.")
    return redirect("teams:discussion", slug=team.slug)
