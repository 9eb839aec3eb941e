"""Reads of openings: who may see which (one place), an opening's page with the reader's
own facts about it, its labels, and the short lists of openings other pages show.

Who may see what:
- an opening's page: anyone while it is published (open, paused, filled, closed, expired);
  a draft or a removed opening exists only for its owner and staff (404 for everyone else);
- changing an opening: its owner only (403 to whoever can see the page, 404 to the rest).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, IntegerField, JSONField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.functional import cached_property

from portal.accounts.models import Profile, User
from portal.board.models import Application, ApplicationStatus, Channel, Opening
from portal.board.reference import Reference, reference
from portal.board.selectors.applications import application_counts
from portal.core.schedule import Window
from portal.core.weeks import week_of, windows_for_reader, windows_meet


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
    week: date  # the Monday of the week its hours are placed in (and its mark worked out for)
    is_owner: bool
    # A signed-in reader's own (False and None for a visitor and for the owner).
    fits_my_hours: bool
    my_application: Application | None
    application_counts: dict[str, int]  # {status: n}, for the owner only

    @cached_property
    def windows(self) -> list[str]:
        """Its hours in ``reader_tz`` in ``week`` (the cached part's key holds both): worked
        out only when the page's cached part is not found (the template asks for them
        inside it)."""
        return windows_for_reader(
            self.opening.windows, self.opening.timezone, self.reader_tz, self.week
        )

    @cached_property
    def windows_with_own(self) -> list[tuple[str, str]]:
        """Each window in ``reader_tz``, with the channel's own writing of it beside ("" when
        the reader's clock is the opening's): one timezone story, the reader's first, the
        channel's in brackets. In the channel's order (as written)."""
        tz = self.opening.timezone
        return [
            (
                windows_for_reader([window], tz, self.reader_tz, self.week)[0],
                "" if self.reader_tz == tz else str(window),
            )
            for window in sorted(self.opening.windows)
        ]


def opening_page(*, pk: int, viewer: User, now: datetime | None = None) -> OpeningPage:
    """An opening for its page, or 404 when the viewer may not know it exists: the opening
    with its channel and owner, the reader's own facts asked in the same statement (their
    availability as written, application, time zone), then its questions and its labels;
    for the owner their applications' counts, for someone who applied their application.
    Three or four queries. Its hours are placed in the week of ``now`` (this week).
    """
    openings = Opening.objects.readable_by(viewer).for_cards().prefetch_related("questions")
    signed_in = viewer.is_authenticated
    if signed_in:
        # As SQL (see _MY_APPLICATION_SQL): as Subquery/OuterRef these cost more Python
        # calls than the rest of the page's reads.
        openings = openings.annotate(
            reader_availability=RawSQL(  # noqa: S611 (see _MY_AVAILABILITY_SQL)
                _MY_AVAILABILITY_SQL, [viewer.pk], output_field=JSONField()
            ),
            my_application_id=RawSQL(  # noqa: S611 (see _MY_APPLICATION_SQL)
                _MY_APPLICATION_SQL, [viewer.pk], output_field=IntegerField()
            ),
            reader_tz=RawSQL(_MY_TIMEZONE_SQL, [viewer.pk], output_field=CharField()),  # noqa: S611
        )
    opening = next(iter(openings.filter(pk=pk).order_by()[:1]), None)
    if opening is None:
        raise Http404("No such opening.")
    is_owner = signed_in and opening.channel.owner_id == viewer.pk
    labels, ref = labels_for([opening.pk], reference())
    role_names, language_names = labels[opening.pk]
    week = week_of(now)
    reader_tz = opening.reader_tz if signed_in else opening.timezone
    fits = (
        signed_in
        and not is_owner
        and windows_meet(
            opening.windows,
            opening.timezone,
            [Window.from_json(w) for w in opening.reader_availability or []],
            reader_tz or "UTC",
            week,
        )
    )
    my_application = None
    if signed_in and not is_owner and opening.my_application_id is not None:
        my_application = Application.objects.get(pk=opening.my_application_id)
    return OpeningPage(
        opening=opening,
        role_names=role_names,
        language_names=language_names,
        labels_version=ref.version,
        reader_tz=reader_tz,
        week=week,
        is_owner=is_owner,
        fits_my_hours=fits,
        my_application=my_application,
        application_counts=application_counts(opening=opening) if is_owner else {},
    )


def opening_for_owner(*, pk: int, user: User) -> Opening:
    """An opening its owner is about to manage: 404 to those who may not see it, 403 to
    those who can see it but do not own it (staff too)."""
    opening = opening_for_viewer(pk=pk, viewer=user)
    if opening.is_owned_by(user):
        return opening
    raise PermissionDenied("Only the channel's owner can do that.")


# The reader's own facts that an opening's page asks with its permission check, written as
# SQL (as Subquery/OuterRef they cost more Python calls than the rest of the page's request;
# the names come from the models, the reader's user id is a parameter): the reader's
# application to the outer opening, their time zone and their availability.
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
# Their availability as written: the page's "fits your hours" is worked out from it and the
# opening's schedule for the week being looked at (portal/core/weeks.py).
_MY_AVAILABILITY_SQL = "SELECT {availability} FROM {profiles} WHERE {user} = %s".format(  # noqa: S608
    availability=Profile._meta.get_field("availability").column,
    profiles=Profile._meta.db_table,
    user=Profile._meta.get_field("user").column,
)


def labels_for(
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
