"""Searching the lessons: ranked full-text search on PostgreSQL, words anywhere on SQLite,
and a short highlighted extract of each match."""

from __future__ import annotations

import html
import re

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet
from django.utils.safestring import SafeString, mark_safe

from portal.guides.models import Lesson
from portal.guides.sync import SEARCH_CONFIG

SNIPPET_CHARS = 220
# Markers PostgreSQL puts around matched words in a snippet: control characters that never
# occur in lesson text, so the snippet can be escaped first and highlighted after.
_MARK_START, _MARK_STOP = "\x02", "\x03"


def lessons_search(*, query: str) -> QuerySet[Lesson]:
    """Lessons matching the words, best first: ranked full-text search on PostgreSQL, and on
    SQLite (a laptop) every word somewhere in the title, summary or text."""
    lessons = (
        Lesson.objects.active()
        .select_related("track")
        .defer("body_html", "toc", "search_vector", "questions", "checklist")
    )
    if settings.IS_POSTGRES:
        search = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        return (
            lessons.filter(search_vector=search)
            .annotate(
                rank=SearchRank(F("search_vector"), search),
                headline=SearchHeadline(
                    "body_text",
                    search,
                    config=SEARCH_CONFIG,
                    start_sel=_MARK_START,
                    stop_sel=_MARK_STOP,
                    max_words=40,
                    min_words=20,
                ),
            )
            .defer("body_text")
            .order_by("-rank", "track__order", "position", "pk")
        )
    words = query.split()[:10]
    for word in words:
        lessons = lessons.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body_text__icontains=word)
        )
    return lessons.order_by("track__order", "track__title", "position", "pk")


def search_snippet(lesson: Lesson, query: str) -> SafeString:
    """A short extract of the lesson around the first match, matches in <mark>, escaped."""
    headline = getattr(lesson, "headline", None)
    if headline is None:
        headline = _python_headline(lesson.body_text, query)
    escaped = html.escape(headline)
    return mark_safe(  # noqa: S308 (escaped above; only our own <mark> tags are added)
        escaped.replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")
    )


def _python_headline(text: str, query: str) -> str:
    words = [re.escape(word) for word in query.split()[:10] if word]
    if not words:
        return text[:SNIPPET_CHARS]
    pattern = re.compile("|".join(words), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - SNIPPET_CHARS // 3)
    # Start and end on word boundaries, with an ellipsis where the extract is cut.
    if start:
        start = text.find(" ", start) + 1
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    extract = pattern.sub(lambda m: f"{_MARK_START}{m.group(0)}{_MARK_STOP}", text[start:end])
    return ("… " if start else "") + extract + (" …" if end < len(text) else "")
