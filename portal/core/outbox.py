"""Enqueueing tasks so that a broker outage never fails a request or loses an email.

Services enqueue with ``enqueue_on_commit(task, *args)``: after the transaction commits the
task goes to the broker; if the broker cannot be reached, the task is written to the
OutboxTask table instead, and ``flush_outbox`` (a beat job every minute) sends it once the
broker is back. Tasks are idempotent (they take ids and check what is already done), so a
task sent twice in a flapping outage is harmless.

An email task whose mail server refused waits here too (``outbox_wait``), until its next try
is due: long waits live in the database, never as Celery countdowns on the broker.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import Task
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from portal.core.models import OutboxTask

logger = logging.getLogger(__name__)

# Connection errors of the broker's client library surface as these, or as plain OSError.
BROKER_ERRORS = (BrokerUnreachable, ConnectionError, OSError, TimeoutError)
FLUSH_BATCH = 500


def enqueue_now(task: Task, *args: object, retries: int = 0) -> bool:
    """Send the task to the broker, or keep it in the outbox. Returns whether it was sent."""
    try:
        task.apply_async(args=args, retries=retries)
        return True
    except BROKER_ERRORS as exc:
        logger.warning("broker unreachable; %s kept in the outbox: %s", task.name, exc)
        OutboxTask.objects.create(
            task_name=task.name, args=list(args), retries=retries, last_error=str(exc)
        )
        return False


def enqueue_on_commit(task: Task, *args: object) -> None:
    # Robust: whatever happens after the commit (a task run inline on a laptop, a bug), the
    # person's action is saved and their page must say so; the error is logged.
    transaction.on_commit(lambda: enqueue_now(task, *args), robust=True)


def outbox_wait(
    *, task_name: str, args: list, retries: int, wait_seconds: int, error: str = ""
) -> OutboxTask:
    """Keep a task until ``wait_seconds`` from now, then send it as its try number
    ``retries`` (Celery's ``request.retries``), so it knows how many tries came before."""
    return OutboxTask.objects.create(
        task_name=task_name,
        args=list(args),
        retries=retries,
        not_before=timezone.now() + timedelta(seconds=wait_seconds),
        last_error=error[:2000],
    )


def outbox_flush() -> tuple[int, int]:
    """Send what waited in the outbox and is due; returns (sent, still waiting)."""
    from portal.celery import app

    sent = 0
    while True:
        now = timezone.now()
        with transaction.atomic():
            batch = list(
                OutboxTask.objects.select_for_update(skip_locked=True)
                .filter(not_before__lte=now)
                .order_by("pk")[:FLUSH_BATCH]
            )
            if not batch:
                break
            done: list[int] = []
            failed = None
            for row in batch:
                try:
                    app.tasks[row.task_name].apply_async(args=row.args, retries=row.retries)
                except BROKER_ERRORS as exc:
                    row.attempts += 1
                    row.last_error = str(exc)
                    row.save(update_fields=["attempts", "last_error"])
                    failed = row
                    break
                done.append(row.pk)
            # What reached the broker leaves the outbox even when a later row failed, so the
            # next flush does not send it a second time.
            OutboxTask.objects.filter(pk__in=done).delete()
            sent += len(done)
        if failed is not None:
            break
    return sent, OutboxTask.objects.count()
