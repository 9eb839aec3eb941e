"""Tasks reach a real worker through the broker (in CI), or run inline on a laptop."""

import time

import pytest
from django.conf import settings

from portal.celery import app

RESULTS: list[int] = []


@app.task(name="tests.core.record")
def record(value: int) -> None:
    RESULTS.append(value)


@pytest.mark.celery_worker
def test_a_task_sent_after_commit_is_run_by_the_worker(celery_worker):
    from django.db import transaction

    RESULTS.clear()
    with transaction.atomic():
        transaction.on_commit(lambda: record.delay(42))
        assert RESULTS == []  # nothing is sent before the transaction commits
    deadline = time.monotonic() + 20
    while not RESULTS and time.monotonic() < deadline:
        time.sleep(0.05)
    assert RESULTS == [42]
    assert (celery_worker is not None) == bool(settings.CELERY_BROKER_URL)


def test_a_rolled_back_transaction_sends_nothing(db):
    from django.db import transaction

    RESULTS.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        transaction.on_commit(lambda: record.delay(7))
        raise RuntimeError("the write failed")
    assert RESULTS == []


# Workers outlive outages, and work a killed worker held comes back within minutes. These
# hold for every task the portal registers, so a new task cannot quietly break them.


def portal_tasks():
    app.loader.import_default_modules()
    return [task for name, task in sorted(app.tasks.items()) if name.startswith("portal.")]


@pytest.mark.django_db  # importing every task module reads the database's features
def test_every_task_ends_well_within_the_visibility_timeout():
    """With acks_late a message stays unacknowledged while it waits in a worker's prefetch
    (behind at most one task: prefetch multiplier 1) and while it runs; the broker hands it
    to another worker once the visibility timeout passes. So two hard limits must fit in it,
    or a slow task would run twice at once."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    tasks = portal_tasks()
    assert len(tasks) >= 10
    for task in tasks:
        hard = task.time_limit or app.conf.task_time_limit
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        assert hard and soft and soft < hard, task.name
        assert 2 * hard < visibility, task.name
    # … and it is short enough that a killed worker's digest chunk is back within minutes.
    assert visibility <= 10 * 60


@pytest.mark.django_db
def test_no_task_waits_on_the_broker_with_a_countdown():
    """Waits between tries live in the outbox (portal/core/outbox.py): a countdown or an eta
    keeps a message unacknowledged on Redis for its whole wait, and one longer than the
    visibility timeout would be handed out twice."""
    import ast
    from pathlib import Path

    for task in portal_tasks():
        assert not getattr(task, "autoretry_for", ()), task.name
    offenders = []
    for path in Path(settings.BASE_DIR, "portal").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else ""
                keywords = {k.arg for k in node.keywords}
                if called == "retry" or keywords & {"countdown", "eta"}:
                    offenders.append(f"{path}:{node.lineno}")
    assert offenders == []


def test_a_worker_keeps_reconnecting_for_as_long_as_the_broker_is_away():
    """Celery's default gives up after 100 tries (about a quarter of an hour) and the worker
    exits; the portal's workers try forever. The worker's own reconnect call is driven here
    against a port nobody listens on, with the waits taken out."""
    from kombu import Connection

    assert app.conf.broker_connection_retry is True
    tries = []

    def refused(exc, interval):
        tries.append(exc)
        if len(tries) == 150:
            raise KeyboardInterrupt  # enough: well past Celery's default of 100

    connection = Connection("redis://127.0.0.1:1/0", connect_timeout=0.2)
    with pytest.raises(KeyboardInterrupt):
        connection.ensure_connection(
            refused,
            app.conf.broker_connection_max_retries,
            interval_start=0,
            interval_step=0,
            interval_max=0,
        )
    assert len(tries) == 150
