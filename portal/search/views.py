"""The header's search: every kind at once, a few of each, grouped, with a tab per kind (each
tab is that app's own search page, with every result of its kind)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from portal.board.selectors import moderators_search, openings_search
from portal.core.search import is_too_short
from portal.forums.selectors import search_help, search_posts
from portal.guides.selectors import highlight, lessons_search, search_snippet
from portal.search.forms import SearchForm

PER_KIND = 3  # results of each kind on the "All" tab; its tab has the rest


@dataclass
class Group:
    """One kind's results: its heading, its tab (the app's own search page) and a few rows
    of (url, title_html, detail, snippet_html)."""

    kind: str
    heading: str
    tab_url: str
    rows: list = field(default_factory=list)
    more: bool = False


def _tab(url_name: str, query: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'q': query})}"


def results(request: HttpRequest) -> HttpResponse:
    """A few results of each kind the reader may see: guide lessons, forum posts, open
    openings and, for members who are signed in, people in the moderator directory. A fixed
    number of queries whatever the data (tests/search/test_pages.py)."""
    form = SearchForm({"q": request.GET.get("q", "")})
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if is_too_short(query):
        return render(
            request,
            "search/results.html",
            {"form": form, "query": query, "groups": None, "help": search_help()},
        )
    groups = [_guides(query), _forums(request, query), _openings(query)]
    if request.user.is_authenticated:
        groups.append(_people(query))
    found = [group for group in groups if group.rows]
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "query": query,
            "groups": found,
            "help": None if found else search_help(),
        },
    )


def _guides(query: str) -> Group:
    group = Group("guides", "Guides", _tab("guides:search", query))
    lessons = list(lessons_search(query=query)[: PER_KIND + 1])
    group.more = len(lessons) > PER_KIND
    group.rows = [
        {
            "url": lesson.get_absolute_url(),
            "title_html": highlight(lesson.title, query),
            "detail": lesson.track.title,
            "snippet_html": search_snippet(lesson, query),
        }
        for lesson in lessons[:PER_KIND]
    ]
    return group


def _forums(request: HttpRequest, query: str) -> Group:
    group = Group("forums", "Forums", _tab("forums:search", query))
    page = search_posts(viewer=request.user, query=query, number=1, per_page=PER_KIND)
    group.more = page.has_next()
    group.rows = [
        {
            "url": result.url,
            "title_html": result.title_html,
            "detail": f"{result.category_name} · {result.author_name}"
            + (" · accepted answer" if result.is_accepted else ""),
            "snippet_html": result.snippet_html,
        }
        for result in page.object_list
    ]
    return group


def _openings(query: str) -> Group:
    group = Group("openings", "Openings", _tab("board:index", query))
    found, group.more = openings_search(query=query, limit=PER_KIND)
    group.rows = [vars(row) for row in found]
    return group


def _people(query: str) -> Group:
    group = Group("people", "Moderators", _tab("board:moderators", query))
    found, group.more = moderators_search(query=query, limit=PER_KIND)
    group.rows = [vars(row) for row in found]
    return group
