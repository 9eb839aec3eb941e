"""The board list: filters, the bounded count, and a page of cards read as plain values
(the busiest list: narrow rows, the whole page's roles and languages in one statement and
their names from the cached reference lists, reference.py). Each card carries the versions
of the rows it shows, which key its cached fragment, and the reader's own marks (overlaps,
applied), shown outside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.functional import cached_property

from portal.accounts.models import Profile, User
from portal.board.models import (
    Application,
    Compensation,
    Opening,
    OpeningSlot,
    channel_is_verified,
)
from portal.board.reference import Reference
from portal.board.selectors.openings import labels_for
from portal.board.selectors.search import OPENING_SEARCH
from portal.core.schedule import Window
from portal.core.search import parse_query, words_filter
from portal.core.weeks import (
    Interval,
    any_overlap,
    around,
    overlapping_sql,
    week_intervals,
    week_of,
)


@dataclass(frozen=True)
class BoardFilters:
    q: str = ""
    role: str = ""
    language: str = ""
    compensation: str = ""
    max_hours: int | None = None
    fits_my_hours: bool = False
    channel: str = ""
    sort: str = "newest"

    @property
    def is_filtered(self) -> bool:
        return any([self.q, self.role, self.language, self.compensation, self.channel]) or (
            self.max_hours is not None or self.fits_my_hours
        )


@dataclass(frozen=True)
class ReaderHours:
    """When a reader is around, as they wrote it (windows in their timezone), and those
    windows placed around the week being looked at (``around``, minutes from its Monday
    00:00 UTC), which is what openings are compared with."""

    windows: tuple[Window, ...]
    timezone: str
    week: date
    around: tuple[Interval, ...] = field(default=())

    @property
    def has_availability(self) -> bool:
        return bool(self.windows)

    def meets(self, schedule: list, tz: str) -> bool:
        """Does a schedule (as stored: [weekday, "HH:MM", "HH:MM"] lists, in ``tz``) meet
        these hours in the week?"""
        windows = [Window.from_json(w) for w in schedule or []]
        return any_overlap(week_intervals(windows, tz, self.week), self.around)


def reader_hours(*, user_id: int, now: datetime | None = None) -> ReaderHours:
    """The reader's availability as written, in one query, placed around this week."""
    row = Profile.objects.filter(user_id=user_id).values_list("availability", "timezone").first()
    written, tz = row or ([], "UTC")
    windows = tuple(Window.from_json(w) for w in written or [])
    week = week_of(now)
    return ReaderHours(
        windows=windows, timezone=tz, week=week, around=tuple(around(windows, tz, week))
    )


def _openings_overlapping(hours: ReaderHours) -> RawSQL:
    """Ids of openings with a slot that, placed in the reader's week, overlaps their hours.

    The "overlaps my availability" filter: both sides are kept as written, so each opening
    slot is placed in this week with its zone's offsets then (portal/core/weeks.py) and
    compared with the reader's few intervals, written into the SQL as parameters (a
    subquery against the availability table let PostgreSQL without statistics filter
    35,000 people's slots once per opening slot). One statement, the same SQL on SQLite and
    PostgreSQL: the zones' offsets are a VALUES table joined to the slots.
    """
    sql, params = overlapping_sql(
        table=OpeningSlot._meta.db_table,
        key=OpeningSlot._meta.get_field("opening").column,
        tz=OpeningSlot._meta.get_field("timezone").column,
        quote=connection.ops.quote_name,
        intervals=list(hours.around),
        week=hours.week,
    )
    return RawSQL(sql, params)  # noqa: S611 (names from the models and the zone database)


def board_openings(
    *,
    filters: BoardFilters,
    hours: ReaderHours | None = None,
    now: datetime | None = None,
) -> QuerySet[Opening]:
    """The board's openings: visible ones only, filtered and sorted as asked (``board_page``
    shows a page of them). "Overlaps my availability" needs the reader's hours
    (``reader_hours``) and is ignored without them."""
    openings = Opening.objects.visible(now=now)
    if filters.q:  # every word (roughly stemmed) or quoted phrase, as every search reads them
        everywhere, _ = words_filter(parse_query(filters.q), **OPENING_SEARCH)
        openings = openings.filter(everywhere)
    # Joins, not EXISTS: each filter is one value, and an opening holds a role or a
    # language at most once (the through tables are unique), so no row is repeated and no
    # DISTINCT is needed. Without fresh statistics PostgreSQL plans the EXISTS form as a
    # semi-join against the whole language list (127 ms to count on the large data); the
    # join starts from the one language's rows (4 ms), and is as fast with statistics.
    if filters.role:
        openings = openings.filter(roles__slug=filters.role)
    if filters.language:
        openings = openings.filter(languages__code=filters.language)
    if filters.compensation:
        openings = openings.filter(compensation=filters.compensation)
    if filters.max_hours is not None:
        openings = openings.filter(hours_per_week__lte=filters.max_hours)
    if filters.channel:
        openings = openings.filter(channel__slug=filters.channel)
    if filters.fits_my_hours and hours is not None:
        if not hours.around:
            return openings.none()
        openings = openings.filter(pk__in=_openings_overlapping(hours))
    return openings.closing_soon() if filters.sort == "closing" else openings.newest()


