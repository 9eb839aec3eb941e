"""What happens when an email cannot be sent: tries again later, then keeps it for staff.

Every email goes out from a Celery task after the action that caused it has committed, so a
failure here can never undo or error the action. A mail server that refuses or is away is
tried again after growing waits (``MAIL_RETRY_WAITS``, about two hours in all); the waits are
kept in the database outbox, not as Celery countdowns, so a task never sits unacknowledged on
the broker for long (see the visibility timeout in settings). After the last try, or at once
when the message could not even be built (a bug, which trying again will not fix), the email
is kept as a ``FailedEmail``: staff see it at /email/failed/ and can send it again, and
/healthz reports it.
"""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from portal.core.models import FailedEmail
from portal.core.outbox import enqueue_now, outbox_wait

logger = logging.getLogger(__name__)

# Seconds between one try and the next: 1, 2, 5, 10, 20, 30 and 60 minutes, so eight tries
# over a little more than two hours ride out a mail server's restart, a greylisting or an
# afternoon's outage at the provider. The outbox is flushed every minute, so each wait may be
# up to a minute longer.
MAIL_RETRY_WAITS: tuple[int, ...] = (60, 120, 300, 600, 1200, 1800, 3600)
# A refused connection, a timeout, a dropped line and a 4xx/5xx answer all land here.
MAIL_SERVER_ERRORS = (SMTPException, OSError)


class EmailNotSent(Exception):
    """An email that failed, with what staff need to know about it. ``retryable`` is true
    when the mail server failed (try again later) and false when the message itself could
    not be built."""

    def __init__(
        self, *, person_id: int | None, kind: str, subject: str, error: Exception, retryable: bool
    ):
        super().__init__(f"{type(error).__name__}: {error}")
        self.person_id = person_id
        self.kind = kind
        self.subject = subject
        self.error = error
        self.retryable = retryable


def email_deliver(message: EmailMessage, *, person_id: int | None, kind: str) -> None:
    """Hand a built message to the mail server. Its refusal becomes a retryable
    ``EmailNotSent``; anything else (a header the message cannot be written with) a final one."""
    try:
        message.send()
    except SoftTimeLimitExceeded:
        raise  # the task is out of time: its base keeps the email for a later try
    except Exception as exc:
        raise EmailNotSent(
            person_id=person_id,
            kind=kind,
            subject=message.subject,
            error=exc,
            retryable=isinstance(exc, MAIL_SERVER_ERRORS),
        ) from exc


def failed_email_record(
    *,
    person_id: int | None,
    kind: str,
    subject: str,
    error: str,
    attempts: int,
    task_name: str = "",
    args: list | None = None,
) -> FailedEmail:
    logger.error("email given up after %s tries (%s to %s): %s", attempts, kind, person_id, error)
    return FailedEmail.objects.create(
        person_id=person_id,
        kind=kind,
        subject=subject[:300],
        error=error[:2000],
        attempts=attempts,
        task_name=task_name,
        args=list(args or []),
    )


def email_try_later_or_give_up(
    *, task_name: str, args: list, tries_made: int, failure: EmailNotSent
) -> FailedEmail | None:
    """After a failed try: wait in the outbox for the next one, or, after the last (or when
    trying again cannot help), keep the email as failed. Returns the failed row, if any."""
    error = str(failure)
    if failure.retryable and tries_made <= len(MAIL_RETRY_WAITS):
        wait = MAIL_RETRY_WAITS[tries_made - 1]
        logger.warning("email try %s failed, next in %s s: %s", tries_made, wait, error)
        outbox_wait(
            task_name=task_name, args=args, retries=tries_made, wait_seconds=wait, error=error
        )
        return None
    return failed_email_record(
        person_id=failure.person_id,
        kind=failure.kind,
        subject=failure.subject,
        error=error,
        attempts=tries_made,
        task_name=task_name,
        args=args,
    )


class EmailTask(Task):
    """The base of every task that sends one email (``@shared_task(base=EmailTask)``).

    A failure never leaves the task: it is turned into a later try or a FailedEmail, so a
    task run inline (a laptop, tests) cannot make the page that queued it answer 500, and a
    worker never retries on its own with a countdown. Anything raised that is not an
    ``EmailNotSent`` is a bug in building the email; it is logged with its traceback and kept
    as failed at once.
    """

    acks_late = True
    ignore_result = True

    def __call__(self, *args, **kwargs):
        # The worker's tracer has pushed the request (with ``retries``) already; calling run
        # directly keeps it. Celery calls a task's own __call__ when it has one.
        tries_made = (self.request.retries or 0) + 1
        try:
            return self.run(*args, **kwargs)
        except EmailNotSent as failure:
            email_try_later_or_give_up(
                task_name=self.name, args=list(args), tries_made=tries_made, failure=failure
            )
        except SoftTimeLimitExceeded as exc:
            # A mail server so slow the task ran out of time: like a refusal, try later.
            slow = EmailNotSent(
                person_id=None,
                kind=self.name.rsplit(".", 1)[-1],
                subject="",
                error=exc,
                retryable=True,
            )
            email_try_later_or_give_up(
                task_name=self.name, args=list(args), tries_made=tries_made, failure=slow
            )
        except Exception as exc:
            logger.exception("building an email in %s%s failed", self.name, args)
            failed_email_record(
                person_id=None,
                kind=self.name.rsplit(".", 1)[-1],
                subject="",
                error=f"{type(exc).__name__}: {exc}",
                attempts=tries_made,
                task_name=self.name,
                args=list(args),
            )
        return False


def failed_email_send_again(*, failed_email: FailedEmail, staff) -> bool:
    """Queue a failed email again, from its first try. Returns False when it cannot be (it
    was never built, or was sent again already)."""
    from portal.celery import app

    with transaction.atomic():
        row = FailedEmail.objects.select_for_update().get(pk=failed_email.pk)
        task = app.tasks.get(row.task_name)
        if not row.can_send_again or task is None:  # a task renamed since: nothing to queue
            return False
        row.sent_again_at = timezone.now()
        row.sent_again_by = staff
        row.save(update_fields=["sent_again_at", "sent_again_by"])
        transaction.on_commit(lambda: enqueue_now(task, *row.args), robust=True)
    return True
