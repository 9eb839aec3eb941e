"""Core rows: the task outbox, the emails that could not be sent, and the weekly slot
availability and schedules share."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.core.schedule import Window
from portal.core.weeks import local_bounds


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


class WeeklySlot(models.Model):
    """One weekly window as its writer wrote it: a weekday, a local start and end, and the
    timezone they are in (a moderator's availability, an opening's schedule).

    Nothing here is UTC: which instant "Fri 18:00 in Europe/Berlin" is depends on the week,
    so overlaps are worked out for the week being looked at (portal/core/weeks.py).
    ``local_start`` and ``local_end`` are the same three values as minutes from Monday 00:00
    on the writer's own clock (the end past midnight when the window is), kept so portable
    SQL can compare them; they never depend on a date, so they cannot drift.
    """

    weekday = models.PositiveSmallIntegerField()  # 0 = Monday
    start = models.TimeField()
    # 00:00 is midnight; an end at or before the start runs into the next day.
    end = models.TimeField()
    timezone = models.CharField(max_length=64)
    local_start = models.PositiveIntegerField(editable=False)
    local_end = models.PositiveIntegerField(editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.window} ({self.timezone})"

    @property
    def window(self) -> Window:
        return Window(self.weekday, self.start, self.end)

    @classmethod
    def written(cls, window: Window, timezone: str, **owner: object) -> WeeklySlot:
        """A row for one window as written in ``timezone`` (``owner``: its profile or
        opening)."""
        local_start, local_end = local_bounds(window.weekday, window.start, window.end)
        return cls(
            weekday=window.weekday,
            start=window.start,
            end=window.end,
            timezone=timezone,
            local_start=local_start,
            local_end=local_end,
            **owner,
        )
