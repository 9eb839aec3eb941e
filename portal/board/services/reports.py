"""Trust and safety: someone signed in reports an opening, staff dismiss the report or
remove the opening (its owner told why, every open report on it resolved)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.accounts.models import User
from portal.board import rules
from portal.board.models import Opening, OpeningReport, OpeningStatus
from portal.board.services.lifecycle import lock_opening
from portal.core.limits import check_rows
from portal.core.once import AlreadyDone, insert_once
from portal.core.outbox import enqueue_on_commit

ALREADY_REPORTED = "You have already reported this opening; staff will look at it."


@transaction.atomic
def opening_remove(*, opening: Opening, staff: User, reason: str) -> Opening:
    """Staff take an opening down; its page disappears for everyone but its owner and staff,
    every open report on it is resolved, and the owner is told why."""
    from portal.board.tasks import send_opening_removed

    if not staff.is_staff:
        raise ValidationError("Only staff remove openings.")
    if not reason.strip():
        raise ValidationError({"reason": "Tell the owner why the opening is removed."})
    lock_opening(opening)
    if opening.status == OpeningStatus.REMOVED:
        raise ValidationError("This opening is already removed.")
    now = timezone.now()
    opening.status = OpeningStatus.REMOVED
    opening.removed_reason = reason.strip()
    opening.removed_at = now
    opening.full_clean()
    opening.version = F("version") + 1
    opening.save(update_fields=["status", "removed_reason", "removed_at", "updated_at", "version"])
    OpeningReport.objects.unresolved().filter(opening=opening).update(
        resolved_at=now, resolved_by=staff, resolution=OpeningReport.Resolution.REMOVED
    )
    enqueue_on_commit(send_opening_removed, opening.pk)
    return opening


@transaction.atomic
def report_create(
    *, opening: Opening, reporter: User, reason: str, details: str = ""
) -> OpeningReport:
    """Someone signed in reports an opening to staff (once per opening: a second report, even
    one sent at the same moment, is AlreadyDone)."""
    if opening.is_owned_by(reporter):
        raise ValidationError("You can't report your own opening.")
    if OpeningReport.objects.filter(opening=opening, reporter=reporter).exists():
        raise AlreadyDone(ALREADY_REPORTED)
    sent = OpeningReport.objects.filter(reporter=reporter)
    check_rows(rules.REPORTS, sent, field="created_at", user=reporter)
    report = OpeningReport(opening=opening, reporter=reporter, reason=reason, details=details)
    # Its one constraint is one report per person, which the insert itself decides.
    report.full_clean(validate_constraints=False)
    if not insert_once(report):
        raise AlreadyDone(ALREADY_REPORTED)
    return report


@transaction.atomic
def report_dismiss(*, report: OpeningReport, staff: User) -> OpeningReport:
    if not staff.is_staff:
        raise ValidationError("Only staff resolve reports.")
    if report.resolved_at is not None:
        raise ValidationError("This report is already resolved.")
    report.resolved_at = timezone.now()
    report.resolved_by = staff
    report.resolution = OpeningReport.Resolution.DISMISSED
    report.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return report
