"""Digest tasks: the beat job that queues people who are due, and the chunk sender.

Both take plain data (ids, ISO times), are safe to run twice, and do their work in
services.py.
"""

from __future__ import annotations

from celery import shared_task

from portal.digests.services import DueEntry, digests_queue_due, digests_send_chunk


@shared_task(name="portal.digests.queue_due_digests", ignore_result=True)
def queue_due_digests() -> int | None:
    return digests_queue_due()


@shared_task(
    bind=True,
    name="portal.digests.tasks.send_digest_chunk",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    ignore_result=True,
)
def send_digest_chunk(self, entries: list[list]) -> dict:
    result = digests_send_chunk(
        entries=[DueEntry.from_task_arg(e) for e in entries],
        final_attempt=self.request.retries >= self.max_retries,
    )
    if result.retry:
        # Only the people whose send failed go round again, after 1, 2, 4… minutes.
        raise self.retry(
            args=[[e.as_task_arg() for e in result.retry]],
            countdown=60 * 2**self.request.retries,
        )
    return {"sent": len(result.sent), "skipped": len(result.skipped), "failed": len(result.failed)}
