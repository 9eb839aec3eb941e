"""Page benchmark: the portal under gunicorn with production settings, driven by wrk.

    python bench/run.py [--sizes small large] [--rounds 3] [--duration 4] [--connections 16]

For each data size it prepares a database (migrate, sync_guides, seed_demo; skipped when
already done) and serves the portal with gunicorn (DEBUG off), one server per size, side by
side. For each key page, as an anonymous visitor and as a signed-in person, it counts the SQL
queries of one request, then runs wrk from another process against each size in turn, for
several rounds, and reports the median requests/s and p50/p99 latency. Interleaving the sizes
and taking medians keeps a slow moment of the machine from reading as a difference between
small and large data. Each page is compared with a trivial view served the same way in the same
run. Results go to bench/RESULTS.md.

PostgreSQL is used when DATABASE_URL is set (one database per size, named after it with
_bench_<size>); otherwise SQLite files in var/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8765  # the first size's server; the next size's is on the next port
TARGETS = {"anonymous": 0.20, "signed in": 0.10}  # share of the trivial view's requests/s


def database_url(size: str) -> str:
    base = os.environ.get("DATABASE_URL")
    if not base:
        return f"sqlite:///{ROOT / 'var' / f'bench-{size}.sqlite3'}"
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "modhall"
    return urlunsplit(parts._replace(path=f"/{name}_bench_{size}"))


def ensure_postgres_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_env(size: str, index: int = 0) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url(size),
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    if "CACHE_URL" not in os.environ and shutil.which("redis-cli"):
        env["CACHE_URL"] = f"redis://127.0.0.1:6379/{9 + index}"  # one cache per size
    env.pop("CELERY_BROKER_URL", None)  # tasks inline: the benchmark measures pages
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare(size: str, env: dict[str, str]) -> None:
    ensure_postgres_database(env["DATABASE_URL"])
    print(f"[{size}] migrate, sync_guides, seed_demo --size {size} …", flush=True)
    started = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "sync_guides")
    manage(env, "seed_demo", "--size", size, "--allow-production")
    manage(env, "collectstatic", "--noinput")
    print(f"[{size}] data ready in {time.monotonic() - started:.0f} s", flush=True)


def session_cookie(env: dict[str, str]) -> str:
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from portal.accounts.models import User\n"
        "u = User.objects.get(username='demo_mod')\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(u.pk)\n"
        "s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]\n"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash()\n"
        "s.create()\n"
        "print(s.session_key)\n"
    )
    out = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return f"sessionid={out.stdout.strip()}"


def start_server(env: dict[str, str], port: int = PORT) -> subprocess.Popen:
    workers = str(max(2, (os.cpu_count() or 1) * 2))
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", workers, "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    sys.exit("gunicorn did not start")


def probe(port: int, path: str, cookie: str) -> tuple[int, int]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"X-Bench-Count": "1", "Cookie": cookie}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, int(response.headers.get("X-Bench-Queries", "-1"))
    except urllib.error.HTTPError as error:
        return error.code, int(error.headers.get("X-Bench-Queries", "-1"))


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def load(port: int, path: str, cookie: str, *, duration: int, connections: int) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "non2xx": int(errors.group(1)) if errors else 0}


def clear_cache(env: dict[str, str]) -> None:
    """Both sizes share the benchmark's Redis database: start each from an empty cache, so no
    page, session or count cached for the other size's data is served."""
    script = "import django; django.setup()\nfrom django.core.cache import cache; cache.clear()"
    subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env, check=True)


class Target:
    """One data size being measured: its database, server, session and pages."""

    def __init__(self, size: str, index: int) -> None:
        self.size, self.port = size, PORT + index
        self.env = bench_env(size, index)
        prepare(size, self.env)
        clear_cache(self.env)
        self.cookie = session_cookie(self.env)
        out = subprocess.run(
            [PYTHON, "-m", "bench.pages"], cwd=ROOT, env=self.env, capture_output=True,
            text=True, check=True,
        ).stdout  # fmt: skip
        self.pages = dict(json.loads(out))
        self.server = start_server(self.env, self.port)

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(30)


