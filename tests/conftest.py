"""Fixtures shared by every test."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.celery import app as celery_app
from tests.factories import UserFactory, give_second_factor


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _test_settings(settings, request, _media_root):
    # A private in-memory cache per test, so rate limits and cached counts never leak between
    # tests. Its own LOCATION makes it private: local-memory caches with the same LOCATION
    # share one store, and people's ids repeat from test to test.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        },
        # On, as in production, so every page test goes through its cached fragments.
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"fragments:{request.node.nodeid}",
        },
    }
    settings.SITE_URL = "https://modhall.test"
    # Uploaded pictures go to a scratch folder, never into the laptop's var/media.
    settings.MEDIA_ROOT = str(_media_root)
    # Anonymous whole pages are kept for a minute on purpose, so a test that writes and then
    # reads as a visitor would see the kept page; tests/core/test_page_cache.py switches it on.
    # (Fragments stay on: their keys change with every write, so no test can see them stale.)
    settings.ANONYMOUS_PAGE_CACHE = False
    # Fast hashing: the factories make many people; real hashing is tested by allauth itself.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run inline unless a test asks for a real worker (marker celery_worker) and a
    # broker is configured: in CI a task sent to the broker with no worker would never run.
    wants_worker = request.node.get_closest_marker("celery_worker") is not None
    eager = not (wants_worker and settings.CELERY_BROKER_URL)
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def process_env(django_db_setup) -> dict[str, str]:
    """The environment for a `manage.py` or Python child process: this one's, with DATABASE_URL
    naming the test database, which exists while the tests run. On PostgreSQL even
    `manage.py check` connects (Django asks the server's version to check the generated search
    columns), so a child given the configured name would fail where that database was never
    created, as in CI. SQLite's test database lives in memory, out of a child's reach, and its
    checks need no connection, so there the environment is left as it is."""
    env = dict(os.environ)
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
        env["DATABASE_URL"] = f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"
    return env


@pytest.fixture
def celery_worker(transactional_db, settings):
    """A real Celery worker on CELERY_BROKER_URL, in a thread of this process, consuming the
    default and email queues; tasks run inline instead when no broker is configured (a
    laptop without Redis). Use with ``@pytest.mark.celery_worker``; the worker reads the
    committed test data, hence transactional_db."""
    if not settings.CELERY_BROKER_URL:
        yield None
        return
    from celery.contrib.testing.worker import start_worker

    with celery_app.connection_for_write() as connection:
        # Leftovers from an interrupted earlier run must not reach this test's worker.
        for queue in ("default", "email"):
            connection.default_channel.queue_purge(queue)
    with start_worker(
        celery_app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        queues=["default", "email"],
        loglevel="WARNING",
        shutdown_timeout=30,
    ) as worker:
        yield worker


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True)  # with a second factor, as staff tools require


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser (behind ``admin_client``), with the second factor the admin
    requires."""
    return give_second_factor(admin_user)


class QueryCounter:
    """Counts SQL queries; on a wrong count the failure message lists every statement."""

    def __init__(self, expected: int):
        self.expected = expected
        self.context = CaptureQueriesContext(connection)

    def __enter__(self):
        self.context.__enter__()
        return self

    def __exit__(self, *exc):
        self.context.__exit__(*exc)
        if exc[0] is None:
            executed = len(self.context.captured_queries)
            if executed != self.expected:
                statements = "\n".join(
                    f"{i}. {q['sql']}" for i, q in enumerate(self.context.captured_queries, 1)
                )
                raise AssertionError(
                    f"{executed} queries executed, {self.expected} expected:\n{statements}"
                )


@pytest.fixture
def assert_queries():
    """``with assert_queries(5): client.get(url)`` fails, listing the SQL, on any other count."""
    return QueryCounter
