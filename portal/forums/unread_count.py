"""The header's count of unread notifications, kept in the cache.

Every signed-in page shows the count, and counting costs a query with two joins (a
notification about a post taken down since no longer counts): about a third of what an empty
signed-in page costs. So the count is cached per person, and forgotten whenever it can change:

- ``forget(user_ids)``: notifications were created for these people, or they read some;
- ``visibility_changed()``: a post or topic was taken down, restored or approved, which can
  change anyone's count; it moves a generation number on instead of finding every recipient.

Both act at once and again after the transaction commits, so a request that counted while the
change was uncommitted cannot leave the old number behind. The lifetime bounds anything the
hooks miss (a person deleted with their notifications).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from portal.accounts.models import User
from portal.core.cache import forget as forget_cached

LIFETIME_SECONDS = 600
VISIBILITY_KEY = "forums:unread:visibility"


def _key(user_id: int) -> str:
    return f"forums:unread:{user_id}"


def count(user: User) -> int:
    from portal.forums.models import Notification

    key = _key(user.pk)
    found = cache.get_many([key, VISIBILITY_KEY])
    generation = found.get(VISIBILITY_KEY, 0)
    cached = found.get(key)
    if cached is not None and cached[1] == generation:
        return cached[0]
    number = Notification.objects.for_reader(user).unread().count()
    cache.set(key, (number, generation), LIFETIME_SECONDS)
    return number


def forget(user_ids: Iterable[int]) -> None:
    forget_cached(*{_key(pk) for pk in user_ids})


def visibility_changed() -> None:
    _move_on()
    transaction.on_commit(_move_on)


def _move_on() -> None:
    # The time rather than a counter: a counter lost with the cache would start again and
    # could match a count cached under its old value.
    cache.set(VISIBILITY_KEY, time.time_ns(), None)
