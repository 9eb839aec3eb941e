"""Mixed read/write load test: many visitors at once, then a count of every accepted write.

    python bench/load.py [--size small] [--concurrency 32] [--seconds 180]

Serves the portal as bench/run.py does (gunicorn, production settings) and runs
``concurrency`` visitors in parallel for ``seconds``: browsing pages, replying in topics,
reacting to posts and applying to openings, each as a signed-in demo person. Afterwards it
checks there was no 5xx and that every write the site accepted (a redirect after the POST)
is in the database. Results go to bench/LOAD.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import PORT, PYTHON, ROOT, bench_env, machine, prepare, start_server

MIX = [("browse", 0.6), ("reply", 0.15), ("react", 0.15), ("apply", 0.10)]


class Visitor:
    """One signed-in person with a kept-alive connection and a CSRF cookie."""

    def __init__(self, session: dict):
        self.user_id = session["user_id"]
        self.csrf = secrets.token_hex(16)  # 32 characters: Django accepts the bare secret
        self.cookie = f"sessionid={session['session']}; csrftoken={self.csrf}"
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)

    def request(self, method: str, path: str, form: dict | None = None) -> int:
        headers = {"Cookie": self.cookie}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.csrf
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                response.read()
                return response.status
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                if attempt:
                    return 599  # the connection failed twice: counted as a server error
        return 599


class Ledger:
    """What the site said it accepted, to compare with the database afterwards."""

    def __init__(self):
        self.lock = threading.Lock()
        self.status = Counter()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.replies = 0
        self.applications: set[tuple[int, int]] = set()
        self.reactions: dict[tuple[int, int, str], int] = defaultdict(int)  # toggles

    def record(self, action: str, status: int, seconds: float) -> None:
        with self.lock:
            self.status[(action, status)] += 1
            self.latency[action].append(seconds * 1000)


def visit(visitor: Visitor, data: dict, ledger: Ledger, until: float, rng: random.Random):
    actions, weights = zip(*MIX, strict=True)
    while time.monotonic() < until:
        action = rng.choices(actions, weights)[0]
        started = time.monotonic()
        if action == "browse":
            status = visitor.request("GET", rng.choice(data["pages"]))
        elif action == "reply":
            topic = rng.choice(data["topics"])
            body = f"Load test reply {secrets.token_hex(6)}: agreed, a calm timeout first."
            status = visitor.request("POST", f"/forums/t/{topic}/-/reply/", {"body": body})
            if status in (302, 303):
                with ledger.lock:
                    ledger.replies += 1
        elif action == "react":
            post = rng.choice(data["posts"])
            kind = rng.choice(["helpful", "thanks"])
            status = visitor.request("POST", f"/forums/p/{post}/react/", {"kind": kind})
            if status in (302, 303):
                with ledger.lock:
                    ledger.reactions[(visitor.user_id, post, kind)] += 1
        else:
            opening = rng.choice(data["openings"])
            mine = opening["owner_id"] == visitor.user_id
            if mine or (visitor.user_id, opening["pk"]) in data["applied_before"]:
                continue  # a new application each time, not a redirect to an old one
            form = {"message": "I moderate evenings and know AutoMod well."}
            for question in opening["questions"]:
                if question["kind"] == "choice" and question["choices"]:
                    form[question["name"]] = question["choices"][0]
                else:
                    form[question["name"]] = "Yes, I have done this before."
            status = visitor.request("POST", f"/board/openings/{opening['pk']}/apply/", form)
            if status in (302, 303):
                with ledger.lock:
                    ledger.applications.add((visitor.user_id, opening["pk"]))
        ledger.record(action, status, time.monotonic() - started)


def verify(env: dict, data: dict, ledger: Ledger, started_at: datetime) -> dict:
    """Count in the database what the site accepted during the run."""
    user_ids = [s["user_id"] for s in data["sessions"]]
    script = f"""
import django, json; django.setup()
from datetime import datetime
from portal.forums.models import Post, Reaction
from portal.board.models import Application
since = datetime.fromisoformat({started_at.isoformat()!r})
users = {user_ids!r}
replies = Post.objects.filter(author_id__in=users, created_at__gte=since,
                              body__startswith="Load test reply").count()
apps = sorted(Application.objects.filter(applicant_id__in=users, created_at__gte=since)
              .values_list("applicant_id", "opening_id"))
all_apps = sorted(Application.objects.filter(applicant_id__in=users)
                  .values_list("applicant_id", "opening_id"))
reactions = sorted(Reaction.objects.filter(user_id__in=users, post_id__in={data["posts"]!r})
                   .values_list("user_id", "post_id", "kind"))
