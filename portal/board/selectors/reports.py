"""The staff's report queue, the report through which staff may read an opening's
applications, and the log of those reads."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.accounts.models import User
from portal.board.models import Opening, OpeningReport, StaffRead


def report_queue(*, show: str = "open") -> QuerySet[OpeningReport]:
    reports = OpeningReport.objects.select_related(
        "reporter", "opening", "opening__channel", "opening__channel__owner", "resolved_by"
    )
    if show == "open":
        reports = reports.unresolved().order_by("created_at", "pk")
    else:
        reports = reports.filter(resolved_at__isnull=False).order_by("-resolved_at", "-pk")
    return reports


def report_for_staff_read(*, opening: Opening, viewer: User) -> OpeningReport | None:
    """The open report that lets this member of staff read the opening's applications (the
    oldest, named in the log); None for anyone who is not staff, or with no open report."""
    if not viewer.is_staff:
        return None
    return (
        OpeningReport.objects.unresolved()
        .filter(opening=opening)
        .order_by("created_at", "pk")
        .first()
    )


def staff_reads() -> QuerySet[StaffRead]:
    """The board's moderation log, newest first."""
    return StaffRead.objects.select_related(
        "staff", "applicant", "report__opening", "report__reporter"
    ).order_by("-created_at", "-pk")