def measure(targets: list[Target], *, rounds: int, duration: int, connections: int) -> list[dict]:
    rows = []
    names = list(targets[0].pages)
    for who in ("anonymous", "signed in"):
        for name in names:
            runs: dict[str, list[dict]] = {t.size: [] for t in targets if name in t.pages}
            probes = {}
            for target in targets:
                if name in target.pages:
                    cookie = target.cookie if who == "signed in" else ""
                    probes[target.size] = probe(target.port, target.pages[name], cookie)
            for _ in range(rounds):
                for target in targets:
                    if name not in target.pages:
                        continue
                    cookie = target.cookie if who == "signed in" else ""
                    runs[target.size].append(
                        load(target.port, target.pages[name], cookie, duration=duration,
                             connections=connections)
                    )  # fmt: skip
            for target in targets:
                if name not in target.pages:
                    continue
                status, queries = probes[target.size]
                result = {
                    key: statistics.median(run[key] for run in runs[target.size])
                    for key in ("rps", "p50", "p99")
                }
                result["non2xx"] = sum(run["non2xx"] for run in runs[target.size])
                rows.append(
                    {"size": target.size, "who": who, "page": name, "path": target.pages[name],
                     "status": status, "queries": queries, **result}
                )  # fmt: skip
                print(
                    f"[{target.size}] {who:9} {name:24} {status} {queries:3}q "
                    f"{result['rps']:8.1f} req/s  p50 {result['p50']:6.1f} ms  "
                    f"p99 {result['p99']:7.1f} ms",
                    flush=True,
                )
    return rows


def machine() -> str:
    import django

    cores = os.cpu_count()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    db = os.environ.get("DATABASE_URL", "").split("://")[0] or "sqlite"
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return (
        f"{platform.machine()}, {cores} cores{memory}; Python {platform.python_version()}, "
        f"Django {django.get_version()}; database: {db}; load: {wrk.strip()}"
    )


def report(rows: list[dict], *, rounds: int, duration: int, connections: int) -> str:
    lines = [
        "# Page benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` on: {machine()}.",
        f"gunicorn (sync workers, DEBUG off, production settings; one server per data size, "
        f"side by side), wrk with {connections} connections; each page is run {rounds} times "
        f"for {duration} s against each size in turn, and the medians are shown. Ratio = the "
        "page's requests/s over the trivial view's in the same run (target: ≥ 20% anonymous, "
        "≥ 10% signed in). “Layout only” is an empty page in the site's layout: the least any "
        "page costs, so no page's ratio can be higher than its.",
        "",
    ]
    trivial = {(r["size"], r["who"]): r["rps"] for r in rows if r["page"] == "trivial view"}
    for size in dict.fromkeys(r["size"] for r in rows):
        lines += [f"## {size} data", "",
                  "| who | page | status | SQL | req/s | p50 ms | p99 ms | ratio | target |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        for r in (r for r in rows if r["size"] == size):
            ratio = r["rps"] / trivial[(size, r["who"])]
            target = TARGETS[r["who"]]
            reference = r["page"] in ("trivial view", "layout only (floor)")
            verdict = "—" if reference else ("met" if ratio >= target else "MISSED")
            lines.append(
                f"| {r['who']} | {r['page']} | {r['status']} | {r['queries']} | {r['rps']:.0f} "
                f"| {r['p50']:.1f} | {r['p99']:.1f} | {ratio:.0%} | {verdict} |"
            )
        lines.append("")
    sizes = list(dict.fromkeys(r["size"] for r in rows))
    if "small" in sizes and "large" in sizes:
        lines += ["## large vs small", "",
                  "Target: no page more than 10% slower (requests/s) on the large data.", "",
                  "| who | page | small req/s | large req/s | change | target |",
                  "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        small = {(r["who"], r["page"]): r for r in rows if r["size"] == "small"}
        for r in (r for r in rows if r["size"] == "large"):
            base = small.get((r["who"], r["page"]))
            if base is None:
                continue
            change = r["rps"] / base["rps"] - 1
            verdict = "met" if change >= -0.10 else "MISSED"
            lines.append(
                f"| {r['who']} | {r['page']} | {base['rps']:.0f} | {r['rps']:.0f} "
                f"| {change:+.0%} | {verdict} |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", nargs="+", default=["small", "large"], choices=["small", "large"]
    )
    parser.add_argument("--rounds", type=int, default=3, help="runs per page and size")
    parser.add_argument("--duration", type=int, default=4, help="seconds of each run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    targets: list[Target] = []
    try:
        for index, size in enumerate(args.sizes):
            targets.append(Target(size, index))
        rows = measure(
            targets, rounds=args.rounds, duration=args.duration, connections=args.connections
        )
    finally:
        for target in targets:
            target.stop()
    Path(args.output).write_text(
        report(rows, rounds=args.rounds, duration=args.duration, connections=args.connections)
    )
    print(f"Results written to {args.output}")


if __name__ == "__main__":
    main()
