"""A real Redis, hung or killed under the portal: people can still sign in and sign up,
pages stay fast, and /healthz answers at once and names the cache (issue 14, item 14)."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from portal.core import cache as resilient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-passphrase-2026"
# What a hung Redis may add to one request: one short timeout (the issue: "well under half a
# second in all"). Compared with the same request while Redis answers, so a slow CI machine
# does not make the test fail.
HUNG_COSTS_AT_MOST = 0.5


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def sign_in(client, login: str):
    return client.post(reverse("account_login"), {"login": login, "password": PASSWORD})


def sign_up(client, name: str):
    return client.post(
        reverse("account_signup"),
        {"email": f"{name}@example.com", "username": name, "password1": PASSWORD,
         "password2": PASSWORD},
    )  # fmt: skip


@pytest.fixture
def people(db):
    return [UserFactory(username=f"night_owl_{n}", password=PASSWORD) for n in range(3)]


def test_a_hung_redis_costs_sign_in_sign_up_and_a_page_one_short_timeout(redis_cache, people):
    up_sign_in, up_seconds = timed(lambda: sign_in(Client(), "night_owl_0"))
    up_sign_up, up_signup_seconds = timed(lambda: sign_up(Client(), "fresh_mod_0"))
    assert up_sign_in.status_code == up_sign_up.status_code == 302

    redis_cache.hang()
    reader = Client()
    response, seconds = timed(lambda: sign_in(reader, "night_owl_1"))
    assert response.status_code == 302, "a correct sign-in must not be refused"
    assert seconds - up_seconds < HUNG_COSTS_AT_MOST
    response, seconds = timed(lambda: sign_up(Client(), "fresh_mod_1"))
    assert response.status_code == 302
    assert seconds - up_signup_seconds < HUNG_COSTS_AT_MOST
    page, seconds = timed(lambda: reader.get("/"))
    assert page.status_code == 200
    assert "night_owl_1" in page.content.decode()  # still signed in
    assert seconds < HUNG_COSTS_AT_MOST


def test_healthz_answers_within_a_second_and_names_a_hung_cache(client, redis_cache):
    assert client.get("/healthz").json()["cache"] == "ok"
    redis_cache.hang()
    for _ in range(2):  # the first asks Redis and times out; the second finds the pause
        response, seconds = timed(lambda: client.get("/healthz"))
        assert seconds < 1.0
        assert response.status_code == 200
        assert response.json()["cache"] in {"unreachable", "no answer within 0.8 s"}
        assert response.json()["database"] is True


def test_a_killed_redis_refuses_nobody_and_is_used_again_once_back(
    redis_cache, people, monkeypatch
):
    monkeypatch.setattr(resilient, "PAUSE_SECONDS", 1)
    redis_cache.kill()
    response, seconds = timed(lambda: sign_in(Client(), "night_owl_0"))
    assert response.status_code == 302
    assert seconds < 2
    assert sign_up(Client(), "fresh_mod_2").status_code == 302
    assert Client().get("/healthz").json()["cache"] == "unreachable"

    redis_cache.start(fresh=True)
    time.sleep(1.1)  # the pause after the failure runs out
    assert sign_in(Client(), "night_owl_2").status_code == 302
    assert Client().get("/healthz").json()["cache"] == "ok"
    assert redis_cache.keys(1) > 0, "the sign-in's session and counters are in Redis again"


def test_a_correct_sign_in_is_not_refused_once_a_hung_redis_resumes(
    redis_cache, people, monkeypatch
):
    """Found by bench/faults.py: allauth's limiter lock, sent to the hung Redis, is set when
    Redis resumes; its delete, made meanwhile in the process's memory, is made in Redis once
    it answers (portal/core/cache.py), so sign-in is not refused for the lock's 10 s."""
    monkeypatch.setattr(resilient, "PAUSE_SECONDS", 0.5)
    redis_cache.hang()
    assert sign_in(Client(), "night_owl_0").status_code == 302  # from the process's memory
    redis_cache.resume()
    time.sleep(0.6)  # the process asks Redis again
    assert sign_in(Client(), "night_owl_1").status_code == 302
