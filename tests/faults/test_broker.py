"""A write while the broker's Redis hangs: the task the write enqueues must be kept in the
outbox at once, not hold the person's request (issue 14, item 14: "cache and broker
connections get short connect and read timeouts")."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from portal.celery import app as celery_app
from portal.core.models import OutboxTask
from portal.core.outbox import enqueue_now
from portal.core.tasks import flush_outbox

# What a request may wait for the broker before the task goes to the outbox instead.
WAITS_AT_MOST = 3.0


@pytest.fixture
def broker_on_own_redis(own_redis, monkeypatch):
    """Celery sends to our own Redis (never the machine's), with fresh connection pools."""
    previous = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    own_url = f"redis://127.0.0.1:{own_redis.port}/0"
    # Celery reads CELERY_BROKER_URL from the environment before its configuration (CI sets
    # it), so the address is changed in both places.
    monkeypatch.setenv("CELERY_BROKER_URL", own_url)
    celery_app.conf.broker_url = own_url
    celery_app.conf.task_always_eager = False
    celery_app._after_fork()  # forget the pools of the previous broker
    yield own_redis
    own_redis.resume()
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous
    celery_app._after_fork()


@pytest.mark.django_db(transaction=True)
def test_a_task_sent_while_the_broker_hangs_waits_in_the_outbox_at_once(broker_on_own_redis):
    enqueue_now(flush_outbox)  # the broker answers: connections are made and pooled
    broker_on_own_redis.hang()
    outcome = {}

    def write():
        try:
            outcome["sent"] = enqueue_now(flush_outbox)
        finally:
            connection.close()

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    writer.join(WAITS_AT_MOST)
    answered = not writer.is_alive()
    broker_on_own_redis.resume()  # a stuck publish completes, so nothing is left behind
    writer.join(30)
    assert answered, f"the enqueue still waited for the hung broker after {WAITS_AT_MOST} s"
    assert outcome["sent"] is False
    assert OutboxTask.objects.filter(task_name=flush_outbox.name).count() == 1
