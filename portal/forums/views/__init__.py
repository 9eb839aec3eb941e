"""Forum pages. Thin: a selector reads, a form validates, a service acts, permissions.py says
who may; a refusal the person can understand is a 403 with its reason, anything they may not
see is a 404.

Pages are rendered whole by their templates, the reader's own bits included. What is the same
for everyone who sees it (a post's author and body, a row of a topic list) sits in a
``{% cache %}`` block keyed on the versions of the rows it shows (forums/models/__init__.py),
so a write gets exactly what it changed rendered afresh and nothing is ever forgotten by hand.

The pages are in reading.py, writing.py and moderation.py; what they share is here.

A form sent by htmx (``request.htmx``, django-htmx) is answered with the part of the page it
changed, rendered from the page's own template (``template#partial``), instead of the redirect
the same form gets without JavaScript; permissions and services are the same either way."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import resolve
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

from portal.core.forms import add_refusal
from portal.forums import services
from portal.forums.forms import TopicForm, WatchForm
from portal.forums.models import Category, Subscription, Topic
from portal.forums.permissions import active_suspension, suspension_text
from portal.forums.selectors.held_notice import held_notice


def back_path(request: HttpRequest) -> str:
    """Where the form was (its "next": a same-site path only), or ""."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Back to where the form was, or the fallback."""
    return redirect(back_path(request) or fallback)


def viewer_of(request: HttpRequest):
    """The reader without the lazy wrapper ``request.user`` comes in: a page that asks the
    permission checks about each of its rows reads the person hundreds of times, and each
    read through the wrapper cost a proxy call (about 0.5 ms of a topic page)."""
    user = request.user
    user.is_authenticated  # noqa: B018 (loads the person behind the wrapper)
    return getattr(user, "_wrapped", user)


def area_section(topic: Topic) -> dict:
    """What a page about a topic or one of its posts tells base.html of the site's section it
    is in (``site_section``, the header's current link): a private area's topic is in the
    section of the app whose pages the area's are (a mod team's discussion: Teams), read off
    the area's address, so the forums need not name an app above them. Nothing for the
    forums' own topics, whose pages are the forums'."""
    if topic.is_private and topic.category.page_path:
        return {"site_section": resolve(topic.category.page_path).app_name}
    return {}


def keep_private(response: HttpResponse, is_private: bool) -> HttpResponse:
    """A private topic's page or part (a mod team's discussion) goes out marked for its
    reader alone and kept by nobody on the way: no shared cache, and not the anonymous page
    cache, which never keeps a response that says something about caching itself
    (portal/core/anonymous_cache.py). Public topics' pages are left to the usual rules."""
    if is_private:
        patch_cache_control(response, private=True, no_store=True)
    return response


def watch_form(level: str) -> WatchForm:
    """A watch form (a topic's or a category's) at the reader's level: normal for a level no
    longer offered."""
    if level not in Subscription.Level.values:
        level = Subscription.Level.NORMAL
    return WatchForm(initial={"level": level})


def suspension_notice(request: HttpRequest) -> str | None:
    suspension = active_suspension(request.user)
    return suspension_text(suspension) if suspension else None


def topic_from_form(
    request: HttpRequest, form: TopicForm, category: Category, *, published: str
) -> Topic | None:
    """Start a topic from a valid ``TopicForm`` through the posting service, the one way a
    topic is started from a page (a forum's, a team's discussion): the author is told it is
    up (``published``) or why it is held. A refusal goes onto the form, and None comes back."""
    try:
        topic = services.topic_create(
            author=request.user,
            category=category,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )
    except ValidationError as exc:
        add_refusal(form, exc, "body")
        return None
    if topic.is_published:
        messages.success(request, published)
    else:
        messages.warning(request, held_notice(topic=topic))
    return topic
