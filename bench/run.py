"""Page benchmark: the portal under gunicorn with production settings, driven by wrk.

    python bench/run.py [--sizes small large] [--duration 10] [--connections 16]

For each data size it prepares a database (migrate, sync_guides, seed_demo; skipped when
already done), serves the portal with gunicorn (DEBUG off) and, for each key page, as an
anonymous visitor and as a signed-in person: counts the SQL queries of one request, then runs
wrk from another process and reads requests/s and p50/p99 latency. Each page is compared with
a trivial view served the same way in the same run. Results go to bench/RESULTS.md.

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
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8765
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


def bench_env(size: str) -> dict[str, str]:
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
        env["CACHE_URL"] = "redis://127.0.0.1:6379/9"
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
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from portal.accounts.models import User\n"
        "u = User.objects.get(username='demo_mod')\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(u.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash()\n"
        "s.create()\n"
        "print(s.session_key)\n"
    )
    out = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return f"sessionid={out.stdout.strip()}"


def start_server(env: dict[str, str]) -> subprocess.Popen:
    workers = str(max(2, (os.cpu_count() or 1) * 2))
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--workers", workers, "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    sys.exit("gunicorn did not start")


def probe(path: str, cookie: str) -> tuple[int, int]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}", headers={"X-Bench-Count": "1", "Cookie": cookie}
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


def load(path: str, cookie: str, *, duration: int, connections: int) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True
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


def run_size(size: str, *, duration: int, connections: int) -> list[dict]:
    env = bench_env(size)
    prepare(size, env)
    clear_cache(env)
    cookie = session_cookie(env)
    pages = json.loads(
        subprocess.run(
            [PYTHON, "-m", "bench.pages"], cwd=ROOT, env=env, capture_output=True, text=True,
            check=True,
        ).stdout
    )  # fmt: skip
    server = start_server(env)
    rows = []
    try:
        for who, who_cookie in (("anonymous", ""), ("signed in", cookie)):
            for name, path in pages:
                status, queries = probe(path, who_cookie)
                result = load(path, who_cookie, duration=duration, connections=connections)
                row = {"size": size, "who": who, "page": name, "path": path,
                       "status": status, "queries": queries, **result}  # fmt: skip
                rows.append(row)
                print(
                    f"[{size}] {who:9} {name:24} {status} {queries:3}q "
                    f"{result['rps']:8.1f} req/s  p50 {result['p50']:6.1f} ms  "
                    f"p99 {result['p99']:7.1f} ms",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(30)
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


def report(rows: list[dict], *, duration: int, connections: int) -> str:
    lines = [
        "# Page benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` on: {machine()}.",
        f"gunicorn (sync workers, DEBUG off, production settings), wrk with {connections} "
        f"connections for {duration} s per page. Ratio = the page's requests/s over the trivial "
        "view's in the same run (target: ≥ 20% anonymous, ≥ 10% signed in). “Layout only” is "
        "an empty page in the site's layout: the least any page costs, so no page's ratio can "
        "be higher than its.",
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
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    rows = []
    for size in args.sizes:
        rows += run_size(size, duration=args.duration, connections=args.connections)
    Path(args.output).write_text(report(rows, duration=args.duration, connections=args.connections))
    print(f"Results written to {args.output}")


if __name__ == "__main__":
    main()
