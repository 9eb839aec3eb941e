"""The staff's report queue."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.board.models import OpeningReport


def report_queue(*, show: str = "open") -> QuerySet[OpeningReport]:
    reports = OpeningReport.objects.select_related(
        "reporter", "opening", "opening__channel", "opening__channel__owner", "resolved_by"
    )
    if show == "open":
        reports = reports.unresolved().order_by("created_at", "pk")
    else:
        reports = reports.filter(resolved_at__isnull=False).order_by("-resolved_at", "-pk")
    return reports
