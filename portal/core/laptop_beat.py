"""The outbox's minute on a laptop, where no beat runs.

In production exactly one `celery beat` sends ``flush_outbox`` every minute, and that is how a
task waiting in the outbox for its next try gets it (a Twitch check while Twitch is down or
rate-limiting, an email a mail server refused). On a laptop (`make run`: no broker, tasks run
inline, no beat) nothing would ever send it: the Twitch page said "Modhall is asking Twitch
now" for good and the consent's code stayed in its grant. So the development server flushes
the outbox itself, once a minute, on a thread of its own; what it sends runs inline there, as
every task does on a laptop.

Only the outbox: the other beat jobs (digests, reminders) are not needed to try a flow, and a
laptop that wants them runs a broker with `make worker` and `make beat`.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

from django.conf import settings
from django.db import connections

from portal.core.outbox import outbox_flush

logger = logging.getLogger(__name__)

# Seconds between flushes: the beat schedule's "flush-outbox" (portal/celery.py).
INTERVAL = 60


def wanted(argv: list[str] | None = None, environ: dict | None = None) -> bool:
    """Whether this process is the development server's serving process on a laptop: tasks
    inline, and the process runserver serves from (its autoreloader's child, or the only one
    with --noreload), so the thread runs once, not also in the watching parent."""
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    if not settings.CELERY_TASK_ALWAYS_EAGER or argv[1:2] != ["runserver"]:
        return False
    return environ.get("RUN_MAIN") == "true" or "--noreload" in argv


def load_tasks() -> None:
    """Register every app's tasks. A worker imports them all when it starts; a web process
    only imports a tasks module when a service first enqueues from it, so the outbox could
    name a task this process has never seen (a check left waiting before a restart)."""
    from portal.celery import app

    app.loader.import_default_modules()


def flush_once() -> int:
    """Send what is due; a failure is logged and tried again at the next minute."""
    try:
        load_tasks()
        sent, _ = outbox_flush()
        return sent
    except Exception:
        logger.exception("the laptop's outbox flush failed")
        return 0
    finally:
        # This thread's own connections: nothing else closes them.
        connections.close_all()


def start(interval: float = INTERVAL) -> threading.Event:
    """Flush every ``interval`` seconds on a daemon thread; set the returned event to stop."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            flush_once()

    threading.Thread(target=loop, name="laptop-outbox", daemon=True).start()
    return stop
