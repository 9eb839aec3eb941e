"""Fault tests: what people get when a part of the portal fails, and whether anything is lost.

    python bench/faults.py [--only redis,postgres,mail,digest] [--digest-wait SECONDS]

Everything runs on services the script starts itself, on free ports, in a temporary
directory, so it can run on any machine beside anything else and never stops, restarts or
touches the machine's own PostgreSQL (5432) or Redis (6379):

- its own **Redis** (``redis-server``; the cache in database 1, the Celery broker in 0, as one
  server, so an outage takes both), without persistence except a snapshot (``SAVE``) the
  script asks for before one outage, to bring Redis back holding pre-outage data;
- its own **PostgreSQL** 15 (``initdb`` into the temporary directory, ``pg_ctl`` on a free
  port; run as the ``postgres`` user when the script runs as root, since PostgreSQL refuses
  root; ``fsync=off``: the data is thrown away);
- its own **mail server**: a small SMTP server in this process that accepts, delays, or
  refuses with 451 (try later) or 550 (refused) for a while, and records each try;
- the portal **in production mode** (``DJANGO_DEBUG=false``, settings from the environment as
  README's "Production" says): gunicorn with two workers, one Celery worker (both queues)
  and Celery beat, on the small demo data.

Then, one at a time, with the time each request took as a visitor would feel it:

1. **Redis** up (for comparison), hung (``SIGSTOP``), and killed: sign-in, sign-up, pages
   (anonymous and signed in), a forum reply, ``/healthz``. Then Redis back **from a snapshot
   taken before the outage** (do pages miss the reply written during it; does a sign-out
   made during it hold?) and back **empty**; and when the outage's emails arrive.
2. **PostgreSQL** restarted, and down for 20 s: what a reader and a writer get meanwhile
   (is the reply's text kept?), and the first requests after.
3. **A refusing mail server** (451, then 550, for a while, then accepting): is the
   notification email delivered once the server accepts, or lost; what a sign-up gets.
4. **A worker killed mid-digest** (``SIGKILL`` while it sends a chunk, then a new worker at
   once): does everyone get exactly one digest, and how late. The rest of the chunk comes
   back only after the broker's visibility timeout (30 minutes in production settings), so
   this case waits up to ``--digest-wait`` seconds (2,100 by default) for every digest.

Results replace bench/FAULTS.md after each case, so an interrupted run keeps what it found.
It takes about 12 minutes plus the digest wait (about 45 minutes in all by default; run
``--digest-wait 60`` for a quick look), mostly waiting: beat flushes the outbox every
minute, retries wait between tries. CPU use stays low: two web workers, one Celery worker,
requests one at a time.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.own_services import MailServer, OwnRedis, Try, free_port, wait_until
from bench.serve import BIN, ROOT, SECRET, manage, run_python

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PASSWORD = "faults-" + secrets.token_hex(8)  # the sign-in person's, for this run only
REPLY_MARK = "Fault test reply"


class OwnPostgres:
    """A PostgreSQL cluster of the script's own, in the temporary directory."""

    def __init__(self, workdir: Path) -> None:
        self.dir = workdir / "postgres"
        self.dir.mkdir()
        self.data = self.dir / "data"
        self.port = free_port()
        # PostgreSQL refuses to run as root: then it runs as the postgres user, who owns the
        # directory.
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            owner = pwd.getpwnam(self.user)
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
        self._run(PG_BIN / "initdb", "-D", str(self.data), "--auth=trust", "-U", "postgres",
                  "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip

    def _run(self, *command: object) -> None:
        command = [str(c) for c in command]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")

    def _ctl(self, *args: str) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c max_connections=50"
        )
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.dir / "log", "-o", options,
                  "-w", "-t", "60", *args)  # fmt: skip

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def shutdown(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(SystemExit):
                self._ctl("stop", "-m", "immediate")


# --- The portal --------------------------------------------------------------------------------


class Portal:
    """gunicorn, a Celery worker and beat, as the Procfile runs them, on the script's
    services."""

    def __init__(self, workdir: Path, redis: OwnRedis, pg: OwnPostgres, mail: MailServer):
        self.workdir = workdir
        self.port = free_port()
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PG", "DJANGO_", "DATABASE_", "CACHE_", "CELERY_", "EMAIL_"))
        }
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "portal.settings",
                "DJANGO_DEBUG": "false",
                "DJANGO_SECRET_KEY": SECRET,
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DJANGO_SECURE_SSL_REDIRECT": "false",
                "SITE_URL": f"http://127.0.0.1:{self.port}",
                "DATABASE_URL": pg.url("modhall_faults"),
                "CACHE_URL": f"redis://127.0.0.1:{redis.port}/1",
                "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis.port}/0",
                "EMAIL_URL": f"smtp://127.0.0.1:{mail.port}",
                "LOG_LEVEL": "WARNING",
                "PYTHONPATH": str(ROOT),
            }
        )
        self.server: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.beat: subprocess.Popen | None = None
        self.worker_logs: list[Path] = []

    def django(self, code: str) -> dict:
        out = run_python(self.env, "import json\n" + code)
        return json.loads(out.strip().splitlines()[-1])

    def start(self) -> None:
        log = open(self.workdir / "gunicorn.log", "w")  # noqa: SIM115 (kept open by gunicorn)
        self.server = subprocess.Popen(
            [str(BIN / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "2", "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        if not wait_until(lambda: Browser(self.port).get("/healthz").status == 200, 60, 0.5):
            sys.exit(f"gunicorn did not start: see {self.workdir / 'gunicorn.log'}")
        self.start_worker()
        beat_log = open(self.workdir / "beat.log", "w")  # noqa: SIM115
        self.beat = subprocess.Popen(
            [str(BIN / "celery"), "-A", "portal", "beat", "--loglevel", "INFO",
             "--schedule", str(self.workdir / "beat-schedule")],
            cwd=ROOT, env=self.env, stdout=beat_log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def start_worker(self) -> None:
        path = self.workdir / f"worker-{len(self.worker_logs) + 1}.log"
        self.worker_logs.append(path)
        with open(path, "w") as log:
            self.worker = subprocess.Popen(
                [str(BIN / "celery"), "-A", "portal", "worker", "-Q", "default,email",
                 "--pool", "solo", "-n", f"faults{len(self.worker_logs)}@%h",
                 "--loglevel", "INFO", "--without-gossip", "--without-mingle"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        if not wait_until(lambda: " ready." in path.read_text(errors="ignore"), 90, 0.3):
            sys.exit(f"the Celery worker did not start: see {path}")

    def worker_log(self) -> str:
        return "".join(p.read_text(errors="ignore") for p in self.worker_logs)

    def stop(self) -> None:
        for process in (self.beat, self.worker, self.server):
            if process is not None and process.poll() is None:
                process.terminate()
        for process in (self.beat, self.worker, self.server):
            if process is not None:
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()


@dataclass
class Answer:
    status: int
    seconds: float
    body: str = ""
    location: str = ""

    def brief(self) -> str:
        return f"{self.status} in {fmt_s(self.seconds)}"


def fmt_s(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:.1f} minutes"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


@dataclass
class Browser:
    """One visitor: keeps cookies, sends forms with a CSRF token, times each request."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None) -> Answer:
        headers = {}
        body = None
        if form is not None:
            token = self.cookies.setdefault("csrftoken", secrets.token_hex(16))
            body = urlencode({**form, "csrfmiddlewaretoken": token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=40)
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except OSError as exc:
            return Answer(599, time.monotonic() - started, str(exc))
        finally:
            conn.close()
        elapsed = time.monotonic() - started
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "expires=Thu, 01 Jan 1970" in cookie or "Max-Age=0" in cookie:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return Answer(response.status, elapsed, text, response.getheader("Location") or "")

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Answer:
        return self.request("POST", path, form)


# --- Setting up the data -----------------------------------------------------------------------

SETUP = """
from datetime import timedelta
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from portal.accounts.models import User
from portal.digests.models import EmailPreferences
from portal.forums.models import Notification, Status, Topic

now = timezone.now()
signin = User.objects.create_user("faults_signin", "faults_signin@example.com", PASSWORD)
EmailAddress.objects.create(user=signin, email=signin.email, verified=True, primary=True)

def session(user):
    s = SessionStore(); s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    s[HASH_SESSION_KEY] = user.get_session_auth_hash(); s.create()
    return s.session_key

# Writers: people of the script's own, members for two months with no posts yet, so no
# posting limit (new accounts get tighter ones) refuses a reply; one per write.
writers = []
for n in range(32):
    writer = User.objects.create_user(f"faults_writer_{n}", f"faults_writer_{n}@example.com")
    User.objects.filter(pk=writer.pk).update(date_joined=now - timedelta(days=60))
    EmailAddress.objects.create(user=writer, email=writer.email, verified=True, primary=True)
    writers.append(writer)
# Topics open to replies, each by a different author, so each case's notification email
# is the first unread one of its author (unread notices are gathered into one email).
topics, authors = [], set()
for topic in (Topic.objects.filter(status=Status.PUBLISHED, is_locked=False, is_closed=False,
              category__staff_only_posting=False, author__is_active=True)
              .exclude(author__email="").select_related("author").order_by("pk")):
    if topic.author_id in authors:
        continue
    authors.add(topic.author_id)
    topics.append(topic)
    if len(topics) == 16:
        break
for topic in topics:
    EmailPreferences.objects.update_or_create(user=topic.author,
        defaults={"email_forum_replies": True})
Notification.objects.filter(recipient_id__in=authors, read_at__isnull=True).update(read_at=now)
# Nobody's digest falls due during the run unless the digest case asks for it.
EmailPreferences.objects.update(next_digest_at=now + timedelta(days=2))
print(json.dumps({
    "writers": [{"name": w.username, "cookie": session(w)} for w in writers[1:]],
    "warm": session(writers[0]),
    "topics": [{"pk": t.pk, "url": t.get_absolute_url(), "author": t.author.email}
               for t in topics],
}))
"""

DIGESTS_DUE = """
from datetime import timedelta
from django.db.models import F
from django.utils import timezone
from portal.accounts.models import User
from portal.digests.models import DigestFrequency, EmailPreferences
from portal.digests.services import digests_queue_due
from portal.guides.models import Lesson

now = timezone.now()
# Every lesson changed an hour ago: each due person's digest has something to say.
Lesson.objects.update(content_changed_at=now - timedelta(hours=1))
people = list(User.objects.filter(is_active=True).exclude(email="")
    .exclude(username__startswith="faults_").order_by("pk")[:COUNT])
for person in people:
    EmailPreferences.objects.update_or_create(user=person, defaults={
        "digest_frequency": DigestFrequency.DAILY, "next_digest_at": now - timedelta(minutes=1)})
queued = digests_queue_due(now=now)
print(json.dumps({"queued": queued, "emails": [p.email for p in people]}))
"""

DIGEST_STATE = """
from portal.digests.models import Digest
print(json.dumps({s: Digest.objects.filter(status=s, user__email__in=EMAILS).count()
                  for s in Digest.Status.values}))
"""


# --- The cases ---------------------------------------------------------------------------------


class Run:
    def __init__(self, portal: Portal, redis: OwnRedis, pg: OwnPostgres, mail: MailServer,
                 facts: dict) -> None:  # fmt: skip
        self.portal, self.redis, self.pg, self.mail = portal, redis, pg, mail
        self.facts = facts
        self.writers = iter(facts["writers"])
        self.topics = iter(facts["topics"])
        self.sections: list[str] = []
        self.rows: list[str] = []
        self.signups = 0

    def writer(self) -> Browser:
        w = next(self.writers)
        return Browser(self.portal.port, {"sessionid": w["cookie"]})

    def browser(self) -> Browser:
        return Browser(self.portal.port)

    # Each probe is one request as a visitor would make it, timed.

    def sign_in(self) -> Answer:
        b = self.browser()
        return b.post("/accounts/login/", {"login": "faults_signin", "password": PASSWORD})

    def sign_up(self) -> Answer:
        self.signups += 1
        name = self.last_signup = f"faults_new_{self.signups}_{secrets.token_hex(2)}"
        return self.browser().post(
            "/accounts/signup/",
            {"email": f"{name}@example.com", "username": name,
             "password1": PASSWORD, "password2": PASSWORD},
        )  # fmt: skip

    def pages(self, topic_url: str) -> list[tuple[str, Answer]]:
        paths = ["/", "/guides/", "/board/", "/forums/", topic_url]
        anonymous = self.browser()
        signed_in = self.writer()
        return [(p, anonymous.get(p)) for p in paths] + [
            (f"{p} (signed in)", signed_in.get(p)) for p in paths
        ]

    def reply(self, topic: dict, who: Browser | None = None) -> tuple[Answer, str]:
        text = f"{REPLY_MARK} {secrets.token_hex(4)}: keep calm and carry on."
        answer = (who or self.writer()).post(f"/forums/t/{topic['pk']}/-/reply/", {"body": text})
        return answer, text

    def healthz(self) -> Answer:
        return self.browser().get("/healthz")

    def stored(self, text: str) -> bool:
        return self.portal.django(
            "from portal.forums.models import Post\n"
            f"print(json.dumps(Post.objects.filter(body={text!r}).exists()))"
        )

    def outbox(self) -> int:
        return self.portal.django(
            "from portal.core.models import OutboxTask\n"
            "print(json.dumps(OutboxTask.objects.count()))"
        )

    def probe_all(self, label: str) -> dict:
        """Sign-in, sign-up, pages, a reply and /healthz, timed; one row of the Redis table."""
        topic = next(self.topics)
        results = {
            "sign-in": self.sign_in(),
            "sign-up": self.sign_up(),
            "pages": self.pages(topic["url"]),
        }
        reply, text = self.reply(topic)
        results["reply"] = reply
        results["healthz"] = self.healthz()
        pages = results["pages"]
        worst = max(a.seconds for _, a in pages)
        statuses = sorted({a.status for _, a in pages})
        try:
            health = json.loads(results["healthz"].body)
            health = ", ".join(f"{k} {v}" for k, v in health.items() if k != "status")
        except ValueError:
            health = results["healthz"].body[:60]
        self.rows.append(
            f"| {label} | {results['sign-in'].brief()} | {results['sign-up'].brief()} | "
            f"{len(pages)} pages: {'/'.join(map(str, statuses))}, slowest "
            f"{fmt_s(worst)}, total {fmt_s(sum(a.seconds for _, a in pages))} | "
            f"{reply.brief()}{'' if self.stored(text) else ' (NOT stored)'} | "
            f"{results['healthz'].brief()}: {health} |"
        )
        return {**results, "topic": topic, "text": text}

    def wait_for_email(self, to: str, subject: str, seconds: float) -> float | None:
        started = time.monotonic()
        if wait_until(lambda: self.mail.delivered(to, subject), seconds, 0.5):
            return time.monotonic() - started
        return None

    # --- 1. Redis -----------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Every web worker imports and connects on its first requests: not what is measured."""
        topic = self.facts["topics"][0]["url"]
        signed_in = Browser(self.portal.port, {"sessionid": self.facts["warm"]})
        for _ in range(3):
            for path in ("/", "/guides/", "/board/", "/forums/", topic, "/healthz"):
                self.browser().get(path)
                signed_in.get(path)
        self.sign_in()

    def redis_cases(self) -> None:
        notes = []
        self.probe_all("Redis up (for comparison)")

        self.redis.hang()
        hung = self.probe_all("Redis hung (SIGSTOP)")
        still = [self.healthz() for _ in range(4)]
        self.redis.resume()
        resumed_at = time.monotonic()
        resumed = self.probe_all("Redis resumed (SIGCONT)")
        if 429 in (resumed["sign-in"].status, resumed["sign-up"].status):
            notes.append(
                "- Right after Redis resumed, a correct sign-in or a sign-up was refused (429). "
                "allauth's limiter takes a lock with `cache.add(…:lock, timeout=10)` and "
                "deletes it after counting. While Redis hung, the `add` was written to the "
                "socket, timed out after 0.2 s and the process's memory answered instead; the "
                "`delete` then went to memory too. When Redis resumed it ran the queued `add`: "
                "the lock stays in Redis for 10 s, nobody deletes it, and every sign-in and "
                "sign-up from that address waits 1 s for it and is refused."
            )
        notes.append(
            "- While Redis hung, four more `/healthz`, one after another: "
            f"{', '.join(a.brief() for a in still)}. "
            "The notification email of the reply written meanwhile: "
            + self._email_note(hung, resumed_at)
        )

        # Back with its old data: a snapshot taken before the outage.
        topic = next(self.topics)
        watcher = self.writer()  # a signed-in reader of the topic
        leaver = self.writer()  # signs out during the outage
        anonymous = self.browser()
        anonymous.get(topic["url"])  # kept whole in Redis for a minute
        watcher.get(topic["url"])
        leaver.get("/email/settings/")  # the session's cached copy is now in Redis
        self.redis.snapshot()
        snapshot_at = time.monotonic()
        self.redis.kill()
        killed = self.probe_all("Redis killed (SIGKILL)")
        outage_reply, outage_text = self.reply(topic)
        # A copy of the session cookie (another tab, or a thief's: signing out is the cure
        # for a stolen session) keeps being sent after the sign-out.
        stolen = Browser(self.portal.port, dict(leaver.cookies))
        signed_out = leaver.post("/accounts/logout/", {})
        leaver_during = stolen.get("/email/settings/")
        time.sleep(2)
        self.redis.start(fresh=False)
        back_at = time.monotonic()
        seen_anonymous = outage_text in anonymous.get(topic["url"]).body
        seen_signed_in = outage_text in watcher.get(topic["url"]).body
        leaver_after = stolen.get("/email/settings/")
        self.probe_all("Redis back from a snapshot taken before the outage")
        missing_for = None
        if not seen_anonymous and wait_until(
            lambda: outage_text in Browser(self.portal.port).get(topic["url"]).body, 90, 1
        ):
            missing_for = time.monotonic() - back_at
        leaver_later = stolen.get("/email/settings/")
        notes.append(
            "- Redis killed, then started again from a snapshot (`SAVE`) taken "
            f"{time.monotonic() - snapshot_at - (time.monotonic() - back_at):.0f} s before it "
            f"came back. During the outage a reply was posted ({outage_reply.brief()}, "
            f"{'stored' if self.stored(outage_text) else 'NOT stored'}) and a person signed out "
            f"({signed_out.brief()}; their old session cookie, sent again as a copy of it would "
            f"be, then got {leaver_during.status} on a private page). "
            "Right after Redis came back: the topic page "
            f"{'showed' if seen_signed_in else 'did NOT show'} the reply to a signed-in "
            f"reader, and {'showed' if seen_anonymous else 'did NOT show'} it to an anonymous "
            "visitor"
            + (
                ""
                if seen_anonymous
                else (
                    f" (the pre-outage copy of the page, restored with the snapshot, was "
                    f"served until {fmt_s(missing_for)} after Redis was back)"
                    if missing_for
                    else " (still missing 90 s later)"
                )
            )
            + f"; the signed-out session's cookie got {leaver_after.status} on a private page "
            + (
                "(signed in again by the session copy restored with the snapshot)"
                if leaver_after.status == 200
                else "(still signed out)"
            )
            + f", and {leaver_later.status} {time.monotonic() - back_at:.0f} s after Redis was "
            "back. The notification email of the reply written during the outage: "
            + self._email_note(killed, back_at)
        )

        # Back empty.
        self.redis.kill()
        killed_again = self.probe_all("Redis killed again")
        time.sleep(2)
        self.redis.start(fresh=True)
        back_at = time.monotonic()
        self.probe_all("Redis back empty")
        notes.append(
            "- Redis killed again and started empty: the notification email of the reply "
            "written during the outage: " + self._email_note(killed_again, back_at)
        )
        alive = self.portal.worker.poll() is None
        notes.append(
            f"- The Celery worker {'stayed up and reconnected' if alive else 'EXITED'} "
            "through the outages; the outbox held "
            f"{self.outbox()} tasks at the end."
        )
        self.sections.append(
            "## Redis\n\nOne Redis holds the cache (db 1) and the broker (db 0). Each row: one "
            "request each, as a visitor would make them, one after another (sign-in with the "
            "right password, a sign-up, five pages anonymously and five signed in, a forum "
            "reply by a signed-in person, `/healthz`).\n\n"
            "| Redis | sign-in | sign-up | pages | reply | /healthz |\n"
            "| --- | --- | --- | --- | --- | --- |\n"
            + "\n".join(self.rows)
            + "\n\n"
            + "\n".join(notes)
        )

    def _email_note(self, probe: dict, since: float, seconds: float = 150) -> str:
        """When the notification email of ``probe``'s reply arrived, counted from ``since``
        (when the part that failed was back)."""
        to = probe["topic"]["author"]
        self.wait_for_email(to, "New reply", seconds)
        copies = self.mail.delivered(to, "New reply")
        if not copies:
            return f"NOT delivered within {seconds:.0f} s (outbox: {self.outbox()})."
        return (
            f"delivered {fmt_s(copies[0].at - since)} after Redis was back, "
            f"{len(copies)} {'copy' if len(copies) == 1 else 'copies'}."
        )

    # --- 2. PostgreSQL --------------------------------------------------------------------------

    def postgres_cases(self) -> None:
        topic = next(self.topics)
        reader, writer = self.writer(), self.writer()
        lines = []
        self.pg.restart()
        first = [reader.get(topic["url"]) for _ in range(4)]
        reply, text = self.reply(topic, writer)
        lines.append(
            f"- **Restarted** (`pg_ctl restart -m fast`): the first four signed-in requests "
            f"after it: {', '.join(a.brief() for a in first)}; a reply then "
            f"{reply.brief()} ({'stored' if self.stored(text) else 'NOT stored'})."
        )

        anonymous = self.browser()
        anonymous.get(topic["url"])  # kept whole in Redis for a minute
        self.pg.stop()
        down_at = time.monotonic()
        during = {
            "anonymous topic page": anonymous.get(topic["url"]),
            "signed-in topic page": reader.get(topic["url"]),
            "anonymous /guides/": self.browser().get("/guides/"),
            "sign-in": self.sign_in(),
            "/healthz": self.healthz(),
        }
        reply, text = self.reply(topic, writer)
        kept = text in reply.body
        elapsed = time.monotonic() - down_at
        time.sleep(max(0.0, 20 - elapsed))
        self.pg.start()
        after = [reader.get(topic["url"]) for _ in range(3)]
        retry_after = "Retry-After" in reply.body
        lines.append(
            "- **Down for 20 s** (`pg_ctl stop -m fast`, started again 20 s later). Meanwhile: "
            + "; ".join(f"{name} {a.brief()}" for name, a in during.items())
            + f". A **writer** posting a reply got {reply.brief()}, and the answer "
            f"{'kept' if kept else 'did NOT keep'} the text they typed"
            f"{' (a Retry-After was mentioned)' if retry_after else ''}; the reply is "
            f"{'stored' if self.stored(text) else 'not stored (it was lost)'}. After "
            f"PostgreSQL started again: {', '.join(a.brief() for a in after)}."
        )
        self.sections.append("## PostgreSQL\n\n" + "\n".join(lines))

    # --- 3. A worker killed mid-digest ---------------------------------------------------------

    def digest_case(self, wait: float) -> None:
        count = 30
        self.mail.delay = 0.4  # a real mail server's round trips: the chunk takes ~12 s
        due = self.portal.django(DIGESTS_DUE.replace("COUNT", str(count)))
        queued_at = time.monotonic()
        emails = due["emails"]

        def sent() -> list[Try]:
            return [t for t in self.mail.delivered() if t.to in emails and "igest" in t.subject]

        def state() -> dict:
            return self.portal.django(DIGEST_STATE.replace("EMAILS", json.dumps(emails)))

        if not wait_until(lambda: len(sent()) >= 5, 90, 0.1):
            self.sections.append(f"## A worker killed mid-digest\n\nNo digest went out: {due}")
            return
        before = len(sent())
        self.portal.worker.send_signal(signal.SIGKILL)
        self.portal.worker.wait(10)
        killed_at = time.monotonic()
        self.portal.start_worker()
        # Done when every due person's digest is recorded as sent, skipped (nothing new) or
        # failed; the state is read every 20 s (each read starts Django).
        deadline = killed_at + wait
        while time.monotonic() < deadline:
            done = state()
            if done.get("sent", 0) + done.get("skipped", 0) + done.get("failed", 0) >= len(emails):
                time.sleep(5)  # a late second copy would arrive by now
                break
            time.sleep(20)
        waited = time.monotonic() - killed_at
        self.mail.delay = 0.0
        tries = sent()
        per_person = {e: sum(1 for t in tries if t.to == e) for e in emails}
        twice = [e for e, n in per_person.items() if n > 1]
        none = [e for e, n in per_person.items() if n == 0]
        in_flight = [t for t in tries if killed_at <= t.at < killed_at + 1]
        later = [t.at - killed_at for t in tries if t.at >= killed_at + 1]
        records = state()
        visibility = self.portal.django(
            "from django.conf import settings\nprint(json.dumps("
            "settings.CELERY_BROKER_TRANSPORT_OPTIONS.get('visibility_timeout')))"
        )
        self.sections.append(
            "## A worker killed mid-digest\n\n"
            f"{due['queued']} people due (one chunk of the email queue); the mail server takes "
            f"0.4 s a message. The worker was killed (`SIGKILL`) "
            f"{fmt_s(killed_at - queued_at)} after the chunk was queued, when {before} digests "
            f"had been accepted by the mail server; a new worker started at once. The broker's "
            f"visibility timeout is {visibility} s.\n\n"
            + (
                f"- {len(in_flight)} message(s) were in flight: the mail server accepted them "
                "after the worker died, so the worker never recorded them as sent.\n"
                if in_flight
                else ""
            )
            + (
                f"- The rest of the chunk was delivered again {fmt_s(min(later))} after the "
                f"kill; its digests arrived {fmt_s(min(later))} to {fmt_s(max(later))} after "
                "it.\n"
                if later
                else f"- Nothing more arrived within {fmt_s(waited)} of the kill: the chunk "
                "comes back only once the visibility timeout has passed.\n"
            )
            + f"- In the end ({fmt_s(waited)} after the kill): {count - len(none)} of {count} "
            f"people had a digest, {len(twice)} had two or more"
            + (f" ({', '.join(twice)})" if twice else "")
            + f"; {len(none)} had none. Digest records: {records} (skipped: nothing new to "
            "tell them)."
        )

    # --- 4. A refusing mail server -------------------------------------------------------------

    def mail_cases(self) -> None:
        lines = []
        for code, seconds in ((451, 40), (550, 40)):
            topic = next(self.topics)
            to = topic["author"]
            self.mail.refuse(code, seconds)
            refused_at = time.monotonic()
            reply, text = self.reply(topic)
            signup = self.sign_up()
            account = self.portal.django(
                "from portal.accounts.models import User\n"
                f"print(json.dumps(User.objects.filter(username={self.last_signup!r}).exists()))"
            )
            waited = self.wait_for_email(to, "New reply", seconds + 40)
            tries = self.mail.refused(to)
            spread = f"{tries[-1].at - tries[0].at:.0f} s" if tries else "-"
            lines.append(
                f"- **{code} for {seconds} s**: a reply {reply.brief()} "
                f"({'stored' if self.stored(text) else 'NOT stored'}); a sign-up meanwhile "
                f"{signup.brief()} (the account was {'created' if account else 'not created'}). "
                f"The notification email was refused {len(tries)} times over "
                f"{spread}, then "
                + (
                    f"delivered {fmt_s(time.monotonic() - refused_at)} after the refusals began."
                    if waited is not None
                    else f"**lost**: nothing more was tried up to {seconds + 40:.0f} s after "
                    f"the refusals began (the server accepted from {seconds} s); outbox "
                    f"{self.outbox()}."
                )
            )
        self.sections.append(
            "## A refusing mail server\n\nThe script's SMTP server answers every recipient "
            "with the code for a while, then accepts. A forum reply is posted at once (its "
            "author's notification email is watched) and a sign-up made (its verification "
            "email is sent during the request).\n\n" + "\n".join(lines)
        )


def machine() -> str:
    import django

    kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    redis_version = subprocess.run(
        ["redis-server", "--version"], capture_output=True, text=True
    ).stdout.split()[2]
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {kb / 1024 / 1024:.0f} GiB; Python "
        f"{platform.python_version()}, Django {django.get_version()}; PostgreSQL "
        f"{PG_BIN.parent.name}, Redis {redis_version.removeprefix('v=')}"
    )


def commit() -> str:
    out = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "--",
         ".", ":!bench/FAULTS.md"],
        capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    return f"`{out}`" + (" (with uncommitted changes)" if dirty else "")


def write_report(run: Run, seconds: float) -> None:
    report = "\n".join(
        [
            "# Fault test results",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `python bench/faults.py` "
            f"({seconds / 60:.0f} minutes) at commit {commit()}, on {machine()}.",
            "The portal in production mode (gunicorn with 2 workers, a Celery worker, beat) "
            "on the small demo data, on its own Redis, PostgreSQL and SMTP server, all started "
            "by the script on free ports; the machine's services were not touched. Times are "
            "as the visitor saw them, one request at a time, after a warm-up.",
            "",
            *[section + "\n" for section in run.sections],
        ]
    )
    (ROOT / "bench" / "FAULTS.md").write_text(report)
    print(report, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="redis,postgres,mail,digest")
    parser.add_argument("--digest-wait", type=float, default=2100)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    cases = set(args.only.split(","))
    for binary in ("redis-server", "redis-cli"):
        if not shutil.which(binary):
            sys.exit(f"bench/faults.py needs {binary} (apt-get install redis-server)")
    if not (PG_BIN / "initdb").exists():
        sys.exit(f"bench/faults.py needs PostgreSQL's initdb in {PG_BIN} (set PG_BIN)")

    workdir = Path(tempfile.mkdtemp(prefix="modhall-faults-"))
    os.chmod(workdir, 0o755)  # noqa: S103 (the postgres user must reach its directory)
    redis, pg, mail = OwnRedis(workdir), OwnPostgres(workdir), MailServer()
    portal = Portal(workdir, redis, pg, mail)
    started = time.monotonic()
    try:
        redis.start(fresh=True)
        pg.start()
        pg.create_database("modhall_faults")
        print(
            f"[faults] own Redis :{redis.port}, PostgreSQL :{pg.port}, SMTP :{mail.port}, "
            f"portal :{portal.port}, in {workdir}; seeding the small demo data …",
            flush=True,
        )
        manage(portal.env, "migrate", "--noinput")
        manage(portal.env, "sync_guides")
        manage(portal.env, "seed_demo", "--size", "small", "--allow-production")
        manage(portal.env, "collectstatic", "--noinput")
        facts = portal.django(f"PASSWORD = {PASSWORD!r}\n" + SETUP)
        portal.start()
        run = Run(portal, redis, pg, mail, facts)
        warm = False
        for name, case in (
            ("redis", run.redis_cases),
            ("postgres", run.postgres_cases),
            ("mail", run.mail_cases),
            ("digest", lambda: run.digest_case(args.digest_wait)),
        ):
            if name in cases:
                if not warm:
                    run.warm_up()
                    warm = True
                print(f"[faults] {name} …", flush=True)
                case()
                write_report(run, time.monotonic() - started)  # what is done survives
    finally:
        portal.stop()
        redis.stop()
        pg.shutdown()
        mail.shutdown()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