# Openings on a page of the board (and items on the board's other lists).
PAGE_SIZE = 20
# The board counts its openings up to this many (fifty pages), see BoardPaginator.
COUNT_LIMIT = 1000


class BoardPaginator(Paginator):
    """A paginator whose count stops at COUNT_LIMIT: ``SELECT COUNT(*) FROM (… LIMIT 1001)``.

    Counting every visible opening on each request read the whole table (a sequential scan
    that grew with the data). Counted this way, the count reads at most 1,001 rows of the
    (status, expires_at) index, whatever the table holds, and the page keeps what it shows:
    "N open openings", "Page 2 of 3", a page number past the end showing the last page. Only
    past a thousand matches does it say "more than 1,000" and stop at page fifty; nobody
    pages that far, and the filters narrow any search to less. (A kept count could not follow
    the filters, nor openings passing their closing date between two runs of the expiry job;
    pages with only a "next" link would lose the total the heading shows.)
    """

    more = False  # True when more openings match than were counted

    @cached_property
    def count(self) -> int:
        # Unordered: which 1,001 are counted does not change how many. Kept in the board's
        # order, PostgreSQL read and sorted every open opening first (a sequential scan and a
        # sort of 2,405 rows, 2.6 ms on the large data) instead of stopping in the index
        # after 1,001 (0.26 ms).
        counted = self.object_list.order_by()[: COUNT_LIMIT + 1].count()
        self.more = counted > COUNT_LIMIT
        return min(counted, COUNT_LIMIT)


@dataclass(frozen=True)
class OpeningCard:
    """What the board shows of one opening, with its links and labels already made, the
    versions its cached fragment is keyed on, and whether it fits the reader's hours."""

    pk: int
    version: int
    channel_version: int
    # The owner's profile: it says whether the channel is verified and whether the owner signs
    # in with a second factor (the "two-factor protected" mark).
    owner_version: datetime
    title: str
    url: str
    channel_name: str
    channel_url: str
    channel_verified: bool
    owner_second_factor: bool
    channel_category: str
    role_names: list[str]
    hours_label: str
    compensation_label: str
    language_names: str
    closes_on: date
    fits_my_hours: bool  # the reader's own: shown beside the cached card
    applied: bool = False  # the reader's own too: they applied to it


# Only what a card shows: the rows stay narrow (no descriptions, no owner's account) and come
# back as plain values, which costs far less Python than four model instances per card.
CARD_FIELDS = (
    "pk",
    "version",
    "title",
    "hours_per_week",
    "compensation",
    "closes_on",
    "channel__version",
    "channel__name",
    "channel__slug",
    "channel__category",
    "channel__twitch_login",
    "channel__owner__profile__twitch_login_verified",
    "channel__owner__profile__updated_at",
    "channel__owner__profile__has_second_factor",
)


def card_rows(
    openings_page: QuerySet[Opening],
    *,
    filtered: bool,
    with_schedule: bool = False,
    reader_id: int | None = None,
) -> QuerySet:
    """The values ``opening_cards`` needs for a page (a slice) of ``board_openings``, with
    each one's schedule as written and its timezone when ``with_schedule`` (for the reader's
    "overlaps" marks, worked out in Python for the week: the schedule is a short list in
    the row, so the marks cost no join and no query).

    When the board is ``filtered``, the page's ids are chosen in a subquery and the channel
    and owner joined only to those twenty. One statement joining all eight tables (filters
    and card data) made PostgreSQL weigh every join order: 9 ms of planning per request with
    the role and language filters against 1.5 ms this way, and it ran faster too (5 ms
    instead of 7.5 ms on the large data; 9 ms instead of 10-18 ms for "overlaps my
    availability"). The plain board plans quickly as one statement, and the subquery would
    only cost Python calls to build.

    With ``reader_id``, each row says whether that reader applied to it (the "Applied"
    mark): an EXISTS on the one-application-per-opening index, in the same statement.
    """
    rows = openings_page
    if filtered:
        rows = Opening.objects.filter(pk__in=openings_page.values("pk")).order_by(
            *openings_page.query.order_by
        )
    if reader_id is not None:
        mine = Application.objects.filter(opening=OuterRef("pk"), applicant_id=reader_id)
        rows = rows.annotate(applied=Exists(mine))
        if with_schedule:
            return rows.values(*CARD_FIELDS, "schedule", "timezone", "applied")
        return rows.values(*CARD_FIELDS, "applied")
    if with_schedule:
        return rows.values(*CARD_FIELDS, "schedule", "timezone")
    return rows.values(*CARD_FIELDS)


