"""The board list: filters, the bounded count, and a page of cards read as plain values
(the busiest list: narrow rows, the whole page's roles and languages in one statement and
their names from the cached reference lists, reference.py). Each card carries the versions
of the rows it shows, which key its cached fragment, and the reader's own overlap mark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.functional import cached_property

from portal.accounts.models import Profile, User
from portal.board.models import Compensation, Opening, OpeningSlot, channel_is_verified
from portal.board.reference import Reference
from portal.board.selectors.openings import fits_hours, labels_for, with_label_ids


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
    """When a reader is around: what they wrote (``has_availability``) and its UTC copy as
    (start, end) minutes of the week (``slots``), as stored."""

    has_availability: bool
    slots: tuple[tuple[int, int], ...]


def reader_hours(*, user_id: int) -> ReaderHours:
    """The reader's availability, in one query (a row per slot, the profile's own field
    repeated on each). The board reads it first only for the "overlaps my availability"
    filter; otherwise whether the reader has any comes with the page (``card_rows``)."""
    rows = list(
        Profile.objects.filter(user_id=user_id).values_list(
            "availability", "slots__start", "slots__end"
        )
    )
    return ReaderHours(
        has_availability=bool(rows and rows[0][0]),
        slots=tuple((start, end) for _, start, end in rows if start is not None),
    )


# Whether the reader wrote when they are around, asked in the statement of the page's cards
# rather than in a query of its own (``reader_hours``, 0.42 ms of a board request). As SQL:
# as an Exists() annotation it added 0.63 ms to that statement, as this 0.09 ms (median of
# 300 requests on modhall_bench_large, building and compiling included). An uncorrelated
# subquery: PostgreSQL runs it once for the statement. Names from the models.
_HAS_AVAILABILITY_SQL = (  # noqa: S608 (names from the models; the id is a parameter)
    "SELECT {availability} <> '[]'::jsonb FROM {profiles} WHERE {user} = %s"
).format(
    availability=Profile._meta.get_field("availability").column,
    profiles=Profile._meta.db_table,
    user=Profile._meta.get_field("user").column,
)


def _openings_overlapping(slots: Iterable[tuple[int, int]]) -> QuerySet:
    """Ids of openings with a slot overlapping any of these (start, end) ranges.

    The "overlaps my availability" filter, with the reader's few slots written into the SQL
    (read by ``reader_hours`` in one indexed query): a subquery against the availability table let
    PostgreSQL without statistics pick its (start, end) index and filter 35,000 people's
    slots once per opening slot (over 2 s on the large data); this is one pass over the
    opening slots (10 ms).
    """
    overlap = Q()
    for start, end in slots:
        overlap |= Q(start__lt=end, end__gt=start)
    return OpeningSlot.objects.filter(overlap).values("opening_id").order_by()


def _pk_of(rows: list, key: str, value: str) -> int | None:
    """The id of the reference row whose ``key`` is ``value`` (None if the lists have none:
    the filter then matches nothing)."""
    return next((row.pk for row in rows if getattr(row, key) == value), None)


def board_openings(
    *,
    filters: BoardFilters,
    ref: Reference,
    reader_slots: tuple[tuple[int, int], ...] | None = None,
    now: datetime | None = None,
) -> QuerySet[Opening]:
    """The board's openings: visible ones only, filtered and sorted as asked (``board_page``
    shows a page of them). A role or language is looked up in ``ref`` (the lists the
    filters were chosen from). "Overlaps my availability" needs the reader's slots
    (``reader_hours``) and is ignored without them."""
    openings = Opening.objects.visible(now=now)
    if filters.q:
        openings = openings.filter(
            Q(title__icontains=filters.q) | Q(description__icontains=filters.q)
        )
    # Joins, not EXISTS: each filter is one value, and an opening holds a role or a
    # language at most once (the through tables are unique), so no row is repeated and no
    # DISTINCT is needed. Without fresh statistics PostgreSQL plans the EXISTS form as a
    # semi-join against the whole language list (127 ms to count on the large data); the
    # join starts from the one language's rows (4 ms), and is as fast with statistics.
    # By id, from the cached lists, the role and language tables stay out of the statements:
    # the role's page query took 1.41 ms by slug and 1.07 ms by id (planning included).
    if filters.role:
        role = _pk_of(ref.roles, "slug", filters.role)
        openings = openings.filter(roles=role) if role else openings.none()
    if filters.language:
        language = _pk_of(ref.languages, "code", filters.language)
        openings = openings.filter(languages=language) if language else openings.none()
    if filters.compensation:
        openings = openings.filter(compensation=filters.compensation)
    if filters.max_hours is not None:
        openings = openings.filter(hours_per_week__lte=filters.max_hours)
    if filters.channel:
        openings = openings.filter(channel__slug=filters.channel)
    if filters.fits_my_hours and reader_slots is not None:
        if not reader_slots:
            return openings.none()
        openings = openings.filter(pk__in=_openings_overlapping(reader_slots))
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

    The count drops the list's order: any 1,001 matching rows count the same, and sorting
    every visible opening to find the newest 1,001 was most of the statement's cost. Measured
    on modhall_bench_large (2,411 visible openings of 3,000; median of 50 runs, each planned
    afresh as the portal's statements are): the whole board 0.98 ms sorted, 0.34 ms not (a
    top-N sort of every visible row, then the limit; unsorted, the scan stops at 1,001);
    "chat-enforcer" (1,718 matches) 1.70 ms against 1.02 ms; "es" (387) 0.86 ms against
    0.76 ms. No index does better: four in five openings are visible, so PostgreSQL rightly
    scans the table rather than the (status, expires_at) index, and the role's join hashes
    its 2,143 rows whichever way it is written.
    """

    more = False  # True when more openings match than were counted

    @cached_property
    def count(self) -> int:
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
    owner_version: datetime  # the owner's profile (it says whether the channel is verified)
    title: str
    url: str
    channel_name: str
    channel_url: str
    channel_verified: bool
    channel_category: str
    role_names: list[str]
    hours_label: str
    compensation_label: str
    language_names: str
    closes_on: date
    fits_my_hours: bool  # the reader's own: shown beside the cached card

    @property
    def versions(self) -> str:
        """What its cached fragment is keyed on, in one value (the cache tag resolving four
        was a third of the cards' rendering): the opening and the versions of the rows it
        shows, its own, its channel's and its owner's profile's."""
        return f"{self.pk}.{self.version}.{self.channel_version}.{self.owner_version}"


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
)


