"""The laptop's outbox minute (portal/core/laptop_beat.py) runs in the development server's
serving process only, and only where tasks run inline; what it does for a waiting Twitch check
is in tests/twitch/test_history.py."""

from __future__ import annotations

import pytest

from portal.core import laptop_beat


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["manage.py", "runserver", "127.0.0.1:8000"], {"RUN_MAIN": "true"}, True),
        (["manage.py", "runserver", "--noreload"], {}, True),
        # The autoreloader's watching parent: the serving child starts it, not this one.
        (["manage.py", "runserver"], {}, False),
        (["manage.py", "migrate"], {"RUN_MAIN": "true"}, False),
        (["celery", "-A", "portal", "worker"], {}, False),
    ],
)
def test_only_the_development_server_serving_inline_flushes(argv, environ, expected, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the laptop: no CELERY_BROKER_URL
    assert laptop_beat.wanted(argv, environ) is expected


def test_with_a_broker_the_real_beat_flushes_not_the_server(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert not laptop_beat.wanted(["manage.py", "runserver", "--noreload"], {})


def test_a_fresh_server_process_knows_the_tasks_the_outbox_names(process_env):
    """A check waiting in the outbox when the server restarted names a task no request of the
    new process has imported yet; the flush must still find it (it did not, on a laptop)."""
    import subprocess
    import sys

    script = (
        "import django; django.setup()\n"
        "from portal.celery import app\n"
        "from portal.core import laptop_beat\n"
        "laptop_beat.load_tasks()\n"
        "print(sorted(name for name in app.tasks if name.startswith('portal.')))\n"
    )
    answer = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**process_env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
    )
    assert answer.returncode == 0, answer.stderr
    assert "'portal.twitch.check_moderation_history'" in answer.stdout
    assert "'portal.teams.import_twitch_team'" in answer.stdout
