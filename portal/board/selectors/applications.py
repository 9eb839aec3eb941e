"""Reads of applications: one for its applicant and the channel's owner, or for staff
through an open report on its opening (404 for anyone else: an application's existence is
itself private), the owner's review list, the counts by status, a person's own applications.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from portal.accounts.models import User
from portal.board.models import Application, ApplicationEvent, Opening


def application_for_viewer(*, pk: int, viewer: User) -> Application:
    """An application, for its applicant, the channel's owner, and staff through an open
    report on its opening (the view logs that read); 404 for anyone else."""
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
