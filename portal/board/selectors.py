"""Reads on the recruitment board that span relations or permissions.

Each list is built so a page costs the same number of queries whatever the data size:
select_related for the rows a card shows, prefetch_related for the many-to-many parts, and
one query for anything looked up across the whole page (badges, the reader's own rows). The
board itself, the busiest list, goes further: its cards are read as plain values, with the
role and language links of the whole page in one statement and their names from the cached
reference lists (reference.py). Each card and an opening's page carry the versions of the
rows they show, which key their cached fragments in the templates.

Who may see what, in one place:
- an opening's page: anyone while it is published (open, paused, filled, closed, expired);
  a draft or a removed opening exists only for its owner and staff (404 for everyone else);
- changing an opening: its owner only (403 to whoever can see the page, 404 to the rest);
- an application: its applicant, the channel's owner and staff; 404 to everyone else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property

from portal.accounts.models import AvailabilitySlot, Profile, User
from portal.board.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Channel,
    Compensation,
    Opening,
    OpeningReport,
    OpeningSlot,
    channel_is_verified,
)
from portal.board.reference import Reference, reference
from portal.core.schedule import Window, windows_in_timezone

# --- Permissions ----------------------------------------------------------------------------


def _opening_queryset() -> QuerySet[Opening]:
    return Opening.objects.for_cards().prefetch_related("roles", "languages", "questions")


def opening_for_viewer(*, pk: int, viewer: User) -> Opening:
    """An opening its viewer may see, or 404 when the viewer may not know it exists."""
    opening = _opening_queryset().readable_by(viewer).filter(pk=pk).first()
    if opening is None:
        raise Http404("No such opening.")
    return opening


@dataclass(frozen=True)
class OpeningPage:
    """An opening's page as one reader sees it: the opening (with its channel, owner and
    questions), its labels, and the reader's own facts about it."""

    opening: Opening
    role_names: list[str]  # in the taxonomy's order
    language_names: list[str]  # by name
    labels_version: str  # of the role and language lists the names come from
    reader_tz: str  # the time zone its hours are shown in: the reader's, or its own
    is_owner: bool
    # A signed-in reader's own (False and None for a visitor and for the owner).
    fits_my_hours: bool
    my_application: Application | None
    application_counts: dict[str, int]  # {status: n}, for the owner only

    @cached_property
    def windows(self) -> list[Window]:
        """Its hours in ``reader_tz``: worked out only when the page's cached part is not
        found (the template asks for them inside it)."""
        return windows_in_timezone(self.opening.windows, self.opening.timezone, self.reader_tz)


def opening_page(*, pk: int, viewer: User) -> OpeningPage:
    """An opening for its page, or 404 when the viewer may not know it exists: the opening
    with its channel and owner, the reader's own facts asked in the same statement (overlap,
    application, time zone), then its questions and its labels; for the owner their
    applications' counts, for someone who applied their application. Three or four queries.
    """
    openings = Opening.objects.readable_by(viewer).for_cards().prefetch_related("questions")
    signed_in = viewer.is_authenticated
    if signed_in:
        # As SQL (see _MY_APPLICATION_SQL): as Subquery/OuterRef these cost more Python
        # calls than the rest of the page's reads.
        openings = openings.annotate(
            fits=fits_hours(viewer.pk),
            my_application_id=RawSQL(  # noqa: S611 (see _MY_APPLICATION_SQL)
                _MY_APPLICATION_SQL, [viewer.pk], output_field=IntegerField()
            ),
            reader_tz=RawSQL(_MY_TIMEZONE_SQL, [viewer.pk], output_field=CharField()),  # noqa: S611
        )
    opening = next(iter(openings.filter(pk=pk).order_by()[:1]), None)
    if opening is None:
        raise Http404("No such opening.")
    is_owner = signed_in and opening.channel.owner_id == viewer.pk
    labels, ref = _labels_for([opening.pk], reference())
    role_names, language_names = labels[opening.pk]
    my_application = None
    if signed_in and not is_owner and opening.my_application_id is not None:
        my_application = Application.objects.get(pk=opening.my_application_id)
    return OpeningPage(
        opening=opening,
        role_names=role_names,
        language_names=language_names,
        labels_version=ref.version,
        reader_tz=opening.reader_tz if signed_in else opening.timezone,
        is_owner=is_owner,
        fits_my_hours=signed_in and not is_owner and bool(opening.fits),
        my_application=my_application,
        application_counts=application_counts(opening=opening) if is_owner else {},
    )


