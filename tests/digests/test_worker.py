"""Digests through real Celery workers on the broker, including one killed mid-chunk.

Runs only with CELERY_BROKER_URL and PostgreSQL (as in CI): the workers are separate
processes that must reach the test database and the broker.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app
from portal.digests.models import Digest
from portal.digests.services import digests_queue_due
from tests.digests.helpers import changed_lesson, person

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL or connection.vendor != "postgresql",
        reason="needs CELERY_BROKER_URL and PostgreSQL (CI has both)",
    ),
]


def start_worker(process_env: dict[str, str], mail_dir: Path, name: str) -> subprocess.Popen:
    env = {
        **process_env,
        "DJANGO_SETTINGS_MODULE": "tests.digests.worker_settings",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DIGEST_TEST_MAIL_DIR": str(mail_dir),
        "SITE_URL": "https://modhall.test",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", "default,email",
         "--pool", "solo", "--concurrency", "1", "-n", f"{name}@%h", "--without-mingle",
         "--without-gossip", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def recipients(mail_dir: Path) -> list[str]:
    return sorted(message_from_bytes(path.read_bytes())["To"] for path in mail_dir.glob("*.eml"))


def wait_for(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def mail_dir(tmp_path):
    with celery_app.connection_for_write() as conn:
        for queue in ("default", "email"):
            conn.default_channel.queue_purge(queue)
    return tmp_path


def due_people(count: int) -> list:
    people = [person(now=NOW - timedelta(days=1)) for _ in range(count)]
    changed_lesson(role_slug="chat-enforcer", changed_at=NOW - timedelta(hours=5))
    return people


def test_a_worker_sends_the_chunk_the_beat_job_queued(mail_dir, process_env):
    people = due_people(3)
    worker = start_worker(process_env, mail_dir, "digest-a")
    try:
        assert digests_queue_due(now=NOW) == 3
        wait_for(lambda: len(recipients(mail_dir)) == 3, seconds=60, what="three digests")
    finally:
        worker.terminate()
        worker.wait(30)
    assert recipients(mail_dir) == sorted(p.email for p in people)


def test_a_worker_killed_mid_chunk_leaves_exactly_one_digest_per_person(mail_dir, process_env):
    people = due_people(8)
    first = start_worker(process_env, mail_dir, "digest-first")
    try:
        assert digests_queue_due(now=NOW) == 8

        # Killed while it waits on the mail server for the next one, as a crash mid-send
        # would find it: every email written so far is marked sent. (Killed in the
        # milliseconds between the server accepting one and its mark committing, a
        # redelivery sends that one again: the price of never losing one,
        # digests_send_chunk's docstring.)
        def mid_send() -> bool:
            sent = Digest.objects.filter(status=Digest.Status.SENT).count()
            return sent >= 2 and len(recipients(mail_dir)) == sent

        wait_for(mid_send, seconds=60, what="the first digests, sent and marked")
    finally:
        first.send_signal(signal.SIGKILL)  # no goodbye: the chunk's message stays unacknowledged
        first.wait(30)
    sent_before_kill = len(recipients(mail_dir))
    assert sent_before_kill < 8, "the worker finished before it could be killed"

    second = start_worker(process_env, mail_dir, "digest-second")
    try:
        wait_for(
            lambda: Digest.objects.filter(status=Digest.Status.SENT).count() == 8,
            seconds=90,
            what="the redelivered chunk to finish",
        )
    finally:
        second.terminate()
        second.wait(30)
    assert recipients(mail_dir) == sorted(p.email for p in people)  # each exactly once
