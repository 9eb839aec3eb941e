"""Production settings: a loud failure without a secret, and a clean deploy check with one."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-production-secret-key-that-is-long-and-random-" + "x" * 30,
    "DJANGO_ALLOWED_HOSTS": "modhall.example",
    "SITE_URL": "https://modhall.example",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.modhall.example:587",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_deploy_check_passes_with_production_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_laptop_defaults_need_no_environment():
    result = run_manage("check", env={})
    assert result.returncode == 0, result.stderr


def test_deploy_check_insists_on_a_real_mail_server():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_URL"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "development-only email backend" in result.stdout + result.stderr


def test_a_redis_cache_is_the_one_that_survives_an_outage():
    result = run_manage(
        "shell",
        "-c",
        "from django.core.cache import caches; print(type(caches['default']).__name__)",
        env={"CACHE_URL": "redis://127.0.0.1:6379/9"},
    )
    assert result.stdout.strip().splitlines()[-1] == "ResilientRedisCache", result.stderr


def test_a_signed_in_person_stays_signed_in_when_the_cache_is_emptied(client, django_user_model):
    """Sessions are read from the cache but kept in the database: a cache that was flushed
    or restarted costs a query, never a sign-out."""
    from django.core.cache import cache

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
    from datetime import timedelta

    import time_machine
    from django.urls import reverse
    from django.utils import timezone

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
