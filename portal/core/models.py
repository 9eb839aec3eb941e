"""Core rows: the task outbox."""

from __future__ import annotations

from django.db import models


class OutboxTask(models.Model):
    """A task that could not reach the broker when it was enqueued.

    Pages and posting must keep working while Redis is down; the emails they trigger wait
    here and are sent by ``flush_outbox`` (a beat job) once the broker is back.
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"
