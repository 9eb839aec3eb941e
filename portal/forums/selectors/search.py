"""Searching the posts: ranked full-text search on PostgreSQL, a simpler substring match on
SQLite (the laptop); either way only what the reader may see, with plain-text snippets.

How the words are read (phrases, word forms, the last word as a prefix, typos) is
portal/core/search.py's, shared with every other search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from portal.accounts.models import Profile, User
from portal.core.plans import planned_for_its_words
from portal.core.search import (
    SearchTerms,
    compiled_condition,
    highlight,
    html_to_text,
    nearness_sql,
    parse_query,
    rough_stem,
    snippet,
    tsquery_text,
    typo_words,
)
from portal.forums.models import Category, Post, Status, Topic
from portal.forums.selectors.paging import paginate
from portal.forums.services.search import SEARCH_CONFIG
from portal.guides.selectors import suggested_tracks

SEARCH_PER_PAGE = 20

# Which matches are ranked, a bound on the work any word costs (see _ranked_search): the
# newest SEARCH_CANDIDATES among the newest RECENT_WINDOW posts, up to ANY_AGE_CANDIDATES
# more of any age when those are fewer (every match of a word rarer than that), and topics
# whose title matches, however old (up to TITLE_CANDIDATES of them): a title is what people
# remember.
SEARCH_CANDIDATES = 500
ANY_AGE_CANDIDATES = 500
RECENT_WINDOW = 10_000
TITLE_CANDIDATES = 200

# The score of a match (see _score): what the words earn, then a little for being recent or
# the accepted answer, enough to order equals but never to lift a weak match over a good one.
ALL_WORDS_WEIGHT = 0.5  # every word of a long query, not all but one
TITLE_WEIGHT = 1.0  # every word in the topic's title
TYPO_WEIGHT = 0.6  # the title's words only nearly match (similarity 0.5 to 1)
ACCEPTED_BONUS = 0.25
RECENT_BONUS = 0.15  # halved after RECENT_DAYS, and so on
RECENT_DAYS = 180


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
    is_opening: bool
    is_accepted: bool
    title_html: SafeString
    snippet_html: SafeString

    @property
    def status_label(self) -> str:
        return Status(self.status).label


# What a result shows, read in the same order as the loop in _results.
_RESULT_COLUMNS = (
    *("pk", "topic__title", "topic__category__name", "author__username"),
    *("author__profile__display_name", "created_at", "status", "is_opening"),
    *("topic__accepted_answer_id", "body_html"),
)


def _results(rows, terms: SearchTerms) -> list[SearchResult]:
    results = []
    for row in rows:
        pk, title, category_name, username, display_name, created_at, status = row[:7]
        is_opening, accepted_id, body_html = row[7:]
        results.append(
            SearchResult(
                pk=pk,
                url=reverse("forums:post", kwargs={"pk": pk}),
                title=title,
                category_name=category_name,
                author_name=display_name or username,
                created_at=created_at,
                status=status,
                is_opening=is_opening,
                is_accepted=accepted_id == pk,
                title_html=highlight(title, terms),
                snippet_html=snippet(html_to_text(body_html), terms),
            )
        )
    return results


def search_posts(*, viewer, query: str, number=1, per_page: int = SEARCH_PER_PAGE) -> Page:
    """Posts matching the words, best first on PostgreSQL (see _ranked_search); on SQLite,
    posts whose title holds every word first, then the newest. Only what the viewer may see;
    nothing deleted. The page's results are ``SearchResult``s; ``page.capped`` says whether
    only the newest matches were ranked."""
    terms = parse_query(query)
    posts = (
        Post.objects.visible_to(viewer)
        .exclude(status=Status.DELETED)
        .exclude(topic__status=Status.DELETED)
    )
    if not terms:
        page = Paginator([], per_page).get_page(1)
        page.capped = False
        return page
    if settings.IS_POSTGRES:
        with planned_for_its_words():
            return _ranked_search(posts, terms=terms, number=number, per_page=per_page)
    return _simple_search(posts, terms=terms, number=number, per_page=per_page)


def _simple_search(posts: QuerySet, *, terms: SearchTerms, number, per_page: int) -> Page:
    """SQLite's search: every word (roughly stemmed, so "backseating" finds "backseater") and
    phrase somewhere in the post or, for an opening post, its title. No typos, no ranking
    beyond titles first (README: the laptop's search is simpler)."""
    in_title = Q(is_opening=True)
    for text in [rough_stem(w) for w in terms.words] + [" ".join(p) for p in terms.phrases]:
        posts = posts.filter(
            Q(body__icontains=text) | Q(is_opening=True, topic__title__icontains=text)
        )
        in_title &= Q(topic__title__icontains=text)
    rows = (
        posts.annotate(title_hit=ExpressionWrapper(in_title, output_field=BooleanField()))
        .order_by("-title_hit", "-created_at", "-pk")
        .values_list(*_RESULT_COLUMNS)
    )
    page = paginate(rows, number, per_page)
    page.capped = False
    page.object_list = _results(page.object_list, terms)
    return page


def _ranked_search(visible: QuerySet, *, terms: SearchTerms, number, per_page: int) -> Page:
    """Full-text search on PostgreSQL, in two statements whatever the number of matches.

    The candidates are the newest SEARCH_CANDIDATES matches among the newest RECENT_WINDOW
    posts (down the post_newest index, stopping at the window's edge); when they are fewer
    than that, up to ANY_AGE_CANDIDATES matches of any age (from the GIN index, unordered,
    so it stops once it has them); opening posts whose topic's title holds the words (the
    title's lexemes carry weight A in the vector); and, when a word appears in no post at
    all, opening posts whose title nearly holds the words (pg_trgm word similarity, for
    typos). One statement reads
    each candidate's figures; Python scores and orders them (_score) and the page's posts
    are then read with their topics and people.

    Every part is bounded whatever the words: ranking every match of a common word ("first"
    is in a quarter of all posts) cost 0.2 to 2 s on the large data; "the newest 1,000
    matches" without the window's edge walked every post when two common words were rarely
    together (PostgreSQL guesses a pair's matches from each word's: "stream slow", 0
    matches, read 309,000 posts in 1.1 s); and the typo test on every title cost 35 to 135
    ms for words spelt right. The page says when a cap was reached, so people add words.

    Written out in SQL (the tables' names from the models): composed through the ORM, the
    two statements cost about 10 ms of Python per search on the large data (building and
    compiling four unions of joined, annotated querysets), against about 1.5 ms written out,
    while the database's own time is 5 to 7 ms (measured with bench/search_words.py's pairs,
    100 searches, anonymous; the forum search page went from 2.6% of the trivial view's
    requests/s to the figure in bench/RESULTS.md). Who may see what is not restated here: it
    is ``visible``'s own condition, compiled once (PostQuerySet.visible_to)."""
    post, topic = Post._meta.db_table, Topic._meta.db_table
    may_see, may_see_params = compiled_condition(visible, tables={post, topic})
    # From three words on, a post may miss one of them; holding them all earns ALL_WORDS_WEIGHT.
    words = tsquery_text(terms, all_parts=False)
    every_word = tsquery_text(terms)
    # The title holds the words (from three words on, all but one: the body decides the rest).
    in_title = tsquery_text(terms, weight="A", all_parts=False)
    matches = f"{post}.search_vector @@ to_tsquery(%s::regconfig, %s)"
    seen = f"FROM {post} JOIN {topic} ON {topic}.id = {post}.topic_id WHERE {may_see}"
    newest = (
        f"SELECT {post}.id {seen} AND {matches} AND {post}.created_at >= COALESCE(("  # noqa: S608 (names from the models; values are parameters)
        f"SELECT edge.created_at FROM {post} AS edge"
        " ORDER BY edge.created_at DESC, edge.id DESC LIMIT 1 OFFSET %s), '-infinity')"
        f" ORDER BY {post}.created_at DESC, {post}.id DESC LIMIT %s",
        [*may_see_params, SEARCH_CONFIG, words, RECENT_WINDOW - 1, SEARCH_CANDIDATES],
    )
    parts = [
        ("SELECT id FROM newest", []),
        # Only when the newest matches did not fill their cap: a word that common has its
        # candidates already, and listing every one of its matches from the GIN index (to
        # keep 500 arbitrary older ones) was half the database's time for it ("timeout",
        # 29,881 matches: 17 to 24 ms of about 40).
        (
            f"SELECT {post}.id {seen} AND {matches}"  # noqa: S608 (names from the models; values are parameters)
            " AND (SELECT COUNT(*) FROM newest) < %s LIMIT %s",
            [*may_see_params, SEARCH_CONFIG, words, SEARCH_CANDIDATES, ANY_AGE_CANDIDATES],
        ),
        # Newest first by an expression, not the column: ordered by the column, PostgreSQL
        # walks the post_newest index down all posts and tests each for a title match (about
        # 200 ms for "first" on the large data); by the expression it reads the opening posts'
        # own GIN index and sorts the matches (about 25 ms).
        (
            f"SELECT {post}.id {seen} AND {post}.is_opening AND {matches}"
            f" ORDER BY {post}.created_at + interval '0' DESC, {post}.id DESC LIMIT %s",
            [*may_see_params, SEARCH_CONFIG, in_title, TITLE_CANDIDATES],
        ),
    ]
    near_title, near_title_params = "0", []
    typos = typo_words(terms)
    if typos and not terms.phrases:
        # Only when a word is in no title at all: a word some title spells this way needs
        # no near title. Uncorrelated subqueries: PostgreSQL answers them once, first, from
        # the opening posts' small GIN index, and skips this part when every word is known.
        # A word PostgreSQL drops ("only", "about") is no typo either; "word:A" is the word in
        # weight-A text, a title (words hold only \w characters).
        unknown = " OR ".join(
            "(numnode(plainto_tsquery(%s::regconfig, %s)) > 0 AND NOT EXISTS ("  # noqa: S608 (names from the models; values are parameters)
            f"SELECT 1 FROM {post} AS titled WHERE titled.is_opening"
            " AND titled.search_vector @@ to_tsquery(%s::regconfig, %s)))"
            for _ in typos
        )
        # Every long word nearly in the title (pg_trgm's %> operator, written %%> here).
        nearly = " AND ".join(f"{topic}.title %%> %s" for _ in typos)
        parts.append(
            (
                f"SELECT {post}.id {seen} AND ({unknown}) AND {post}.is_opening AND {nearly}"
                " LIMIT %s",
                [
                    *may_see_params,
                    *(v for w in typos for v in (SEARCH_CONFIG, w, SEARCH_CONFIG, f"{w}:A")),
                    *typos,
                    TITLE_CANDIDATES,
                ],
            )
        )
        near_title, near_title_params = nearness_sql(f"{topic}.title", typos)
    # One UNION of the candidates' ids, not an OR of three IN (…) tests: PostgreSQL cannot
    # join on an OR, and would check every post against the three lists.
    candidates = " UNION ".join(f"({sql})" for sql, _ in parts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH newest AS MATERIALIZED ({newest[0]})"  # noqa: S608 (names from the models; values are parameters)
            f" SELECT {post}.id, ts_rank({post}.search_vector, to_tsquery(%s::regconfig, %s)),"
            f" CASE WHEN {matches} THEN 1 ELSE 0 END,"
            f" CASE WHEN {post}.is_opening AND {matches} THEN 1 ELSE 0 END,"
            f" CASE WHEN {post}.is_opening THEN {near_title} ELSE 0 END,"
            f" {topic}.accepted_answer_id = {post}.id, {post}.created_at"
            f" FROM {post} JOIN {topic} ON {topic}.id = {post}.topic_id"
            f" WHERE {post}.id IN ({candidates})",
            [
                *newest[1],
                *(SEARCH_CONFIG, words, SEARCH_CONFIG, every_word, SEARCH_CONFIG, in_title),
                *near_title_params,
                *(param for _, params in parts for param in params),
            ],
        )
        rows = cursor.fetchall()
    now = timezone.now()
    ranked = [pk for pk, *_ in sorted(rows, key=lambda row: _score(row, now), reverse=True)]
    page = Paginator(ranked, per_page).get_page(number)
    # A cap was reached (or typos and titles added to many matches): some may be unranked.
    page.capped = len(ranked) >= min(SEARCH_CANDIDATES, ANY_AGE_CANDIDATES)
    found = {result.pk: result for result in _results(_page_rows(page.object_list), terms)}
    page.object_list = [found[pk] for pk in page.object_list]
    return page


def _page_rows(ids: list[int]) -> list[tuple]:
    """What a page of results shows of each post (in _RESULT_COLUMNS' order), in one statement
    written out for the same reason as _ranked_search's."""
    if not ids:
        return []
    tables = {
        "post": Post._meta.db_table,
        "topic": Topic._meta.db_table,
        "category": Category._meta.db_table,
        "person": User._meta.db_table,
        "profile": Profile._meta.db_table,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT post.id, topic.title, category.name, person.username,"  # noqa: S608 (names from the models; values are parameters)
            " profile.display_name, post.created_at, post.status, post.is_opening,"
            " topic.accepted_answer_id, post.body_html"
            " FROM {post} AS post JOIN {topic} AS topic ON topic.id = post.topic_id"
            " JOIN {category} AS category ON category.id = topic.category_id"
            " JOIN {person} AS person ON person.id = post.author_id"
            " LEFT JOIN {profile} AS profile ON profile.user_id = person.id"
            " WHERE post.id = ANY(%s)".format(**tables),
            [list(ids)],
        )
        return cursor.fetchall()


def _score(row, now: datetime) -> tuple[float, datetime, int]:
    """What a candidate scores: ts_rank (title words weigh 1.0, body words 0.4), plus
    ALL_WORDS_WEIGHT when it holds every word asked (not all but one), plus TITLE_WEIGHT
    when the title holds every word, and TYPO_WEIGHT × how nearly it holds them; then up
    to ACCEPTED_BONUS and RECENT_BONUS more, in proportion, for the accepted answer and for
    being recent. Ties go to the newest."""
    pk, rank, all_words, title_hit, near_title, accepted, created_at = row
    words = (rank or 0.0) + ALL_WORDS_WEIGHT * all_words + TITLE_WEIGHT * title_hit
    # Even beside a title match: "timout or ban" matches every title with "ban" once one
    # word may be missed (and "or" is a word until PostgreSQL drops it), and the title nearest
    # to what was typed must still win.
    words += TYPO_WEIGHT * (near_title or 0.0)
    age_days = max(0.0, (now - created_at).total_seconds() / 86400)
    recent = 0.5 ** (age_days / RECENT_DAYS)
    bonus = 1 + ACCEPTED_BONUS * bool(accepted) + RECENT_BONUS * recent
    return words * bonus, created_at, pk


@dataclass(frozen=True)
class SearchHelp:
    """What a search page offers when there is nothing to search for or nothing was found:
    the guide tracks to start with and the forums' most discussed topics."""

    tracks: list[dict]
    topics: list[dict]


POPULAR_TOPICS = 5


def search_help() -> SearchHelp:
    """Suggested tracks and popular topics, in two queries; published topics only, so nothing
    held, hidden or deleted is offered to anyone."""
    tracks = suggested_tracks()
    topics = [
        {
            "title": title,
            "url": reverse("forums:topic", kwargs={"pk": pk, "slug": slug}),
            "replies": replies,
        }
        for pk, slug, title, replies in Topic.objects.published()
        .order_by("-reply_count", "-last_posted_at", "-pk")
        .values_list("pk", "slug", "title", "reply_count")[:POPULAR_TOPICS]
    ]
    return SearchHelp(tracks=tracks, topics=topics)
