"""Reads of applications: one for its applicant and the channel's owner, or for staff
through an open report on its opening (404 for anyone else: an application's existence is
itself private), the owner's review list, the counts by status, a person's own applications.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from portal.accounts.models import User
from portal.board.models import Application, ApplicationEvent, Opening
from portal.board.selectors.moderators import guide_badges_for
from portal.core.weeks import week_of, windows_for_reader, windows_meet


def application_for_viewer(*, pk: int, viewer: User) -> Application:
    """An application, for its applicant, the channel's owner, and staff through an open
    report on its opening (the view logs that read); 404 for anyone else."""
    application = (
        Application.objects.readable_by(viewer)
        .select_related(
            "applicant",
            "applicant__profile",
            "applicant__moderation_history",
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


# The review table's order, oldest first: the next/previous links follow it too.
REVIEW_ORDER = ("created_at", "pk")


def applications_for_review(*, opening: Opening, status: str = "") -> QuerySet[Application]:
    """The review table's rows: each application with its applicant and profile (name,
    availability), in one statement; the answers and history are on each one's own page."""
    applications = Application.objects.filter(opening=opening).for_review()
    if status:
        applications = applications.filter(status=status)
    return applications.order_by(*REVIEW_ORDER)


@dataclass(frozen=True)
class ApplicantRow:
    """One row of the review table: the application, the applicant's guide badges, and
    whether their availability meets the opening's schedule this week (None when either
    side has said nothing), with their windows as the reader's clock shows them."""

    application: Application
    badges: list
    overlaps: bool | None
    windows: list[str]


def applicant_rows(
    *, applications: Iterable[Application], opening: Opening, reader_tz: str
) -> list[ApplicantRow]:
    """Rows for a page of ``applications_for_review``: every applicant's badges in one
    query; the overlap worked out in Python from the schedules in the rows (weeks.py)."""
    applications = list(applications)
    badges = guide_badges_for([a.applicant_id for a in applications])
    week = week_of()
    schedule = opening.windows
    rows = []
    for application in applications:
        profile = application.applicant.profile
        windows = profile.windows
        overlaps = None
        if windows and schedule:
            overlaps = windows_meet(schedule, opening.timezone, windows, profile.timezone, week)
        rows.append(
            ApplicantRow(
                application=application,
                badges=badges.get(application.applicant_id, []),
                overlaps=overlaps,
                windows=windows_for_reader(windows, profile.timezone, reader_tz, week),
            )
        )
    return rows


def review_neighbours(*, application: Application, status: str = "") -> tuple[int | None, ...]:
    """The ids of the applications before and after this one in the review table's tab
    ``status`` (every status when empty), in the table's order: two small indexed reads.
    The application itself may have left the tab (just moved on): its place still holds."""
    tab = Application.objects.filter(opening_id=application.opening_id)
    if status:
        tab = tab.filter(status=status)
    at, pk = application.created_at, application.pk
    before = tab.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    after = tab.filter(Q(created_at__gt=at) | Q(created_at=at, pk__gt=pk))
    previous = before.order_by("-created_at", "-pk").values_list("pk", flat=True).first()
    following = after.order_by(*REVIEW_ORDER).values_list("pk", flat=True).first()
    return previous, following


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
