"""A Redis cache that degrades to a miss when Redis is unreachable.

The cache holds nothing that cannot be recomputed (rate-limit counters, the digest queue
lock, cached fragments), so during a Redis outage pages keep serving: reads miss, writes are
dropped, and each failure is logged. Short socket timeouts keep an unreachable Redis from
holding a request for long.
"""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)

# What each operation returns when Redis cannot answer.
_FALLBACKS = {
    "add": False,
    "get": None,
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "incr": None,
    "set_many": [],
    "delete_many": None,
    "clear": None,
}


def _degrade(name: str, method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _FAILURES as exc:
            logger.warning("cache %s failed, Redis unreachable: %s", name, exc)
            if name == "get":
                return kwargs.get("default", args[1] if len(args) > 1 else None)
            if name == "incr":
                raise ValueError("cache unavailable") from exc
            return _FALLBACKS[name]

    return wrapper


class _SharedClients(RedisCacheClient):
    """Django builds a new redis.Redis object for every cache call: about 500 Python calls
    each, which on a signed-in page (session, header count, cached pieces) cost more than the
    page's SQL. One client per connection pool is enough: a Redis client is safe to share
    between threads, since each command borrows a connection from the pool and returns it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params}
        params["OPTIONS"] = {
            "socket_connect_timeout": 0.5,
            "socket_timeout": 0.5,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, params)
        self._class = _SharedClients


for _name in _FALLBACKS:
    setattr(ResilientRedisCache, _name, _degrade(_name, getattr(RedisCache, _name)))


def forget(*keys: str) -> None:
    """Delete cached entries whose source rows this transaction changed: at once, and again
    after commit, so a request that read the old rows while the change was uncommitted
    cannot leave them cached."""
    if not keys:
        return
    from django.core.cache import cache
    from django.db import transaction

    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
