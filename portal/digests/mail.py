"""The one way Modhall sends email on its own initiative.

Digests and every notification (application updates, mentions, replies, reminders) go
through ``send_email``: it respects the person's preferences, renders a plain-text and an
HTML part from templates, says why the person gets the email, and adds the headers mail
providers expect of automatic mail: ``List-Unsubscribe`` with a one-click https link
(RFC 8058) and ``Auto-Submitted: auto-generated`` (RFC 3834, so auto-responders stay quiet).

Callers are Celery tasks (enqueued by services after commit), never request handlers: a slow
mail server must not slow a page. A failure, building or sending, is raised as core's
``EmailNotSent`` naming the person, kind and subject; the task turns it into a later try or a
kept failed email (portal/core/mail.py).
"""

from __future__ import annotations

import email.policy
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from portal.accounts.models import User
from portal.core.mail import EmailNotSent, email_deliver
from portal.core.text import one_line
from portal.digests.models import EmailKind, EmailPreferences

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "modhall.unsubscribe"


class AutomaticEmail(EmailMultiAlternatives):
    """Django's message with headers written unfolded. A List-Unsubscribe value is one long
    URL with no space to fold at, and Python's email package then writes it as an RFC 2047
    encoded word (=?utf-8?q?…?=), which the big mail providers do not read as a one-click
    unsubscribe. Lines may be as long as RFC 5322 allows (998 characters), so it goes out as
    plain ASCII ``<https://…>`` on one line of a couple of hundred characters."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def preferences_for(user: User) -> EmailPreferences:
    preferences, _ = EmailPreferences.objects.get_or_create(user=user)
    return preferences


def unsubscribe_token(*, user: User, kind: str) -> str:
    """A signed token naming one person and one kind of email; it never expires, because
    an unsubscribe link in an old email must still work."""
    return signing.dumps({"u": user.pk, "k": str(kind)}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in EmailKind.values:
        return None
    return int(data["u"]), data["k"]


def unsubscribe_url(*, user: User, kind: str) -> str:
    token = unsubscribe_token(user=user, kind=kind)
    return absolute_url(reverse("digests:unsubscribe", kwargs={"token": token}))


def send_email(
    *,
    user: User,
    kind: str,
    subject: str,
    template: str,
    context: dict,
    preferences: EmailPreferences | None = None,
    connection=None,
) -> bool:
    """Send ``templates/emails/<template>.txt`` and ``.html`` to ``user`` if they want this
    kind of email. Returns whether a message was sent. A message that cannot be built or sent
    raises ``EmailNotSent``, so the calling task can try again later or keep it as failed."""
    if not user.is_active or not user.email:
        return False
    preferences = preferences or preferences_for(user)
    if not preferences.wants(kind):
        return False
    # A channel name or title with a line break would make the header invalid and the email
    # fail; a subject is one line whatever the text it quotes.
    subject = one_line(f"[{settings.SITE_NAME}] {subject}")
    try:
        message = _build(
            user=user,
            kind=kind,
            subject=subject,
            template=template,
            context=context,
            connection=connection,
        )
    except SoftTimeLimitExceeded:
        raise
    except Exception as exc:
        raise EmailNotSent(
            person_id=user.pk, kind=kind, subject=subject, error=exc, retryable=False
        ) from exc
    email_deliver(message, person_id=user.pk, kind=kind)
    logger.info("sent %s email to user %s", kind, user.pk)
    return True


def _build(
    *, user: User, kind: str, subject: str, template: str, context: dict, connection
) -> AutomaticEmail:
    unsubscribe = unsubscribe_url(user=user, kind=kind)
    full_context = {
        **context,
        "user": user,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "reason": EmailKind(kind).label,
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute_url(reverse("digests:preferences")),
    }
    message = AutomaticEmail(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", full_context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
        connection=connection,
    )
    message.attach_alternative(
        render_to_string(f"emails/{template}.html", full_context), "text/html"
    )
    return message