def reads_ids_first(filters: BoardFilters) -> bool:
    """Whether a page of the board is best read with its ids chosen first, in a subquery
    (see ``card_rows``): for a search, and for two filters or more."""
    narrowing = [
        filters.role,
        filters.language,
        filters.compensation,
        filters.channel,
        filters.max_hours is not None,
        filters.fits_my_hours,
    ]
    return bool(filters.q) or sum(map(bool, narrowing)) > 1


def card_rows(
    openings_page: QuerySet[Opening], *, ids_first: bool, reader_id: int | None = None
) -> QuerySet:
    """The values ``opening_cards`` needs for a page (a slice) of ``board_openings``, with
    the ids of each one's roles and languages; for a signed-in reader (``reader_id``, a user
    id) whether each fits their hours (``fits``) and whether they said when they are around
    at all (``reader_has_availability``, the same on every row).

    With ``ids_first`` (``reads_ids_first(filters)``), the page's ids are chosen in a
    subquery and the channel and owner joined only to those twenty. One statement joining
    all eight tables (filters and card data) made PostgreSQL weigh every join order: 9 ms of
    planning per request with the role and language filters against 1.5 ms this way, and it
    ran faster too (5 ms instead of 7.5 ms on the large data; 9 ms instead of 10-18 ms for
    "overlaps my availability"). The plain board plans quickly as one statement.

    Measured again on modhall_bench_large once the filters matched by id and the labels came
    as arrays (median of 50 runs, planned afresh as the portal's statements are): the plain
    board's page 1.1 ms, 0.42 ms of it planning, walking the (status, published_at) index
    backwards and stopping at twenty; "chat-enforcer" 1.2 ms with its ids first, 1.3 ms as
    one statement (0.52 ms of planning against 0.70 ms). What planning is left is mostly the
    joins to the owner's account and profile (0.22 ms), which the "verified" badge needs.
    Building and compiling the subquery costs more Python than that, though: measured
    whole (median of 300 reads), one filter alone reads faster as one statement (a role
    2.5 ms against 2.65 ms, a language 2.45 against 2.75, a compensation, the hours, a
    channel or the overlap 0.3-0.4 ms less), while a search (5.7 ms against 11 ms) and two
    filters (a role and a language 2.7 against 3.3; the hours and a language 2.7 against
    3.5; the overlap and a role 3.5 against 3.8) need the ids first.
    """
    rows = openings_page
    if ids_first:
        rows = Opening.objects.filter(pk__in=openings_page.values("pk")).order_by(
            *openings_page.query.order_by
        )
    rows = with_label_ids(rows)
    if reader_id is None:
        return rows.values(*CARD_FIELDS, "role_ids", "language_ids")
    return rows.annotate(
        fits=fits_hours(reader_id),
        reader_has_availability=RawSQL(  # noqa: S611 (see _HAS_AVAILABILITY_SQL)
            _HAS_AVAILABILITY_SQL, [reader_id], output_field=BooleanField()
        ),
    ).values(*CARD_FIELDS, "role_ids", "language_ids", "fits", "reader_has_availability")


