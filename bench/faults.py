"""Fault tests: the portal keeps working when a part fails, and loses nothing.

    python bench/faults.py

Runs the portal as in production on this machine (gunicorn, a Celery worker and beat on
Redis, PostgreSQL when DATABASE_URL is set) and then, one at a time:

1. **Redis stopped**: pages still serve, a forum reply still succeeds (its notification
   email waits in the outbox), and once Redis is back the email goes out.
2. **PostgreSQL restarted**: the next request succeeds without restarting the app.
3. **A worker killed mid-digest**: covered by tests/digests/test_worker.py, which CI runs
   against real worker processes (after restart every due person has exactly one digest).

It stops and restarts the machine's own Redis and PostgreSQL, so run it on a development
machine, never next to anything else that needs them. Results go to bench/FAULTS.md.
"""

from __future__ import annotations

import glob
import http.client
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import PORT, PYTHON, ROOT, bench_env, machine, prepare
from bench.serve import start_server

REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
    "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip


def call(method: str, path: str, cookie: str = "", form: dict | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    headers = {"Cookie": cookie}
    body = None
    if form is not None:
        csrf = secrets.token_hex(16)
        headers["Cookie"] = f"{cookie}; csrftoken={csrf}"
        headers["X-CSRFToken"] = csrf
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode(form)
    try:
        conn.request(method, path, body=body, headers=headers)
        return conn.getresponse().status
    except OSError:
        return 599
    finally:
        conn.close()


def django(env: dict, code: str) -> dict:
    script = "import django, json; django.setup()\n" + code
    out = subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def redis_up() -> bool:
    return subprocess.run(["redis-cli", "ping"], capture_output=True).returncode == 0


def main() -> None:
    mail_dir = Path(tempfile.mkdtemp(prefix="modhall-faults-mail-"))
    env = bench_env("small")
    env.update(
        {
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/7",
            "CACHE_URL": "redis://127.0.0.1:6379/9",
            "EMAIL_URL": "filemail://",
            "EMAIL_FILE_PATH": str(mail_dir),
        }
    )
    prepare("small", env)
    facts = django(
        env,
        """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from portal.accounts.models import User
from portal.digests.models import EmailPreferences
from portal.forums.models import Status, Topic
from datetime import timedelta
from django.utils import timezone
# The replier: an ordinary person with no recent posts (so no daily limit refuses the reply),
# never a demo account: demo_mod is the benchmark's reader, and a reply of theirs in a topic
# would make that topic's page theirs alone in every later benchmark on this database.
u = (User.objects.filter(is_active=True, forum_suspensions__isnull=True)
     .exclude(username__startswith="demo_")
     .exclude(forum_posts__created_at__gte=timezone.now() - timedelta(days=1))
     .order_by("pk").first())
topic = Topic.objects.filter(status=Status.PUBLISHED, is_locked=False, is_closed=False,
    category__staff_only_posting=False).exclude(author=u).first()
EmailPreferences.objects.update_or_create(user=topic.author,
    defaults={"email_forum_replies": True})
# Replies are gathered into one unread notice (and one email): start from a read inbox, as
# after the author's last visit, so this run's reply is emailed.
from portal.forums.models import Notification
Notification.objects.filter(recipient=topic.author, read_at__isnull=True).update(
    read_at=timezone.now())
s = SessionStore(); s[SESSION_KEY] = str(u.pk)
s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create()
print(json.dumps({"topic": topic.pk, "url": topic.get_absolute_url(),
                  "cookie": "sessionid=" + s.session_key}))
""",
    )
    server = start_server(env, PORT)
    celery = str(Path(PYTHON).parent / "celery")
    worker = subprocess.Popen(
        [celery, "-A", "portal", "worker", "-Q", "default,email", "--pool", "solo",
         "--loglevel", "WARNING"], cwd=ROOT, env=env,
    )  # fmt: skip
    beat = subprocess.Popen(
        [celery, "-A", "portal", "beat", "--loglevel", "WARNING",
         "--schedule", str(mail_dir / "beat-schedule")], cwd=ROOT, env=env,
    )  # fmt: skip
    results: list[tuple[str, bool, str]] = []
    pages = ["/", "/guides/", "/board/", "/forums/", facts["url"]]
    try:
        # --- 1. Redis stopped ------------------------------------------------------------
        subprocess.run(["redis-cli", "shutdown", "nosave"], capture_output=True)
        assert wait_until(lambda: not redis_up(), 10), "Redis did not stop"
        statuses = {p: call("GET", p) for p in pages}
        statuses.update({f"{p} (signed in)": call("GET", p, facts["cookie"]) for p in pages})
        results.append(
            ("Redis down: every page serves", all(s == 200 for s in statuses.values()),
             ", ".join(f"{p} {s}" for p, s in statuses.items())),
        )  # fmt: skip
        body = f"Fault test reply {secrets.token_hex(4)}: keep calm and carry on."
        status = call(
            "POST", f"/forums/t/{facts['topic']}/-/reply/", facts["cookie"], {"body": body}
        )
        stored = django(
            env,
            "from portal.forums.models import Post\nfrom portal.core.models import OutboxTask\n"
            f"print(json.dumps({{'posts': Post.objects.filter(body={body!r}).count(), "
            "'outbox': OutboxTask.objects.count()}))",
        )
        results.append(
            ("Redis down: a reply is accepted and stored", status == 302 and stored["posts"] == 1,
             f"POST → {status}; posts stored: {stored['posts']}; tasks waiting in the outbox: "
             f"{stored['outbox']}"),
        )  # fmt: skip
        subprocess.run(REDIS_START, check=True, capture_output=True)
        assert wait_until(redis_up, 10), "Redis did not start again"
        started = time.monotonic()
        delivered = wait_until(
            lambda: any(body.split(":")[0] in Path(f).read_text(errors="ignore")
                        for f in glob.glob(str(mail_dir / "*.log"))),
            150,
        )  # fmt: skip
        left = django(
            env,
            "from portal.core.models import OutboxTask\n"
            "print(json.dumps({'outbox': OutboxTask.objects.count()}))",
        )
        results.append(
            ("Redis back: the waiting email goes out", delivered and left["outbox"] == 0,
             f"delivered after {time.monotonic() - started:.0f} s; outbox now {left['outbox']}"),
        )  # fmt: skip

        # --- 2. PostgreSQL restarted -----------------------------------------------------
        if env["DATABASE_URL"].startswith("postgres"):
            version = sorted(os.listdir("/etc/postgresql"))[-1]
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
                check=True, capture_output=True,
            )  # fmt: skip
            first = [call("GET", facts["url"], facts["cookie"]) for _ in range(8)]
            results.append(
                ("PostgreSQL restarted: the next requests succeed", all(s == 200 for s in first),
                 f"statuses of the first requests after the restart: {first}"),
            )  # fmt: skip
        else:
            results.append(
                ("PostgreSQL restarted", True, "skipped: DATABASE_URL is not PostgreSQL")
            )
    finally:
        if not redis_up():
            subprocess.run(REDIS_START, capture_output=True)
        for process in (beat, worker, server):
            process.terminate()
        for process in (beat, worker, server):
            process.wait(30)

    lines = [
        "# Fault test results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `python bench/faults.py` on: {machine()}.",
        "",
        "| fault | result | detail |",
        "| --- | --- | --- |",
        *[f"| {name} | {'ok' if ok else 'FAILED'} | {detail} |" for name, ok, detail in results],
        "| Celery worker killed mid-digest | see CI | `tests/digests/test_worker.py` kills a "
        "real worker mid-chunk; after a restart every due person has exactly one digest |",
        "",
    ]
    (ROOT / "bench" / "FAULTS.md").write_text("\n".join(lines))
    print("\n".join(lines))
    if not all(ok for _, ok, _ in results):
        sys.exit("fault tests FAILED")


if __name__ == "__main__":
    main()
