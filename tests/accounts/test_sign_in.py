"""Signing in: nobody can lock a named person out, and an unreachable or hung Redis never
locks anybody out or stalls a page."""

from __future__ import annotations

import socket
import threading

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal.core import cache as resilient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-passphrase-2026"


@pytest.fixture
def moderator(db):
    return UserFactory(username="night_owl_mod", password=PASSWORD)


def sign_in(client, *, login: str, password: str, address: str):
    return client.post(
        reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=address
    )


def test_a_stranger_typing_wrong_passwords_cannot_lock_the_person_out(client, moderator):
    for _ in range(8):
        sign_in(client, login="night_owl_mod", password="guess", address="203.0.113.9")
    refused = sign_in(client, login="night_owl_mod", password=PASSWORD, address="203.0.113.9")
    assert "too many" in refused.content.decode().lower()

    response = sign_in(client, login="night_owl_mod", password=PASSWORD, address="198.51.100.4")
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(moderator.pk)


@pytest.fixture
def redis_away(settings):
    """The default cache on a Redis that refuses every connection."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "portal.core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    resilient._paused_until.clear()
    yield
    resilient._paused_until.clear()


def test_a_correct_sign_in_works_while_redis_is_away(client, moderator, redis_away):
    response = sign_in(client, login="night_owl_mod", password=PASSWORD, address="198.51.100.4")
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_sign_up_and_password_reset_still_answer_while_redis_is_away(client, redis_away):
    assert client.get(reverse("account_signup")).status_code == 200
    response = client.post(reverse("account_reset_password"), {"email": "someone@example.com"})
    assert response.status_code == 302


def test_limits_still_count_in_the_process_while_redis_is_away(client, moderator, redis_away):
    for _ in range(8):
        sign_in(client, login="night_owl_mod", password="guess", address="203.0.113.9")
    refused = sign_in(client, login="night_owl_mod", password=PASSWORD, address="203.0.113.9")
    assert "too many" in refused.content.decode().lower()


class HungRedis:
    """A server that accepts connections and never answers: a Redis that hangs."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(50)
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self.held = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            self.held.append(connection)

    def close(self):
        self.listener.close()
        for connection in self.held:
            connection.close()


def test_after_one_timeout_a_hung_redis_is_not_asked_again_for_a_while(settings):
    hung = HungRedis()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "portal.core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{hung.port}/0",
        },
    }
    resilient._paused_until.clear()
    try:
        cache.set("greeting", "hello")  # times out once, then the process's memory answers
        asked = hung.accepted
        for _ in range(50):
            cache.get("greeting")
        assert cache.get("greeting") == "hello"
        assert hung.accepted == asked == 1
    finally:
        hung.close()
        resilient._paused_until.clear()


def test_a_megabyte_typed_as_a_login_is_a_wrong_login_not_an_error(client, moderator):
    response = client.post("/accounts/login/", {"login": "mod " * 250_000, "password": PASSWORD})
    assert response.status_code == 200
    assert b"not correct" in response.content
    # The backend still signs in whoever types their own login.
    assert client.post("/accounts/login/", {"login": "night_owl_mod", "password": PASSWORD})[
        "Location"
    ]
