"""Fixtures shared by every test."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.celery import app as celery_app
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, request):
    # A private in-memory cache per test, so rate limits never leak between tests.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SITE_URL = "https://modhall.test"
    # Tasks run inline unless a test asks for a real worker (marker celery_worker): in CI a
    # broker is configured, and a task sent there with no worker would never run.
    eager = request.node.get_closest_marker("celery_worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True)


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
