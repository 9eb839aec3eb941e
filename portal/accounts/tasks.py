"""Accounts tasks: building data exports, deleting accounts, and the two hourly jobs that
delete expired exports and start deletions whose grace period is over.

Each takes ids and hands the work to portal/accounts/leaving/, which returns early when the
row is gone or the work is done, so a task delivered twice (acks_late) does no harm.
"""

from __future__ import annotations

from celery import shared_task

from portal.accounts.leaving import deletion, exports


@shared_task(acks_late=True)
def build_data_export(export_id: int) -> str | None:
    export = exports.data_export_build(export_id=export_id)
    return export.status if export is not None else None


@shared_task(acks_late=True)
def purge_expired_exports() -> int:
    return exports.data_exports_purge()


@shared_task(acks_late=True)
def delete_account(deletion_id: int) -> bool:
    return deletion.account_deletion_run(deletion_id=deletion_id)


@shared_task(acks_late=True)
def queue_due_deletions() -> int:
    return deletion.account_deletions_queue()