def _url_maker(name: str, kwarg: str, sample: str) -> Callable[[object], str]:
    """One reverse() for a whole list: the URL with a sample value, split around it."""
    prefix, suffix = reverse(name, kwargs={kwarg: sample}).split(sample)
    return lambda value: f"{prefix}{value}{suffix}"


def opening_cards(*, rows: Iterable[dict], ref: Reference) -> tuple[list[OpeningCard], str]:
    """Cards for rows from ``card_rows``, their roles' and languages' names from ``ref`` (the
    page's reference lists), with the version of the lists used."""
    rows = list(rows)
    labels, ref = labels_for(
        {row["pk"]: (row["role_ids"], row["language_ids"]) for row in rows}, ref
    )
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
                channel_category=row["channel__category"],
                role_names=role_names,
                hours_label=f"{hours} hour{'' if hours == 1 else 's'} a week",
                compensation_label=compensation_labels.get(row["compensation"], ""),
                language_names=", ".join(language_names),
                closes_on=row["closes_on"],
                fits_my_hours=bool(row.get("fits")),
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
    ``Paginator.get_page`` does: junk is the first page, past the end the last). Two
    queries: the bounded count, then the page's cards with their roles and languages (and,
    for a signed-in reader, their "overlaps" marks and whether they said when they are
    around), or, when nothing matches, a signed-in reader's hours instead. One more, first,
    for "overlaps my availability" as a filter: the reader's hours, which it is written with.
    """
    signed_in = reader.is_authenticated
    hours = reader_hours(user_id=reader.pk) if signed_in and filters.fits_my_hours else None
    openings = board_openings(filters=filters, ref=ref, reader_slots=hours.slots if hours else None)
    paginator = BoardPaginator(openings, PAGE_SIZE)
    page = paginator.get_page(number)
    rows = []
    if paginator.count:
        rows = list(
            card_rows(
                page.object_list,
                ids_first=reads_ids_first(filters),
                reader_id=reader.pk if signed_in else None,
            )
        )
    has_availability = False
    if hours is not None:
        has_availability = hours.has_availability
    elif signed_in and rows:
        has_availability = bool(rows[0]["reader_has_availability"])
    elif signed_in:
        has_availability = reader_hours(user_id=reader.pk).has_availability  # no card to ask
    page.object_list, labels_version = opening_cards(rows=rows, ref=ref)
    return Board(page=page, labels_version=labels_version, has_availability=has_availability)