def opening_for_owner(*, pk: int, user: User, staff_may_read: bool = False) -> Opening:
    """An opening its owner is about to manage: 404 to those who may not see it, 403 to
    those who can see it but do not own it (staff too, unless ``staff_may_read``)."""
    opening = opening_for_viewer(pk=pk, viewer=user)
    if opening.is_owned_by(user) or (staff_may_read and user.is_staff):
        return opening
    raise PermissionDenied("Only the channel's owner can do that.")


def application_for_viewer(*, pk: int, viewer: User) -> Application:
    """An application, for its applicant, the channel's owner and staff; 404 for anyone else
    (an application's existence is itself private)."""
    application = (
        Application.objects.readable_by(viewer)
        .select_related(
            "applicant",
            "applicant__profile",
            "opening",
            "opening__channel",
            "opening__channel__owner",
            "opening__channel__owner__profile",
        )
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor")),
            "applicant__profile__roles",
            "applicant__profile__languages",
        )
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404("No such application.")
    return application


# --- The board ------------------------------------------------------------------------------


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


def _reader_slots_overlap(profile_id: int) -> Exists:
    """True for an OpeningSlot row that overlaps any of the reader's availability slots."""
    return Exists(
        AvailabilitySlot.objects.filter(
            profile_id=profile_id, start__lt=OuterRef("end"), end__gt=OuterRef("start")
        )
    )


# Reader-first: the reader's few slots by profile_id, then for each an overlap probe on the
# (opening, start, end) index. The opening-first shape (each opening slot, then "any slot of
# this reader in this range") let PostgreSQL without fresh statistics walk every person's
# availability through the (start, end) index: 35,000 buffer hits for a page of 20 cards,
# about 100 this way. Written as SQL because the same test as nested Exists/OuterRef cost
# 3,200 Python calls to build and compile, on every board page and opening page; the names
# come from the models, and it stands on its own (one parameter, the reader's user id, whose
# profile is looked up once; and the outer opening's id).
_FITS_SQL = (  # noqa: S608 (table and column names from the models; the id is a parameter)
    "EXISTS (SELECT 1 FROM {avail} r"
    " WHERE r.{profile} = (SELECT p.{profile_pk} FROM {profiles} p WHERE p.{user} = %s)"
    " AND EXISTS (SELECT 1 FROM {slot} s WHERE s.{opening} = {outer}.{pk}"
    ' AND s.start < r."end" AND s."end" > r.start))'
).format(
    avail=AvailabilitySlot._meta.db_table,
    profile=AvailabilitySlot._meta.get_field("profile").column,
    profiles=Profile._meta.db_table,
    profile_pk=Profile._meta.pk.column,
    user=Profile._meta.get_field("user").column,
    slot=OpeningSlot._meta.db_table,
    opening=OpeningSlot._meta.get_field("opening").column,
    outer=Opening._meta.db_table,
    pk=Opening._meta.pk.column,
)

# The reader's own facts that an opening's page asks with its permission check, for the
# same reason (as Subquery/OuterRef they cost more Python calls than the rest of the page's
# request): the reader's application to the outer opening, and their time zone.
_MY_APPLICATION_SQL = (  # noqa: S608 (names from the models; the id is a parameter)
    "SELECT a.{pk} FROM {applications} a WHERE a.{opening} = {outer}.{outer_pk}"
    " AND a.{applicant} = %s"
).format(
    pk=Application._meta.pk.column,
    applications=Application._meta.db_table,
    opening=Application._meta.get_field("opening").column,
    applicant=Application._meta.get_field("applicant").column,
    outer=Opening._meta.db_table,
    outer_pk=Opening._meta.pk.column,
)
_MY_TIMEZONE_SQL = "SELECT {tz} FROM {profiles} WHERE {user} = %s".format(  # noqa: S608
    tz=Profile._meta.get_field("timezone").column,
    profiles=Profile._meta.db_table,
    user=Profile._meta.get_field("user").column,
)