def _url_maker(name: str, kwarg: str, sample: str) -> Callable[[object], str]:
    """One reverse() for a whole list: the URL with a sample value, split around it."""
    prefix, suffix = reverse(name, kwargs={kwarg: sample}).split(sample)
    return lambda value: f"{prefix}{value}{suffix}"


def opening_cards(
    *, rows: Iterable[dict], ref: Reference, marks_for: ReaderHours | None = None
) -> tuple[list[OpeningCard], str]:
    """Cards for rows from ``card_rows``, their roles and languages in one more query
    (names from ``ref``, the page's reference lists), with the version of the lists used;
    each marked when it meets the reader's hours ``marks_for`` (rows read ``with_schedule``)."""
    rows = list(rows)
    if not rows:
        return [], ref.version
    labels, ref = labels_for([row["pk"] for row in rows], ref)
    opening_url = _url_maker("board:opening", "pk", "8675309")
    channel_url = _url_maker("board:channel", "slug", "channel-slug-sample")
    compensation_labels = dict(Compensation.choices)
    cards = []
    for row in rows:
        pk = row["pk"]
        hours = row["hours_per_week"]
        role_names, language_names = labels[pk]
        cards.append(
            OpeningCard(
                pk=pk,
                version=row["version"],
                channel_version=row["channel__version"],
                owner_version=row["channel__owner__profile__updated_at"],
                title=row["title"],
                url=opening_url(pk),
                channel_name=row["channel__name"],
                channel_url=channel_url(row["channel__slug"]),
                channel_verified=channel_is_verified(
                    twitch_login=row["channel__twitch_login"],
                    owner_verified_login=row["channel__owner__profile__twitch_login_verified"],
                ),
                owner_second_factor=row["channel__owner__profile__has_second_factor"],
                channel_category=row["channel__category"],
                role_names=role_names,
                hours_label=f"{hours} hour{'' if hours == 1 else 's'} a week",
                compensation_label=compensation_labels.get(row["compensation"], ""),
                language_names=", ".join(language_names),
                closes_on=row["closes_on"],
                fits_my_hours=bool(
                    marks_for
                    and "schedule" in row
                    and marks_for.meets(row["schedule"], row["timezone"])
                ),
                applied=bool(row.get("applied")),
            )
        )
    return cards, ref.version


@dataclass(frozen=True)
class Board:
    """A page of the board: cards (``page.object_list``) and what their fragments need."""

    page: Page
    labels_version: str  # of the role and language lists the cards' names come from
    has_availability: bool  # the reader told us when they are around


def board_page(*, filters: BoardFilters, number: str | None, reader: User, ref: Reference) -> Board:
    """A page of the board for this reader, with filters and ``number`` (``?page=``, read as
    ``Paginator.get_page`` does: junk is the first page, past the end the last). Three
    queries (the bounded count, the page's cards, their roles and languages), one more for
    a signed-in reader (their hours, for "overlaps my availability" as a filter and a mark).
    """
    hours = reader_hours(user_id=reader.pk) if reader.is_authenticated else None
    openings = board_openings(filters=filters, hours=hours)
    page = BoardPaginator(openings, PAGE_SIZE).get_page(number)
    marks = bool(hours and hours.has_availability)
    rows = card_rows(
        page.object_list,
        filtered=filters.is_filtered,
        with_schedule=marks,
        reader_id=reader.pk if reader.is_authenticated else None,
    )
    page.object_list, labels_version = opening_cards(
        rows=rows, ref=ref, marks_for=hours if marks else None
    )
    return Board(
        page=page,
        labels_version=labels_version,
        has_availability=bool(hours and hours.has_availability),
    )
