"""The board's moderation log of staff reading applications. An applicant writes for the
channel's owner; staff may need to read what an opening collected when someone reports it
(a scam's questions show in the answers), and each such read is written down, so who saw
whose answers, and why, can always be told."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.accounts.models import User
from portal.board.models import Application, OpeningReport, StaffRead


@transaction.atomic
def staff_reads_log(
    *,
    staff: User,
    report: OpeningReport,
    applications: Sequence[Application],
    page: str,
) -> list[StaffRead]:
    """Log one row per application shown to a member of staff through ``report`` (one query
    for a whole page of them). Called before the page is drawn: no row, no page."""
    if not staff.is_staff:
        raise ValidationError("Only staff read applications through a report.")
    if any(a.opening_id != report.opening_id for a in applications):
        raise ValidationError("A report opens only the applications to its own opening.")
    return StaffRead.objects.bulk_create(
        StaffRead(
            staff=staff,
            application=application,
            applicant_id=application.applicant_id,
            report=report,
            page=page,
        )
        for application in applications
    )
