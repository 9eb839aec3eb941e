"""Sessions (portal/core/sessions.py): read from the cache, kept in the database, and a
sign-out the cache missed never lasts: deleted when Redis answers again, and the cached copy
short-lived in any case."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCacheClient
from django.urls import reverse
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from portal.core import cache as resilient


def test_a_signed_in_person_stays_signed_in_when_the_cache_is_emptied(client, django_user_model):
    """Sessions are read from the cache but kept in the database: a cache that was flushed
    or restarted costs a query, never a sign-out."""
    user = django_user_model.objects.create_user("flushed", "flushed@example.com", "pw-123456789")
    client.force_login(user)
    assert client.get("/").context["user"] == user
    cache.clear()
    assert client.get("/").context["user"] == user


def test_a_sign_out_the_cache_missed_stops_working_within_five_minutes(
    client, django_user_model, monkeypatch
):
    """If the cache cannot be reached when someone signs out, its copy of the session is not
    deleted; it is kept five minutes at most, so the old cookie stops working by then."""
    user = django_user_model.objects.create_user("leaving", "leaving@example.com", "pw-12345678")
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    # The cache drops the delete, as portal.core.cache.ResilientRedisCache does in an outage.
    monkeypatch.setattr(
        "django.core.cache.backends.locmem.LocMemCache.delete", lambda *a, **k: False
    )
    client.post(reverse("account_logout"))
    monkeypatch.undo()
    client.cookies["sessionid"] = cookie
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        assert not client.get("/").context["user"].is_authenticated


@pytest.fixture
def real_redis_cache(settings):
    """The default cache on the machine's Redis (a database no one else uses), as in
    production; skipped where no Redis runs."""
    import redis

    location = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(location, socket_connect_timeout=0.2).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "portal.core.cache.ResilientRedisCache", "LOCATION": location},
    }
    resilient._paused_until.clear()
    resilient._undeleted.clear()
    yield redis.Redis.from_url(location)
    resilient._paused_until.clear()
    resilient._undeleted.clear()


def test_a_sign_out_made_while_redis_was_away_holds_when_it_comes_back(
    client, django_user_model, real_redis_cache, monkeypatch
):
    """Redis keeps its copy of the session through an outage (hung, or restarted with its
    data); the sign-out made meanwhile must still hold once it answers again."""
    user = django_user_model.objects.create_user("outage", "outage@example.com", "pw-123456789")
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    assert client.get("/").context["user"] == user
    assert real_redis_cache.dbsize() > 0  # the session's copy is in Redis

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Redis is away")

    monkeypatch.setattr(RedisCacheClient, "delete", unreachable)
    monkeypatch.setattr(RedisCacheClient, "delete_many", unreachable)
    client.post(reverse("account_logout"))
    monkeypatch.undo()
    resilient._paused_until.clear()  # the pause is over: Redis answers again

    client.cookies["sessionid"] = cookie
    assert not client.get("/").context["user"].is_authenticated
