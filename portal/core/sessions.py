"""Sessions read from the cache and kept in the database (Django's cached_db), with the cached
copy kept for five minutes at most.

Signing out deletes the session from both. If the cache cannot be reached at that moment (its
errors become misses, portal/core/cache.py) but still holds its data when it comes back, the
cached copy would sign the person in again until the session's own expiry: weeks. Capping the
cached copy's lifetime bounds that to five minutes, for the price of reading a busy person's
session from the database once every five minutes.
"""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db
from django.core.cache.backends.base import DEFAULT_TIMEOUT

CACHED_FOR_SECONDS = 5 * 60


def _capped(timeout) -> int:
    if timeout is DEFAULT_TIMEOUT or timeout is None or timeout > CACHED_FOR_SECONDS:
        return CACHED_FOR_SECONDS
    return timeout


class _CappedCache:
    """The session cache, with every entry's lifetime cut to CACHED_FOR_SECONDS."""

    def __init__(self, cache) -> None:
        self._cache = cache

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._cache.set(key, value, _capped(timeout), version)

    async def aset(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return await self._cache.aset(key, value, _capped(timeout), version)

    def __contains__(self, key) -> bool:
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None) -> None:
        super().__init__(session_key)
        self._cache = _CappedCache(self._cache)
