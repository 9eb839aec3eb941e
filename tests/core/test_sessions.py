"""Sessions (portal/core/sessions.py): read from the cache, kept in the database, and the
cached copy short-lived enough that a sign-out the cache missed does not last."""

from datetime import timedelta

import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone


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
