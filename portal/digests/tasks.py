"""Digest tasks: the beat job that queues people who are due, and the chunk sender.

Both take plain data (ids, ISO times), are safe to run twice, and do their work in
services.py.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from portal.core.mail import MAIL_RETRY_WAITS
from portal.core.outbox import outbox_wait
from portal.digests.services import DueEntry, digests_queue_due, digests_send_chunk

logger = logging.getLogger(__name__)


@shared_task(name="portal.digests.queue_due_digests", ignore_result=True)
def queue_due_digests() -> int | None:
    return digests_queue_due()


@shared_task(
    bind=True,
    name="portal.digests.tasks.send_digest_chunk",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def send_digest_chunk(self, entries: list[list], again: bool = False) -> dict:
    tries_made = (self.request.retries or 0) + 1
    try:
        result = digests_send_chunk(
            entries=[DueEntry.from_task_arg(e) for e in entries],
            final_attempt=tries_made > len(MAIL_RETRY_WAITS),
            again=again,
        )
    except SoftTimeLimitExceeded:
        # A mail server slow enough to stall the chunk: the whole chunk goes round again
        # (who got theirs already is recorded, so nobody gets two).
        logger.warning("digest chunk out of time on try %s; kept for later", tries_made)
        outbox_wait(
            task_name=self.name,
            args=[entries, again],
            retries=min(tries_made, len(MAIL_RETRY_WAITS)),
            wait_seconds=MAIL_RETRY_WAITS[min(tries_made, len(MAIL_RETRY_WAITS)) - 1],
            error="out of time",
        )
        return {"sent": 0, "skipped": 0, "failed": 0}
    if result.retry:
        # Only the people whose send failed go round again, after the same growing waits as
        # every email; the wait is kept in the outbox, not as a countdown on the broker.
        outbox_wait(
            task_name=self.name,
            args=[[e.as_task_arg() for e in result.retry], again],
            retries=tries_made,
            wait_seconds=MAIL_RETRY_WAITS[tries_made - 1],
            error=f"{len(result.retry)} digests refused by the mail server",
        )
    return {"sent": len(result.sent), "skipped": len(result.skipped), "failed": len(result.failed)}