def fits_hours(user_id: int) -> RawSQL:
    """Does the opening's schedule overlap this person's availability (UTC week minutes)?
    For querysets whose base table is the openings table (it names it, unaliased)."""
    return RawSQL(_FITS_SQL, [user_id], output_field=BooleanField())  # noqa: S611 (see above)


@dataclass(frozen=True)
class ReaderHours:
    """When a reader is around: what they wrote (``has_availability``) and its UTC copy as
    (start, end) minutes of the week (``slots``), as stored."""

    has_availability: bool
    slots: tuple[tuple[int, int], ...]


def reader_hours(*, user_id: int) -> ReaderHours:
    """The reader's availability, in one query (a row per slot, the profile's own field
    repeated on each)."""
    rows = list(
        Profile.objects.filter(user_id=user_id).values_list(
            "availability", "slots__start", "slots__end"
        )
    )
    return ReaderHours(
        has_availability=bool(rows and rows[0][0]),
        slots=tuple((start, end) for _, start, end in rows if start is not None),
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


def board_openings(
    *,
    filters: BoardFilters,
    reader_slots: tuple[tuple[int, int], ...] | None = None,
    now: datetime | None = None,
) -> QuerySet[Opening]:
    """The board's openings: visible ones only, filtered and sorted as asked (``board_page``
    shows a page of them). "Overlaps my availability" needs the reader's slots
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
    """

    more = False  # True when more openings match than were counted

    @cached_property
    def count(self) -> int:
        counted = self.object_list[: COUNT_LIMIT + 1].count()
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


def card_rows(
    openings_page: QuerySet[Opening], *, filtered: bool, fits_for: int | None = None
) -> QuerySet:
    """The values ``opening_cards`` needs for a page (a slice) of ``board_openings``, with
    whether each fits the hours of the reader ``fits_for`` (a user id), when given.

    When the board is ``filtered``, the page's ids are chosen in a subquery and the channel
    and owner joined only to those twenty. One statement joining all eight tables (filters
    and card data) made PostgreSQL weigh every join order: 9 ms of planning per request with
    the role and language filters against 1.5 ms this way, and it ran faster too (5 ms
    instead of 7.5 ms on the large data; 9 ms instead of 10-18 ms for "overlaps my
    availability"). The plain board plans quickly as one statement, and the subquery would
    only cost Python calls to build.
    """
    rows = openings_page
    if filtered:
        rows = Opening.objects.filter(pk__in=openings_page.values("pk")).order_by(
            *openings_page.query.order_by
        )
    if fits_for is not None:
        rows = rows.annotate(fits=fits_hours(fits_for))
        return rows.values(*CARD_FIELDS, "fits")
    return rows.values(*CARD_FIELDS)


def _url_maker(name: str, kwarg: str, sample: str) -> Callable[[object], str]:
    """One reverse() for a whole list: the URL with a sample value, split around it."""
    prefix, suffix = reverse(name, kwargs={kwarg: sample}).split(sample)
    return lambda value: f"{prefix}{value}{suffix}"


def _labels_for(
    ids: list[int], ref: Reference
) -> tuple[dict[int, tuple[list[str], list[str]]], Reference]:
    """{opening id: (role names, language names)}: both link tables in one statement, the
    names from the cached reference lists, in their order (roles by the taxonomy, languages
    by name). Returned with the lists they come from (whose version keys the fragments)."""
    links = list(
        Opening.roles.through.objects.filter(opening_id__in=ids)
        .annotate(kind=Value("r"))
        .values_list("kind", "opening_id", "role_id")
        .union(
            Opening.languages.through.objects.filter(opening_id__in=ids)
            .annotate(kind=Value("l"))
            .values_list("kind", "opening_id", "language_id"),
            all=True,
        )
    )
    if any(
        (pk not in ref.role_by_pk) if kind == "r" else (pk not in ref.language_by_pk)
        for kind, _, pk in links
    ):
        # A role or language newer than the cached lists (their signal not seen yet here).
        ref = reference(fresh=True)
    roles: dict[int, list[int]] = {}
    languages: dict[int, list[int]] = {}
    for kind, opening_id, pk in links:
        (roles if kind == "r" else languages).setdefault(opening_id, []).append(pk)
    # In the lists' order; an id missing even from fresh lists (deleted meanwhile) is skipped.
    role_order = {row.pk: i for i, row in enumerate(ref.roles)}
    language_order = {row.pk: i for i, row in enumerate(ref.languages)}

    def names(pks: list[int], order: dict[int, int], by_pk: dict) -> list[str]:
        return [by_pk[pk].name for pk in sorted((p for p in pks if p in order), key=order.get)]

    labels = {
        opening_id: (
            names(roles.get(opening_id, []), role_order, ref.role_by_pk),
            names(languages.get(opening_id, []), language_order, ref.language_by_pk),
        )
        for opening_id in ids
    }
    return labels, ref


def opening_cards(*, rows: Iterable[dict], ref: Reference) -> tuple[list[OpeningCard], str]:
    """Cards for rows from ``card_rows``, their roles and languages in one more query
    (names from ``ref``, the page's reference lists), with the version of the lists used."""
    rows = list(rows)
    if not rows:
        return [], ref.version
    labels, ref = _labels_for([row["pk"] for row in rows], ref)
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
    ``Paginator.get_page`` does: junk is the first page, past the end the last). Three
    queries (the bounded count, the page's cards, their roles and languages), one more for
    a signed-in reader (their hours, for "overlaps my availability" as a filter and a mark).
    """
    hours = reader_hours(user_id=reader.pk) if reader.is_authenticated else None
    openings = board_openings(filters=filters, reader_slots=hours.slots if hours else None)
    page = BoardPaginator(openings, PAGE_SIZE).get_page(number)
    rows = card_rows(
        page.object_list,
        filtered=filters.is_filtered,
        fits_for=reader.pk if hours and hours.slots else None,
    )
    page.object_list, labels_version = opening_cards(rows=rows, ref=ref)
    return Board(
        page=page,
        labels_version=labels_version,
        has_availability=bool(hours and hours.has_availability),
    )


def feed_openings(*, role: str = "", language: str = "", limit: int = 50) -> list[Opening]:
    openings = Opening.objects.visible().select_related("channel").prefetch_related("roles")
    if role:
        openings = openings.filter(roles__slug=role)
    if language:
        openings = openings.filter(languages__code=language)
    return list(openings.newest()[:limit])


def channel_openings(*, channel: Channel, viewer: User, limit: int = 20) -> list[Opening]:
    """A channel page's openings: every one for its owner, published ones for others."""
    openings = Opening.objects.filter(channel=channel)
    if viewer.pk != channel.owner_id:
        openings = openings.visible()
    return list(openings.order_by("-created_at", "-pk")[:limit])


def open_openings_of(*, person: User, limit: int = 10) -> list[Opening]:
    """A profile's "open openings" section: visible openings of the person's channels."""
    return list(
        Opening.objects.visible()
        .filter(channel__owner=person)
        .select_related("channel")
        .newest()[:limit]
    )


def owner_openings(*, owner: User) -> QuerySet[Opening]:
    """The owner's own openings, all statuses, with counts of undecided applications."""
    return (
        Opening.objects.filter(channel__owner=owner)
        .select_related("channel")
        .annotate(
            application_count=Count("applications"),
            waiting_count=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED)
            ),
        )
        .order_by("-created_at", "-pk")
    )


