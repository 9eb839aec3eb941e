"""Fault tests on services of their own: a real redis-server on a free port, which a test may
hang (SIGSTOP) or kill, never the machine's Redis; the quick cases of bench/faults.py."""

from __future__ import annotations

import shutil

import pytest

from bench.own_services import OwnRedis
from portal.core import cache as resilient


@pytest.fixture
def own_redis(tmp_path):
    if not shutil.which("redis-server") or not shutil.which("redis-cli"):
        pytest.skip("redis-server is not installed: the fault tests start a Redis of their own")
    redis = OwnRedis(tmp_path)
    redis.start(fresh=True)
    yield redis
    redis.stop()


@pytest.fixture
def redis_cache(settings, own_redis):
    """The default cache (rate limits, sessions, anonymous pages) on our own Redis, as in
    production; each test starts with no pause left by another."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "portal.core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{own_redis.port}/1",
        },
    }
    resilient._paused_until.clear()
    yield own_redis
    resilient._paused_until.clear()
