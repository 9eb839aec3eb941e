"""Searching the posts: full-text with ranking on PostgreSQL, a substring match on SQLite;
either way only what the reader may see."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from portal.core.plans import planned_for_its_words
from portal.forums.models import Post, Status
from portal.forums.selectors.paging import paginate
from portal.forums.services.search import SEARCH_CONFIG

SEARCH_PER_PAGE = 20


# How many of the newest matches are ranked (50 pages): enough for any word worth searching
# for, and a bound on the work a common word costs.
SEARCH_CANDIDATES = 1000


MAX_FALLBACK_WORDS = 8  # SQLite's fallback: one LIKE per word, so keep it bounded


# Markers the highlighted snippet is built with; they cannot occur in what people type
# (control characters), so the text around them can be escaped safely.
_START, _STOP = "\x02", "\x03"


def _safe_snippet(text: str) -> SafeString:
    escaped = html.escape(text, quote=False)
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


@dataclass(frozen=True)
class SearchResult:
    """A post found, as the results show it: read as plain values (no post, topic, category,
    person and profile objects for each of twenty results)."""

    pk: int
    url: str
    title: str
    category_name: str
    author_name: str
    created_at: datetime
    status: str
    snippet_html: str

    @property
    def status_label(self) -> str:
        return Status(self.status).label


# What a result shows, read in the same order as SearchResult's fields after ``pk``.
_RESULT_COLUMNS = (
    *("pk", "topic__title", "topic__category__name", "author__username"),
    *("author__profile__display_name", "created_at", "status", "body"),
)


def _results(rows, snippet_of) -> list[SearchResult]:
    """``rows`` of _RESULT_COLUMNS (and maybe a snippet after them) as results."""
    return [
        SearchResult(
            pk=pk,
            url=reverse("forums:post", kwargs={"pk": pk}),
            title=title,
            category_name=category_name,
            author_name=display_name or username,
            created_at=created_at,
            status=status,
            snippet_html=snippet_of(body, rest),
        )
        for pk, title, category_name, username, display_name, created_at, status, body, *rest in (
            rows
        )
    ]


def search_posts(*, viewer, query: str, number=1) -> Page:
    """Posts matching the words, best first on PostgreSQL (full-text search with ranking, the
    title counting more than the body), newest first on SQLite (each word as a substring).
    Only what the viewer may see; nothing deleted. The page's results are ``SearchResult``s."""
    posts = (
        Post.objects.visible_to(viewer)
        .exclude(status=Status.DELETED)
        .exclude(topic__status=Status.DELETED)
    )
    if settings.IS_POSTGRES:
        with planned_for_its_words():
            return _ranked_search(posts, query=query, number=number)
    # Every word somewhere in the post (or, for an opening post, its title).
    for word in query.split()[:MAX_FALLBACK_WORDS]:
        posts = posts.filter(
            Q(body__icontains=word) | Q(is_opening=True, topic__title__icontains=word)
        )
    posts = posts.order_by("-created_at", "-pk").values_list(*_RESULT_COLUMNS)
    page = paginate(posts, number, SEARCH_PER_PAGE)
    page.capped = False
    page.object_list = _results(page.object_list, lambda body, _: Truncator(body).words(35))
    return page


def _ranked_search(visible: QuerySet, *, query: str, number) -> Page:
    """Full-text search on PostgreSQL, in two queries whatever the number of matches.

    Only the newest SEARCH_CANDIDATES matches are ranked: ranking every match of a common
    word ("first" is in a quarter of all posts) read and scored every matching row, twice
    (count and page), 0.2 to 2 s a search on large data. The candidates are found newest
    first (down the post_newest index for a common word, from the GIN index for a rare one)
    and ranked in the same statement, which returns only their ids; the page's 20 posts are
    then read with their topics, people and highlighted snippets. The page says when the
    cap was reached, so people know to add words. Both are planned for the words searched
    (portal/core/plans.py), never with a prepared statement's generic plan."""
    words = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    newest = (
        visible.filter(search_vector=words)
        .order_by("-created_at", "-pk")
        .values("pk")[:SEARCH_CANDIDATES]
    )
    ranked = list(
        Post.objects.filter(pk__in=Subquery(newest))
        .annotate(rank=SearchRank(F("search_vector"), words))
        .order_by("-rank", "-created_at", "-pk")
        .values_list("pk", flat=True)
    )
    page = Paginator(ranked, SEARCH_PER_PAGE).get_page(number)
    page.capped = len(ranked) == SEARCH_CANDIDATES
    rows = (
        Post.objects.filter(pk__in=page.object_list)
        .annotate(
            snippet=SearchHeadline(
                "body",
                words,
                config=SEARCH_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=35,
                min_words=15,
            )
        )
        .values_list(*_RESULT_COLUMNS, "snippet")
    )
    found = {
        result.pk: result
        for result in _results(
            rows,
            lambda body, rest: _safe_snippet(rest[0]) if rest[0] else Truncator(body).words(35),
        )
    }
    page.object_list = [found[pk] for pk in page.object_list]
    return page