def reader_application(*, opening: Opening, reader: User) -> Application | None:
    if not reader.is_authenticated:
        return None
    return Application.objects.filter(opening=opening, applicant=reader).first()


# --- Applications ---------------------------------------------------------------------------


def applications_for_review(*, opening: Opening, status: str = "") -> QuerySet[Application]:
    applications = (
        Application.objects.filter(opening=opening)
        .for_review()
        .prefetch_related(
            "applicant__profile__roles",
            "applicant__profile__languages",
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor")),
        )
    )
    if status:
        applications = applications.filter(status=status)
    return applications.order_by("created_at", "pk")


def application_counts(*, opening: Opening) -> dict[str, int]:
    rows = (
        Application.objects.filter(opening=opening)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def applications_of(*, applicant: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=applicant)
        .select_related("opening", "opening__channel")
        .order_by("-created_at", "-pk")
    )


# --- Guide badges ---------------------------------------------------------------------------


def _badge_model():
    """The guides app's Badge, or None while that app has no badges (this page then simply
    shows none rather than failing)."""
    try:
        return apps.get_model("guides", "Badge")
    except LookupError:
        return None


def badges_available() -> bool:
    return _badge_model() is not None


def guide_badges_for(user_ids: list[int]) -> dict[int, list]:
    """Every guide badge of these people, in one query: {user id: [badge, …]}."""
    badge_model = _badge_model()
    if badge_model is None or not user_ids:
        return {}
    badges: dict[int, list] = {}
    for badge in badge_model.objects.filter(user_id__in=user_ids).select_related("track"):
        badges.setdefault(badge.user_id, []).append(badge)
    return badges


