"""A Redis cache that degrades to a miss when Redis is unreachable.

The cache holds nothing that cannot be recomputed (rate-limit counters, the digest queue
lock, cached fragments), so during a Redis outage pages keep serving: reads miss, writes are
dropped, and each failure is logged. Short socket timeouts keep an unreachable Redis from
holding a request for long.
"""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache
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


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params}
        params["OPTIONS"] = {
            "socket_connect_timeout": 0.5,
            "socket_timeout": 0.5,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, params)


for _name in _FALLBACKS:
    setattr(ResilientRedisCache, _name, _degrade(_name, getattr(RedisCache, _name)))
