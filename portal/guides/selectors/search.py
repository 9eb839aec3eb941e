"""Searching the lessons: ranked full-text search on PostgreSQL, words anywhere on SQLite,
and a short highlighted extract of each match.

How the words are read (phrases, word forms, the last word as a prefix, typos) and how a
snippet is drawn is portal/core/search.py's, shared with every other search."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Least
from django.utils.safestring import SafeString

from portal.core.plans import TYPO_SIMILARITY
from portal.core.search import highlight as highlight_words
from portal.core.search import parse_query, rough_stem, snippet, tsquery_text, typo_words
from portal.guides.models import Lesson
from portal.guides.sync import SEARCH_CONFIG

# A lesson's score: ts_rank over its weighted vector (title A 1.0, summary B 0.4, body C 0.2),
# plus ALL_WORDS_WEIGHT when it holds every word asked, plus TITLE_WEIGHT when the title holds
# every word, and TYPO_WEIGHT × how nearly it holds them (a misspelt title word). A lesson
# named for what was asked comes first.
ALL_WORDS_WEIGHT = 0.5  # every word of a long query, not all but one
TITLE_WEIGHT = 1.0
TYPO_WEIGHT = 0.6


def lessons_search(*, query: str) -> QuerySet[Lesson]:
    """Lessons matching the words, best first: ranked full-text search on PostgreSQL (with
    typos in title words found by pg_trgm), and on SQLite (a laptop) every word, roughly
    stemmed, somewhere in the title, summary or text, titles first. Active lessons only."""
    terms = parse_query(query)
    lessons = (
        Lesson.objects.active()
        .select_related("track")
        .defer("body_html", "toc", "search_vector", "questions", "checklist")
    )
    if not terms:
        return lessons.none()
    if settings.IS_POSTGRES:
        # From three words on, a lesson may miss one of them, and ranks lower for it.
        words = SearchQuery(
            tsquery_text(terms, all_parts=False), config=SEARCH_CONFIG, search_type="raw"
        )
        every_word = SearchQuery(tsquery_text(terms), config=SEARCH_CONFIG, search_type="raw")
        in_title = SearchQuery(
            # From three words on, all but one in the title counts as a title match.
            tsquery_text(terms, weight="A", all_parts=False),
            config=SEARCH_CONFIG,
            search_type="raw",
        )
        matches = Q(search_vector=words)
        near = Value(0.0)
        typos = typo_words(terms)
        if typos and not terms.phrases:
            # The lessons are few (about fifty), so the similarity is read for each rather
            # than through the trigram index (which a search of many more titles would use).
            scores = [TrigramWordSimilarity(word, "title") for word in typos]
            near = scores[0] if len(scores) == 1 else Least(*scores)
        lessons = lessons.annotate(
            near_title=near,
            rank=SearchRank(F("search_vector"), words),
            all_words=Case(
                When(search_vector=every_word, then=Value(ALL_WORDS_WEIGHT)),
                default=Value(0.0),
                output_field=FloatField(),
            ),
            title_hit=Case(
                When(search_vector=in_title, then=Value(TITLE_WEIGHT)),
                default=Value(0.0),
                output_field=FloatField(),
            ),
        )
        if typos and not terms.phrases:
            matches |= Q(near_title__gte=TYPO_SIMILARITY)
        return (
            lessons.filter(matches)
            .annotate(
                score=F("rank") + F("all_words") + F("title_hit") + F("near_title") * TYPO_WEIGHT
            )
            .order_by("-score", "track__order", "position", "pk")
        )
    in_title = Q()
    for text in [rough_stem(w) for w in terms.words] + [" ".join(p) for p in terms.phrases]:
        lessons = lessons.filter(
            Q(title__icontains=text) | Q(summary__icontains=text) | Q(body_text__icontains=text)
        )
        in_title &= Q(title__icontains=text)
    return lessons.annotate(
        title_hit=Case(When(in_title, then=Value(1)), default=Value(0))
    ).order_by("-title_hit", "track__order", "track__title", "position", "pk")


def search_snippet(lesson: Lesson, query: str) -> SafeString:
    """A short extract of the lesson around the first match, matches in <mark>, escaped."""
    return snippet(lesson.body_text, parse_query(query))


def highlight(text: str, query: str) -> SafeString:
    """A title with the searched words in <mark>, escaped."""
    return highlight_words(text, parse_query(query))


SUGGESTED_TRACKS = 4


def suggested_tracks() -> list[dict]:
    """The first tracks of the library (start here, then the roles), as search pages offer
    them when there is nothing to search for or nothing was found: one query."""
    from django.urls import reverse

    from portal.guides.models import Track

    return [
        {"title": title, "url": reverse("guides:track", kwargs={"track_slug": slug})}
        for title, slug in Track.objects.active()
        .order_by("order", "title")
        .values_list("title", "slug")[:SUGGESTED_TRACKS]
    ]