def badge_tracks() -> list:
    """The tracks one can filter moderators by (those whose completion earns a badge)."""
    if not badges_available():
        return []
    track_model = apps.get_model("guides", "Track")
    return list(track_model.objects.filter(is_retired=False).order_by("order", "title"))


# --- Find moderators ------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryFilters:
    role: str = ""
    language: str = ""
    badge: str = ""
    # "" (any time), "me" (the reader's own availability) or an opening's pk as text.
    around: str = ""


def moderator_directory(
    *, filters: DirectoryFilters, reader: User, reader_openings: list[Opening]
) -> QuerySet[Profile]:
    """Public profiles of people open to moderating, filtered as asked."""
    profiles = (
        Profile.objects.open_to_moderating()
        .select_related("user")
        .prefetch_related("roles", "languages")
    )
    if filters.role:
        profiles = profiles.filter(roles__slug=filters.role)
    if filters.language:
        profiles = profiles.filter(languages__code=filters.language)
    if filters.badge and badges_available():
        badge_model = _badge_model()
        profiles = profiles.filter(
            Exists(
                badge_model.objects.filter(user_id=OuterRef("user_id"), track__slug=filters.badge)
            )
        )
    if filters.around and reader.is_authenticated:
        if filters.around == "me":
            inner = _reader_slots_overlap(reader.profile.pk)
        else:
            opening = next((o for o in reader_openings if str(o.pk) == filters.around), None)
            if opening is None:
                raise Http404("No such opening.")
            inner = Exists(
                OpeningSlot.objects.filter(
                    opening=opening, start__lt=OuterRef("end"), end__gt=OuterRef("start")
                )
            )
        profiles = profiles.filter(
            Exists(AvailabilitySlot.objects.filter(profile=OuterRef("pk")).filter(inner))
        )
    return profiles.order_by("-updated_at", "-pk")


def invitable_openings(*, owner: User) -> list[Opening]:
    """The openings a channel owner can invite people to: their visible ones."""
    if not owner.is_authenticated:
        return []
    return list(
        Opening.objects.visible()
        .filter(channel__owner=owner)
        .select_related("channel")
        .newest()[:100]
    )


# --- Staff ----------------------------------------------------------------------------------


def report_queue(*, show: str = "open") -> QuerySet[OpeningReport]:
    reports = OpeningReport.objects.select_related(
        "reporter", "opening", "opening__channel", "opening__channel__owner", "resolved_by"
    )
    if show == "open":
        reports = reports.unresolved().order_by("created_at", "pk")
    else:
        reports = reports.filter(resolved_at__isnull=False).order_by("-resolved_at", "-pk")
    return reports
