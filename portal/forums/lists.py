"""The forums' list pages (the index, a category, latest and unanswered, search) as a shared
part that signed-in readers of one class share, and a personal part filled in per request
(portal/core/reader_cache.py).

What differs per reader on these pages, and how each is handled:

* each listed topic's read state ("new", "3 new", the row's unread look): holes, filled from
  one query over the page's topic ids (``selectors.read_marks``);
* the index's moderation panel and its review-queue count: the class (forum moderator or not);
* the Notifications tab of the forums' navigation: the class (signed in or not);
* on a category: "Start a topic" or why not (signed out, suspended, a staff-only category),
  the reader's own topics awaiting review there, and their watch form: holes;
* the latest and unanswered lists leave out what the reader muted: a reader who muted
  anything is served alone;
* search shows what the reader may see: the class (forum moderators see held and hidden
  posts); a member with a held or hidden post or topic of their own (which only they see) is
  served alone.

The topic lists themselves hold published topics only, the same for everyone, moderators
included; pagination, sorting and the search words are in the address.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from portal.core import reader_cache
from portal.forums import fragments, selectors
from portal.forums.forms import SearchForm
from portal.forums.models import Category, Flag
from portal.forums.permissions import topic_start_refusal


@dataclass(frozen=True)
class ListPart:
    """A list page's shared part: its HTML (with holes), its title, and the listed topics'
    ids and latest activity, from which each reader's read state is worked out."""

    html: str
    title: str
    topics: tuple[tuple[int, datetime], ...] = ()
    # A category page's own facts, for its personal pieces.
    category: tuple[int, str, str, bool] | None = None  # pk, name, slug, staff only
    # A category page's watch form for each level, with a hole for the CSRF field.
    watch_forms: tuple[tuple[str, str], ...] = ()


def shared_or_alone(
    name: str, *, vary: tuple, alone: bool, build: Callable[[], ListPart]
) -> ListPart:
    """The shared part for the reader's class, or, for a reader served alone, theirs."""
    if alone:
        return build()
    return reader_cache.shared(name, vary=vary, build=build)


def _topic_facts(page) -> tuple[tuple[int, datetime], ...]:
    return tuple((topic.pk, topic.last_posted_at) for topic in page.object_list)


# --- The index ----------------------------------------------------------------------------------


def index_part(*, signed_in: bool, moderator: bool) -> ListPart:
    categories = selectors.categories_for_index()
    fragments.attach_category_rows(categories)
    html = render_to_string(
        "forums/lists/index.html",
        {
            "categories": categories,
            "signed_in": signed_in,
            "is_moderator": moderator,
            "open_flags": Flag.objects.open().count() if moderator else 0,
            "search_form": SearchForm(),
        },
    )
    return ListPart(html=html, title="Forums")


# --- Latest and unanswered ------------------------------------------------------------------------

HEADINGS = {"latest": "Latest topics", "unanswered": "Unanswered topics"}


def topic_list_part(*, list_name: str, number, signed_in: bool, muted_by=None) -> ListPart:
    """The latest (or unanswered) list as everyone who muted nothing sees it, or as
    ``muted_by`` sees it."""
    page = selectors.latest_topics(
        muted_by=muted_by, number=number, unanswered=list_name == "unanswered"
    )
    fragments.attach_topic_rows(page.object_list, show_category=True)
    heading = HEADINGS[list_name]
    html = render_to_string(
        "forums/lists/topics.html",
        {
            "page": page,
            "page_query": QueryDict(),
            "heading": heading,
            "list_name": list_name,
            "signed_in": signed_in,
        },
    )
    return ListPart(html=html, title=f"{heading} · Forums", topics=_topic_facts(page))


# --- A category -----------------------------------------------------------------------------------


def category_part(*, slug: str, number, signed_in: bool) -> ListPart:
    """A category's page as every signed-in reader (or every visitor) sees it: starting a
    topic, the reader's own topics awaiting review and the level their watch form shows go in
    holes. The watch form is rendered here once for each level, with a hole for the CSRF
    field: choosing one per request is cheaper than rendering the form."""
    category = get_object_or_404(Category, slug=slug)
    page = selectors.category_topics(category=category, number=number)
    fragments.attach_topic_rows(page.object_list)
    html = render_to_string(
        "forums/lists/category.html",
        {"category": category, "page": page, "page_query": QueryDict(), "signed_in": signed_in},
    )
    watch_forms = ()
    if signed_in:
        watch_forms = fragments.watch_forms(
            action=reverse("forums:category_watch", kwargs={"slug": slug}),
            legend="Notifications for this category",
        )
    return ListPart(
        html=html,
        title=f"{category.name} · Forums",
        topics=_topic_facts(page),
        category=(category.pk, category.name, category.slug, category.staff_only_posting),
        watch_forms=watch_forms,
    )


def category_pieces(part: ListPart, *, request: HttpRequest) -> dict[str, str]:
    """The reader's own pieces of a category page: whether they may start a topic there,
    their topics there awaiting review, and their watch form."""
    pk, name, slug, staff_only = part.category
    category = Category(pk=pk, name=name, slug=slug, staff_only_posting=staff_only)
    viewer = request.user
    # First: it also answers, for the permission check below, whether they are a forum
    # moderator and whether they are suspended.
    level, has_awaiting = selectors.category_standing(category=category, viewer=viewer)
    refusal = topic_start_refusal(viewer, category)
    if refusal is None:
        start = format_html(
            '<a class="button" href="{}">Start a topic</a>',
            reverse("forums:topic_create", kwargs={"slug": slug}),
        )
    elif viewer.is_authenticated:
        start = format_html('<span class="notice">{}</span>', refusal)
    else:
        start = format_html(
            '<a href="{}?next={}">Log in to start a topic</a>',
            reverse("account_login"),
            urlencode(request.path),
        )
    if not viewer.is_authenticated:
        return {"start": start, "awaiting": ""}
    awaiting = ""
    if has_awaiting:
        awaiting = render_to_string(
            "forums/includes/awaiting_review.html",
            {"awaiting_review": selectors.awaiting_review(viewer=viewer, category=category)},
        )
    watch = fragments.watch_piece(part.watch_forms, level, request=request)
    return {"start": start, "awaiting": awaiting, "watch": watch}


# --- Search ---------------------------------------------------------------------------------------


def search_part(*, data: QueryDict | None, number, signed_in: bool, seen_as) -> ListPart:
    """The search page for ``data`` (the address's words, None: no search yet), showing what
    ``seen_as`` may see: a forum moderator, a reader served alone, or nobody in particular
    (published posts only)."""
    form = SearchForm(data)
    page = None
    if form.is_valid():
        page = selectors.search_posts(
            viewer=seen_as or AnonymousUser(), query=form.cleaned_data["q"], number=number
        )
    page_query = QueryDict(mutable=True)
    if data is not None and "q" in data:
        page_query["q"] = data["q"]
    html = render_to_string(
        "forums/lists/search.html",
        {"form": form, "page": page, "page_query": page_query, "signed_in": signed_in},
    )
    return ListPart(html=html, title="Search the forums")
