"""Accounts tasks: sending allauth's account emails, building data exports, deleting
accounts, and the two hourly jobs that delete expired exports and start due deletions.

allauth sends inline, in the request; a mail server that refused or hung would then turn a
sign-up or a password reset into an error page. The adapter builds the message in the request
(it needs the request for its links) and ``send_account_email`` sends it after commit, with the
same tries and the same kept failure as every other email (core's EmailTask).

The leaving tasks take ids and hand the work to portal/accounts/leaving/, which returns early
when the row is gone or the work is done, so a task delivered twice (acks_late) does no harm.
"""

from __future__ import annotations

from celery import shared_task
from django.core.mail import EmailMessage, EmailMultiAlternatives

from portal.accounts.leaving import deletion, exports
from portal.core.mail import EmailTask, email_deliver

ACCOUNT_EMAIL_KIND = "account"


def account_email_as_task_arg(message: EmailMessage) -> dict:
    """A built message as plain data a task can carry (allauth's are text with an optional
    HTML part, or HTML only)."""
    return {
        "subject": message.subject,
        "body": message.body,
        "content_subtype": message.content_subtype,
        "html": next(
            (c for c, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"),
            "",
        ),
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
    }


@shared_task(base=EmailTask, name="portal.accounts.tasks.send_account_email")
def send_account_email(message: dict, person_id: int | None = None) -> bool:
    """Send a message the adapter built (``account_email_as_task_arg``)."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message.get("headers") or None,
    )
    email.content_subtype = message.get("content_subtype") or "plain"
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    email_deliver(email, person_id=person_id, kind=ACCOUNT_EMAIL_KIND)
    return True


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
