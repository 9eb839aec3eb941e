"""Twitch tasks: every call to Twitch runs here, never in a page's request, so a slow or
absent Twitch never slows or breaks a page; the page shows the last known result and its date.

A task takes the grant's id and returns early when the grant is gone (done, replaced or
removed). While Twitch is slow, down or rate-limited the task waits in the outbox for its next
try, as emails do (portal/core/outbox.py), so the wait works the same inline on a laptop and
on a worker: until the reset time Twitch gave with its 429, or with exponential backoff.
After the last try the failure is recorded and the grant forgotten.
"""

from __future__ import annotations

from celery import Task, shared_task

from portal.core.outbox import outbox_wait
from portal.twitch import services
from portal.twitch.jobs import TryLater

# Six tries over about ten minutes (10 s, 20 s, 40 s, 80 s, 160 s apart; the outbox is flushed
# every minute): long enough to ride out a short outage, short enough that the person still
# remembers asking.
MAX_TRIES = 6


def backoff(tries_made: int) -> int:
    return min(10 * 2 ** (tries_made - 1), 300)


def run_with_tries(task: Task, job, *args: int) -> str:
    """Run ``job(*args, last_try=…)``; a TryLater puts the task in the outbox for its next
    try."""
    tries_made = (task.request.retries or 0) + 1
    try:
        return job(*args, last_try=tries_made >= MAX_TRIES)
    except TryLater as later:
        wait = later.seconds if later.seconds is not None else backoff(tries_made)
        outbox_wait(
            task_name=task.name,
            args=list(args),
            retries=tries_made,
            wait_seconds=wait,
            error=str(later),
        )
        return "later"


def _check(grant_id: int, *, last_try: bool) -> str:
    return services.moderation_history_check(grant_id=grant_id, last_try=last_try)


@shared_task(bind=True, acks_late=True, name="portal.twitch.check_moderation_history")
def check_moderation_history(self, grant_id: int) -> str:
    return run_with_tries(self, _check, grant_id)
