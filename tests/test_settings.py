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


# What a laptop would not have set: `make run` works on the embedded defaults without them.
SERVICE_URLS = ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "EMAIL_URL")


def run_manage(
    *args: str, env: dict[str, str], inherited: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`manage.py` in a child process on `env` over `inherited` (this process's environment
    unless given), without the Django and pytest settings the test run itself set."""
    inherited = os.environ if inherited is None else inherited
    base = {k: v for k, v in inherited.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
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


def test_deploy_check_passes_with_production_environment(process_env):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, inherited=process_env
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_laptop_defaults_need_no_environment():
    laptop = {k: v for k, v in os.environ.items() if k not in SERVICE_URLS}
    result = run_manage("check", env={}, inherited=laptop)
    assert result.returncode == 0, result.stderr


def test_deploy_check_insists_on_a_real_mail_server(process_env):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_URL"}
    inherited = {k: v for k, v in process_env.items() if k != "EMAIL_URL"}
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=env, inherited=inherited
    )
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
