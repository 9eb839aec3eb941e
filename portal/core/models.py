"""Core rows: the task outbox, and the emails that could not be sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboxTask(models.Model):
    """A task waiting in the database rather than on the broker.

    Two kinds of waiting end up here. A task that could not reach the broker when it was
    enqueued: pages and posting must keep working while Redis is down, and the emails they
    trigger wait here until ``flush_outbox`` (a beat job) finds the broker back. And an email
    the mail server refused, waiting for its next try: the waits grow to an hour, and kept
    here they need no long Celery countdown, so the broker's visibility timeout stays short
    (settings.CELERY_BROKER_TRANSPORT_OPTIONS).
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    # Tries to reach the broker that failed.
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Tries the task itself already made (Celery's ``retries``): an email's next try knows
    # how many the mail server refused before.
    retries = models.PositiveSmallIntegerField(default=0)
    # Not sent to the broker before this time.
    not_before = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"


class FailedEmailQuerySet(models.QuerySet):
    def waiting(self) -> FailedEmailQuerySet:
        """Not yet sent again by staff."""
        return self.filter(sent_again_at__isnull=True)


class FailedEmail(models.Model):
    """An email given up on: the mail server refused every try, or building it failed.

    Kept so that nothing is lost silently: staff see these at /email/failed/ and can send one
    again, which queues the same task with the same arguments (``task_name``, ``args``).
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="failed_emails",
    )
    # An EmailKind value ("forum_replies", "digest", …) or "account" for allauth's emails.
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=300, blank=True)
    error = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=1)
    failed_at = models.DateTimeField(default=timezone.now, db_index=True)
    # What "send again" queues; empty when the email could not be built at all.
    task_name = models.CharField(max_length=200, blank=True)
    args = models.JSONField(default=list, blank=True)
    sent_again_at = models.DateTimeField(null=True, blank=True)
    sent_again_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = FailedEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-failed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} email to {self.person_id}: {self.subject}"

    @property
    def can_send_again(self) -> bool:
        return bool(self.task_name) and self.sent_again_at is None
