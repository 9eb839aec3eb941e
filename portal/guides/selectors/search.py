"""Searching the lessons: ranked full-text search on PostgreSQL, words anywhere on SQLite,
and a short highlighted extract of each match.

How the words are read (phrases, word forms, the last word as a prefix, typos) and how a
snippet is drawn is portal/core/search.py's, shared with every other search."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.conf import settings
from django.db import connection
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.safestring import SafeString

from portal.core.plans import TYPO_SIMILARITY
from portal.core.search import (
    SearchTerms,
    compiled_condition,
    nearness_sql,
    parse_query,
    rough_stem,
    snippet,
    tsquery_text,
    typo_words,
)
from portal.core.search import highlight as highlight_words
from portal.guides.models import Lesson, Track
from portal.guides.sync import SEARCH_CONFIG

# A lesson's score: ts_rank over its weighted vector (title A 1.0, summary B 0.4, body C 0.2),
# plus ALL_WORDS_WEIGHT when it holds every word asked, plus TITLE_WEIGHT when the title holds
# every word, and TYPO_WEIGHT × how nearly it holds them (a misspelt title word). A lesson
# named for what was asked comes first.
ALL_WORDS_WEIGHT = 0.5  # every word of a long query, not all but one
TITLE_WEIGHT = 1.0
TYPO_WEIGHT = 0.6


def lessons_search(*, query: str) -> FoundLessons:
    """Lessons matching the words, best first: ranked full-text search on PostgreSQL (with
    typos in title words found by pg_trgm), and on SQLite (a laptop) every word, roughly
    stemmed, somewhere in the title, summary or text, titles first. Active lessons only.

    One statement ranks the matches' ids; a slice of the result (a page, the header's few)
    reads its lessons in one more."""
    terms = parse_query(query)
    lessons = Lesson.objects.active()
    if not terms:
        return FoundLessons([])
    if settings.IS_POSTGRES:
        return FoundLessons(_ranked_ids(lessons, terms))
    in_title = Q()
    for text in [rough_stem(w) for w in terms.words] + [" ".join(p) for p in terms.phrases]:
        lessons = lessons.filter(
            Q(title__icontains=text) | Q(summary__icontains=text) | Q(body_text__icontains=text)
        )
        in_title &= Q(title__icontains=text)
    return FoundLessons(
        list(
            lessons.annotate(title_hit=Case(When(in_title, then=Value(1)), default=Value(0)))
            .order_by("-title_hit", "track__order", "track__title", "position", "pk")
            .values_list("pk", flat=True)
        )
    )


def _ranked_ids(lessons: QuerySet[Lesson], terms: SearchTerms) -> list[int]:
    """The matching lessons' ids, best first (the score is described at ALL_WORDS_WEIGHT).

    Written out in SQL (the tables' names from the models, "active" compiled from the
    queryset): composed through the ORM, ranking and reading the header's four lessons cost
    3.2 ms of Python per search, against 1.5 ms for this statement and the slice's read, and
    the header's search runs it on every request (470 searches from bench/search_words.py's
    words on the large data, with the same lessons in the same order)."""
    lesson, track = Lesson._meta.db_table, Track._meta.db_table
    active, active_params = compiled_condition(lessons, tables={lesson, track})
    matches = f"{lesson}.search_vector @@ to_tsquery(%s::regconfig, %s)"
    # From three words on, a lesson may miss one of them, and ranks lower for it; from three
    # words on, all but one in the title counts as a title match.
    words = [SEARCH_CONFIG, tsquery_text(terms, all_parts=False)]
    every_word = [SEARCH_CONFIG, tsquery_text(terms)]
    in_title = [SEARCH_CONFIG, tsquery_text(terms, weight="A", all_parts=False)]
    near, near_params, found = "0", [], matches
    typos = typo_words(terms)
    if typos and not terms.phrases:
        # The lessons are few (about fifty), so the similarity is read for each rather than
        # through the trigram index (which a search of many more titles would use).
        near, near_params = nearness_sql(f"{lesson}.title", typos)
        found = f"({matches} OR {near} >= %s)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {lesson}.id FROM {lesson}"  # noqa: S608 (names from the models; values are parameters)
            f" JOIN {track} ON {track}.id = {lesson}.track_id WHERE {active} AND {found}"
            f" ORDER BY ts_rank({lesson}.search_vector, to_tsquery(%s::regconfig, %s))"
            f" + CASE WHEN {matches} THEN %s ELSE 0 END + CASE WHEN {matches} THEN %s ELSE 0 END"
            f' + {near} * %s DESC, {track}."order", {lesson}.position, {lesson}.id',
            [
                *active_params,
                *words,
                *((*near_params, TYPO_SIMILARITY) if near_params else ()),
                *words,
                *every_word,
                ALL_WORDS_WEIGHT,
                *in_title,
                TITLE_WEIGHT,
                *near_params,
                TYPO_WEIGHT,
            ],
        )
        return [pk for (pk,) in cursor.fetchall()]


class FoundLessons(Sequence):
    """Found lessons in their ranked order, read a slice at a time (a page of results, the
    header's few) in one query each, with their tracks: a Paginator and a slice take it as
    they take a queryset."""

    def __init__(self, ids: list[int]):
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        ids = self.ids[index]
        read = (
            Lesson.objects.select_related("track")
            .defer("body_html", "toc", "search_vector", "questions", "checklist")
            .in_bulk(ids)
        )
        return [read[pk] for pk in ids]

    def __iter__(self) -> Iterator[Lesson]:
        return iter(self[:])


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
