"""A Redis cache that keeps working, in each process's own memory, while Redis cannot answer.

The cache holds nothing that cannot be rebuilt (rate-limit counters, the digest queue lock,
cached fragments, session copies), so during a Redis outage pages keep serving. What the
cache is asked meanwhile is answered by a small in-memory cache of the process's own, not by
a miss: a rate limit that finds "no cache" must not refuse everyone (sign-in, sign-up and
password reset count their attempts here), and per-process counting is a fair limit for a
few minutes. After one failure the process stops asking Redis for ``PAUSE_SECONDS``, so a
Redis that hangs costs one short timeout, not one per cache call on every page; then it
tries again. Each failure is logged.

A delete that could not reach Redis (a sign-out's session copy, a renamed role's cached list)
would leave an old entry there for when it answers again, with or without the data it held
before: so the process remembers the keys it could not delete and deletes them as soon as
Redis answers again, before anything else is asked; and it empties its own memory then, so a
later outage starts from nothing rather than from copies that have gone stale meanwhile.
(Cached fragments are keyed on versions kept in the database and need none of this.)
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)
# How long a process answers from its own memory after Redis failed, before it asks again.
PAUSE_SECONDS = 10
# The cache operations Django's cache API offers, each answered by the fallback in a pause.
_OPERATIONS = (
    "add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many",
    "delete_many", "clear",
)  # fmt: skip
# Until when each Redis server is left alone (monotonic clock), by fallback name.
_paused_until: dict[str, float] = {}


# Keys (with their cache version) each process could not delete in Redis, by fallback name.
_undeleted: dict[str, set[tuple[str, int | None]]] = {}


def _deleted_keys(name: str, args: tuple, kwargs: dict) -> list[tuple[str, int | None]]:
    """The keys a delete or delete_many call names, with the version it asked for."""
    version = kwargs.get("version", args[1] if len(args) > 1 else None)
    keys = [args[0]] if name == "delete" else list(args[0])
    return [(key, version) for key in keys]


def _degrade(name: str, method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if not self.is_paused():
            try:
                if self.fallback_name in _undeleted:
                    self._catch_up()
                return method(self, *args, **kwargs)
            except _FAILURES as exc:
                logger.warning(
                    "cache %s failed, Redis unreachable; using this process's memory for %s s: %s",
                    name, PAUSE_SECONDS, exc,
                )  # fmt: skip
                _paused_until[self.fallback_name] = time.monotonic() + PAUSE_SECONDS
        if name in ("delete", "delete_many"):
            _undeleted.setdefault(self.fallback_name, set()).update(
                _deleted_keys(name, args, kwargs)
            )
        return getattr(self.fallback, name)(*args, **kwargs)

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
        # Short: a local Redis answers in well under a millisecond, and a request that waits
        # longer is better served from the process's memory (the pause above).
        params["OPTIONS"] = {
            "socket_connect_timeout": 0.2,
            "socket_timeout": 0.2,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, params)
        self._class = _SharedClients
        # Django makes one cache object per thread: the fallback's store (local-memory caches
        # of one name share it) and the pause are the process's, shared by its threads.
        self.fallback_name = f"resilient-fallback:{server}"
        self.fallback = LocMemCache(self.fallback_name, {"TIMEOUT": self.default_timeout})

    def is_paused(self) -> bool:
        """Whether this process is leaving Redis alone after a failure."""
        return time.monotonic() < _paused_until.get(self.fallback_name, 0.0)

    def _catch_up(self) -> None:
        """Redis answers again: delete there what could not be deleted while it was away
        (raising, and keeping the list, if it still cannot), then forget the copies this
        process kept meanwhile."""
        pending = _undeleted.pop(self.fallback_name, set())
        by_version: dict[int | None, list[str]] = {}
        for key, version in pending:
            by_version.setdefault(version, []).append(key)
        try:
            for version, keys in by_version.items():
                RedisCache.delete_many(self, keys, version=version)
        except _FAILURES:
            _undeleted.setdefault(self.fallback_name, set()).update(pending)
            raise
        self.fallback.clear()


for _name in _OPERATIONS:
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
