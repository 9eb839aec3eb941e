"""Account tasks: allauth's emails, sent by a worker after the request's transaction commits.

A slow or failing mail server must neither slow nor fail a sign-up, a password reset or a
change of second factor; the task retries instead. Its name matches the email queue's route
(``portal.*.tasks.send_*`` in settings).
"""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from portal.accounts.services import account_email_send


@shared_task(
    name="portal.accounts.tasks.send_account_email",
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    retry_backoff_max=15 * 60,
    max_retries=6,
    ignore_result=True,
)
def send_account_email(message: dict) -> None:
    account_email_send(message=message)
