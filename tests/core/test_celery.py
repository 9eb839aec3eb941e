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