print(json.dumps({{"replies": replies, "applications": apps, "all_applications": all_apps,
                  "reactions": reactions}}))
"""
    out = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=["small", "large"])
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--output", default=str(ROOT / "bench" / "LOAD.md"))
    args = parser.parse_args()

    env = bench_env(args.size)
    prepare(args.size, env)
    data = json.loads(
        subprocess.run(
            [PYTHON, "-m", "bench.load_fixture", str(args.people)], cwd=ROOT, env=env,
            capture_output=True, text=True, check=True,
        ).stdout
    )  # fmt: skip
    # Reactions and applications already there before the run: the toggles are counted from
    # this state, and applying again to an opening someone had already applied to (a redirect
    # to that application, as the site answers) is not a new application.
    snapshot = verify(env, data, Ledger(), datetime.now(UTC))
    before = set(map(tuple, snapshot["reactions"]))
    applied_before = set(map(tuple, snapshot["all_applications"]))
    data["applied_before"] = applied_before
    server = start_server(env)
    ledger = Ledger()
    started_at = datetime.now(UTC)
    until = time.monotonic() + args.seconds
    try:
        threads = []
        for i in range(args.concurrency):
            visitor = Visitor(data["sessions"][i % len(data["sessions"])])
            rng = random.Random(i)
            thread = threading.Thread(target=visit, args=(visitor, data, ledger, until, rng))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(30)
    elapsed = args.seconds
    found = verify(env, data, ledger, started_at)

    expected_reactions = set(before)
    for (user, post, kind), toggles in ledger.reactions.items():
        if toggles % 2:
            expected_reactions ^= {(user, post, kind)}
    found_reactions = set(map(tuple, found["reactions"]))
    checks = {
        "no 5xx": sum(n for (_, s), n in ledger.status.items() if s >= 500) == 0,
        "every accepted reply is stored": found["replies"] == ledger.replies,
        "every accepted application is stored": set(map(tuple, found["applications"]))
        == ledger.applications - applied_before,
        "every accepted reaction toggle is reflected": found_reactions == expected_reactions,
    }
    total = sum(ledger.status.values())
    lines = [
        "# Load test results",
        "",
        f"Run {started_at:%Y-%m-%d %H:%M} UTC by `python bench/load.py` on: {machine()}.",
        f"{args.concurrency} signed-in visitors at once for {elapsed} s on the {args.size} demo "
        f"data, mixing {', '.join(f'{a} {w:.0%}' for a, w in MIX)}; gunicorn with production "
        "settings.",
        "",
        f"{total} requests, {total / elapsed:.0f} per second.",
        "",
        "| action | responses by status | p50 ms | p99 ms |",
        "| --- | --- | --- | --- |",
    ]
    for action, _ in MIX:
        times = sorted(ledger.latency[action]) or [0.0]
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        by_status = ", ".join(
            f"{status}: {count}"
            for (name, status), count in sorted(ledger.status.items())
            if name == action
        )
        lines.append(f"| {action} | {by_status} | {statistics.median(times):.0f} | {p99:.0f} |")
    lines += [
        "",
        "Statuses: 302 = accepted; 429 = a rate limit said no (with its message); "
        "200 on a POST = the form came back with an error (a second application to the same "
        "opening, say).",
        "",
        "| check | accepted by the site | found in the database | result |",
        "| --- | --- | --- | --- |",
        f"| replies | {ledger.replies} | {found['replies']} | "
        f"{'ok' if checks['every accepted reply is stored'] else 'LOST'} |",
        f"| applications | {len(ledger.applications - applied_before)} | "
        f"{len(found['applications'])} | "
        f"{'ok' if checks['every accepted application is stored'] else 'LOST'} |",
        f"| reaction toggles | {sum(ledger.reactions.values())} | final state "
        f"{'matches' if checks['every accepted reaction toggle is reflected'] else 'differs'} "
        f"| {'ok' if checks['every accepted reaction toggle is reflected'] else 'LOST'} |",
        f"| 5xx responses | — | — | {'none' if checks['no 5xx'] else 'SOME'} |",
        "",
        "Visitors apply only where they had not applied before the run (the demo data and "
        "earlier runs made many applications), so each accepted application is a new row.",
        "",
    ]
    Path(args.output).write_text("\n".join(lines))
    print("\n".join(lines))
    if not all(checks.values()):
        sys.exit("load test FAILED: " + ", ".join(k for k, ok in checks.items() if not ok))


if __name__ == "__main__":
    main()
