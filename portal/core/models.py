"""Core rows: the task outbox, and the weekly slot availability and schedules share."""

from __future__ import annotations

from django.db import models

from portal.core.schedule import Window
from portal.core.weeks import local_bounds


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
