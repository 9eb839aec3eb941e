"""Page benchmark: the portal under gunicorn with production settings, driven by wrk.

Side by side, today's code against a change (what issue 13's targets ask for):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/modhall \\
        python bench/run.py --baseline /work/baseline [--candidate PATH] \\
        [--sizes small large] [--rounds 3] [--duration 4] [--warmup 1] [--connections 16] \\
        [--workers 4] [--set NAME=VALUE …]

One code only (``make bench``): ``python bench/run.py [--sizes small large] …``.
``--set ANONYMOUS_PAGE_CACHE=false`` (say) passes a setting to every server, to measure with a
cache off. Run it alone: not beside bench/load.py, whose database copies need the seeded
databases free, nor beside another benchmark (ports 8765-8768, Redis databases 10-13).

For each data size the candidate (by default the checkout this bench/ is in) prepares a
database (migrate, sync_guides, seed_demo; each skipped when already done); the baseline reads
the same database, or its own copy when the candidate added migrations (bench/databases.py). Every
code and size gets its own gunicorn server (DEBUG off, its own port, process tree and Redis
database), all serving at once. For each key page, as an anonymous visitor and as a signed-in
person, it counts the SQL queries of one request per server, warms each server up, then runs
wrk for several rounds, each round going through the sizes and, within a size, the codes in
turn (baseline, candidate, baseline, …), so a slow moment of the shared machine falls on both.
Around each wrk run it reads the CPU time of the server's process tree (/proc/<pid>/stat,
utime+stime of the master and its workers) and of the PostgreSQL backends serving it, and
divides by the requests completed. Medians of the rounds are reported, with the candidate's
figures over the baseline's, in bench/RESULTS.md.

Each page is compared with a trivial view served the same way in the same run, which skips
every page cache (bench/uncached.py; the run stops if it was answered from a cache).

It takes 14 pages × 2 visitors × sizes × codes × (rounds × duration + warm-up): about 25
minutes measuring for the default side-by-side run on both sizes, plus 1-3 minutes of setup,
plus seeding the large data the first time (about 3 minutes). One round of 4 s on the small
data only: about 6 minutes.

PostgreSQL is used when DATABASE_URL is set (one database per size, named after it with
_bench_<size>); otherwise SQLite files in var/ (one code only).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import (
    DatabaseCpu,
    collectstatic,
    database_for,
    seed,
)
from bench.search_words import NEW_WORDS, first_address, write_wrk_script
from bench.serve import (
    PYTHON,
    ROOT,
    Code,
    check_imports,
    database_name,
    environment,
    flush_redis,
    load_average,
    machine,
    run_python,
    site_of,
    start_server,
    stop,
    tree_cpu,
    workers,
    wrk,
)

PORT = 8765  # the first server's; the others are on the next ports
CACHE_DB = 10  # the first server's Redis database; the others use the next numbers
TARGETS = {"anonymous": 0.20, "signed in": 0.06}  # share of the trivial view's requests/s
# Pages with a target of their own: a search asking new words on every request (issue 16).
PAGE_TARGETS = {"search, new words": 0.03, "header search, new words": 0.03}
SCRIPTS = ROOT / "var" / "bench-scripts"  # wrk's Lua scripts (git-ignored)
REFERENCES = ("trivial view", "layout only (floor)")
__all__ = ["PORT", "PYTHON", "ROOT", "bench_env", "machine", "prepare", "start_server"]


# --- The single-code interface bench/faults.py uses -------------------------------------------


def bench_env(size: str, index: int = 0) -> dict[str, str]:
    """The environment of this checkout's server for ``size``."""
    return environment(Code("candidate", ROOT), database_name(size), cache_db=CACHE_DB + index)


def prepare(size: str, env: dict[str, str]) -> None:
    seed(env, size, size)
    collectstatic(env)


# --- Measuring --------------------------------------------------------------------------------


def session_cookie(env: dict[str, str]) -> str:
    out = run_python(
        env,
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
        "print(s.session_key)\n",
    )
    return f"sessionid={out.strip().splitlines()[-1]}"


def fetch(port: int, path: str, cookie: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"X-Bench-Count": "1", "Cookie": cookie}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


class Target:
    """One code serving one data size: its database, server, session and pages."""

    def __init__(
        self, code: Code, size: str, database: str, index: int, extra: dict[str, str]
    ) -> None:
        self.code, self.size, self.database = code, size, database
        self.port, self.cache_db = PORT + index, CACHE_DB + index
        self.label = f"bench-{code.name}-{size}"
        self.env = environment(code, database, cache_db=self.cache_db, label=self.label)
        self.env.update(extra)
        check_imports(code, self.env)
        flush_redis(self.cache_db)
        self.cookie = session_cookie(self.env)
        out = subprocess.run(
            [PYTHON, "-m", "bench.pages"], cwd=site_of(self.env), env=self.env,
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        self.pages = dict(json.loads(out))
        self.db_cpu = DatabaseCpu(self.label)
        self.server: subprocess.Popen | None = None
        self.skipped = "?"

    @property
    def name(self) -> str:
        return f"{self.code.name} {self.size}"

    def start(self, count: int) -> None:
        self.server = start_server(self.env, self.port, count=count)
        # The trivial view must never be a cache hit: two answers in a row must differ.
        first = fetch(self.port, "/bench/trivial/", "")
        second = fetch(self.port, "/bench/trivial/", "")
        if first[0] != 200 or first[2] == second[2]:
            sys.exit(
                f"[{self.name}] the trivial view was answered from a cache ({first[2]!r} twice):"
                " add the cache's middleware to bench/uncached.py"
            )
        self.skipped = first[1].get("X-Bench-Skipped", "?")

    def probe(self, path: str, cookie: str) -> tuple[int, int]:
        status, headers, _ = fetch(self.port, first_address(path), cookie)
        return status, int(headers.get("X-Bench-Queries", "-1"))

    def run(self, path: str, who: str, *, duration: float, connections: int) -> dict:
        cookie = self.cookie if who == "signed in" else ""
        script = None
        if NEW_WORDS in path:  # new words on every request, chosen by a Lua script
            SCRIPTS.mkdir(parents=True, exist_ok=True)
            script = write_wrk_script(path, SCRIPTS)
        cpu, db = tree_cpu(self.server.pid), self.db_cpu.sample()
        result = wrk(
            f"http://127.0.0.1:{self.port}{first_address(path)}", cookie, duration=duration,
            connections=connections, script=script,
        )  # fmt: skip
        cpu, db = tree_cpu(self.server.pid) - cpu, DatabaseCpu.used(db, self.db_cpu.sample())
        requests = max(1, result["requests"])
        return {**result, "cpu": cpu * 1000 / requests, "db": db * 1000 / requests}

    def explain(self) -> str:
        """EXPLAIN ANALYZE of the search's main query on this server's data (bench/explain.py)."""
        return subprocess.run(
            [PYTHON, "-m", "bench.explain"], cwd=site_of(self.env), env=self.env,
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip

    def stop(self) -> None:
        stop(self.server)


def measure(targets: list[Target], *, rounds: int, duration: int, warmup: float,
            connections: int) -> list[dict]:  # fmt: skip
    rows = []
    names = list(dict.fromkeys(name for t in targets for name in t.pages))
    for who in ("anonymous", "signed in"):
        for name in names:
            serving = [t for t in targets if name in t.pages]
            cookie = {t.name: (t.cookie if who == "signed in" else "") for t in serving}
            probes = {t.name: t.probe(t.pages[name], cookie[t.name]) for t in serving}
            if warmup:
                for target in serving:
                    target.run(target.pages[name], who, duration=warmup, connections=connections)
            runs: dict[str, list[dict]] = {t.name: [] for t in serving}
            for _ in range(rounds):
                for target in serving:  # sizes in turn, and within a size the codes in turn
                    runs[target.name].append(
                        target.run(target.pages[name], who, duration=duration,
                                   connections=connections)
                    )  # fmt: skip
            for target in serving:
                status, queries = probes[target.name]
                median = {
                    key: statistics.median(run[key] for run in runs[target.name])
                    for key in ("rps", "p50", "p99", "cpu", "db")
                }
                non2xx = sum(run["non2xx"] for run in runs[target.name])
                rows.append(
                    {"code": target.code.name, "size": target.size, "who": who, "page": name,
                     "path": target.pages[name], "status": status, "queries": queries,
                     "non2xx": non2xx, **median}
                )  # fmt: skip
                print(
                    f"[{target.name:18}] {who:9} {name:24} {status} {queries:3}q "
                    f"{median['rps']:7.0f} req/s  p99 {median['p99']:6.1f} ms  "
                    f"CPU {median['cpu']:5.2f} ms/req  DB {median['db']:5.2f} ms/req"
                    + (f"  {non2xx} non-2xx/3xx!" if non2xx else ""),
                    flush=True,
                )
    return rows


# --- Reporting --------------------------------------------------------------------------------


def _share(rows: list[dict]) -> dict[tuple, float]:
    trivial = {
        (r["code"], r["size"], r["who"]): r["rps"] for r in rows if r["page"] == REFERENCES[0]
    }
    return {
        (r["code"], r["size"], r["who"], r["page"]): r["rps"]
        / trivial[(r["code"], r["size"], r["who"])]
        for r in rows
        if (r["code"], r["size"], r["who"]) in trivial
    }


def _target(page: str, who: str) -> float:
    return PAGE_TARGETS.get(page, TARGETS[who])


def _verdict(row: dict, share: float | None) -> str:
    if row["page"] in REFERENCES or share is None:
        return "—"
    return "met" if share >= _target(row["page"], row["who"]) else "MISSED"


def report(rows: list[dict], targets: list[Target], *, args, started: str, loads: list[str]) -> str:
    codes = list(dict.fromkeys(r["code"] for r in rows))
    sizes = list(dict.fromkeys(r["size"] for r in rows))
    judged = codes[-1]  # the candidate (or the only code)
    share = _share(rows)
    by = {(r["code"], r["size"], r["who"], r["page"]): r for r in rows}
    side = len(codes) == 2
    lines = [
        "# Page benchmark results",
        "",
        f"Run {started} UTC by `{' '.join(['python bench/run.py', *sys.argv[1:]])}`"
        f" on: {machine()}. Load average before and after: {loads[0]} / {loads[-1]}.",
        "",
    ]
    for code in dict.fromkeys(t.code.name for t in targets):
        target = next(t for t in targets if t.code.name == code)
        databases = ", ".join(f"{t.size}: `{t.database}`" for t in targets if t.code.name == code)
        lines.append(f"- **{code}**: {target.code.describe()}; databases {databases}.")
    skipped = {t.skipped for t in targets}
    lines += [
        "",
        f"gunicorn (sync workers ×{args.workers}, DEBUG off, production settings), one server "
        f"per code and data size, all serving at once; wrk with {args.connections} connections. "
        f"Each page is warmed up for {args.warmup} s, then run {args.rounds} times for "
        f"{args.duration} s on each server in turn ("
        + ("baseline, candidate, baseline, …" if side else "one size after the other")
        + "), and the medians are shown. **CPU** = milliseconds of CPU time of the server's "
        "gunicorn processes per request completed (from /proc, user + system); **DB** = the "
        "same for the PostgreSQL backends serving it. **Share** = the page's requests/s over "
        "the trivial view's in the same run (targets: ≥ 20% anonymous, ≥ 6% signed in; a "
        "search with new words on every request ≥ 3%, drawn by a wrk Lua script from "
        "bench/search_words.py, its main query explained in SEARCH_EXPLAIN.md). The "
        f"trivial view skips every page cache (skipped: {', '.join(sorted(skipped))}); "
        "“layout only” is an empty page in the site's layout, the least any page costs.",
        "",
    ]
    if side:
        lines += _summary(rows, sizes, share)
    for size in sizes:
        lines += [f"## {size} data", ""]
        if side:
            lines += [
                "| who | page | status | SQL b → c | req/s b | req/s c | c/b | CPU ms b | CPU ms c "
                "| c/b | DB ms b | DB ms c | p99 ms b | p99 ms c | share b | share c | target |",
                "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
                "| ---: | ---: | ---: | ---: | --- |",
            ]
        else:
            lines += [
                "| who | page | status | SQL | req/s | p50 ms | p99 ms | CPU ms | DB ms | share "
                "| target |",
                "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
            ]
        for r in (r for r in rows if r["size"] == size and r["code"] == judged):
            key = (r["who"], r["page"])
            s_c = share.get((judged, size, *key))
            if side:
                b = by.get((codes[0], size, *key))
                if b is None:
                    continue
                s_b = share.get((codes[0], size, *key))
                status = (
                    str(r["status"])
                    if b["status"] == r["status"]
                    else f"{b['status']} → {r['status']}"
                )
                lines.append(
                    f"| {r['who']} | {r['page']} | {status} | {b['queries']} → {r['queries']} "
                    f"| {b['rps']:.0f} | {r['rps']:.0f} | {r['rps'] / b['rps']:.2f} "
                    f"| {b['cpu']:.2f} | {r['cpu']:.2f} | {r['cpu'] / max(b['cpu'], 1e-9):.2f} "
                    f"| {b['db']:.2f} | {r['db']:.2f} | {b['p99']:.1f} | {r['p99']:.1f} "
                    f"| {s_b:.0%} | {s_c:.0%} | {_verdict(r, s_c)} |"
                )
            else:
                lines.append(
                    f"| {r['who']} | {r['page']} | {r['status']} | {r['queries']} | {r['rps']:.0f} "
                    f"| {r['p50']:.1f} | {r['p99']:.1f} | {r['cpu']:.2f} | {r['db']:.2f} "
                    f"| {s_c:.0%} | {_verdict(r, s_c)} |"
                )
        lines.append("")
    if "small" in sizes and "large" in sizes:
        lines += [
            "## large vs small",
            "",
            f"Target: no page more than 10% slower (requests/s) on the large data ({judged}).",
            "",
            "| who | page | "
            + " | ".join(f"{c} small | {c} large | {c} change" for c in codes)
            + " | target |",
            "| --- | --- | " + " | ".join("---: | ---: | ---:" for _ in codes) + " | --- |",
        ]
        for r in (r for r in rows if r["size"] == "large" and r["code"] == judged):
            cells, verdict = [], "—"
            for code in codes:
                small = by.get((code, "small", r["who"], r["page"]))
                large = by.get((code, "large", r["who"], r["page"]))
                if small is None or large is None:
                    cells.append("— | — | —")
                    continue
                change = large["rps"] / small["rps"] - 1
                cells.append(f"{small['rps']:.0f} | {large['rps']:.0f} | {change:+.0%}")
                if code == judged:
                    verdict = "met" if change >= -0.10 else "MISSED"
            lines.append(f"| {r['who']} | {r['page']} | {' | '.join(cells)} | {verdict} |")
        lines.append("")
    return "\n".join(lines)


def _summary(rows: list[dict], sizes: list[str], share: dict) -> list[str]:
    """Per size and visitor: the candidate over the baseline, as a geometric mean over the key
    pages (the trivial view and the layout excluded), and the targets missed."""
    base, cand = list(dict.fromkeys(r["code"] for r in rows))
    by = {(r["code"], r["size"], r["who"], r["page"]): r for r in rows}
    lines = [
        "## Summary",
        "",
        "Geometric means over the key pages (trivial view and layout excluded) of the "
        "candidate's figure over the baseline's.",
        "",
        "| size | who | req/s c/b | CPU ms/req c/b | lowest share c | targets missed |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for size in sizes:
        for who in ("anonymous", "signed in"):
            pairs = [
                (by[(base, size, who, r["page"])], r)
                for r in rows
                if r["code"] == cand and r["size"] == size and r["who"] == who
                and r["page"] not in REFERENCES and (base, size, who, r["page"]) in by
            ]  # fmt: skip
            if not pairs:
                continue
            # A page one code never answered in time (0 req/s: every worker timed out) has no
            # ratio; its row in the table says so, and the means are of the others. Its share
            # still counts below, so a candidate that answers nothing misses its target.
            answered = [(b, c) for b, c in pairs if b["rps"] > 0 and c["rps"] > 0]
            rps = cpu = "—"
            if answered:
                rps_ratio = statistics.geometric_mean(c["rps"] / b["rps"] for b, c in answered)
                cpu_ratio = statistics.geometric_mean(
                    max(c["cpu"], 1e-6) / max(b["cpu"], 1e-6) for b, c in answered
                )
                rps, cpu = f"{rps_ratio:.2f}", f"{cpu_ratio:.2f}"
            shares = {c["page"]: share.get((cand, size, who, c["page"])) for _, c in pairs}
            missed = [p for p, s in shares.items() if s is not None and s < _target(p, who)]
            lowest = min(s for s in shares.values() if s is not None)
            lines.append(
                f"| {size} | {who} | {rps} | {cpu} | {lowest:.0%} | {', '.join(missed) or 'none'} |"
            )
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", nargs="+", default=["small", "large"], choices=["small", "large"]
    )
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--candidate", type=Path, default=ROOT, help="default: this checkout")
    parser.add_argument("--rounds", type=int, default=3, help="runs per page and server")
    parser.add_argument("--duration", type=int, default=4, help="seconds of each run")
    parser.add_argument("--warmup", type=float, default=1, help="seconds of warm-up per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=workers(), help="gunicorn workers")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE",
        help="an environment variable for every server, e.g. ANONYMOUS_PAGE_CACHE=false",
    )  # fmt: skip
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    extra = dict(item.split("=", 1) for item in args.set)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    candidate = Code("candidate", args.candidate)
    codes = [Code("baseline", args.baseline), candidate] if args.baseline else [candidate]
    started = f"{datetime.now(UTC):%Y-%m-%d %H:%M}"
    loads = [load_average()]
    targets: list[Target] = []
    try:
        for size in args.sizes:
            seed(environment(candidate, database_name(size), cache_db=CACHE_DB), size, size)
        for code in codes:
            collectstatic(environment(code, database_name(args.sizes[0]), cache_db=CACHE_DB))
        for size in args.sizes:
            for code in codes:
                database = (
                    database_name(size) if code is candidate
                    else database_for(code, candidate, size, cache_db=CACHE_DB)
                )  # fmt: skip
                targets.append(Target(code, size, database, len(targets), extra))
        for target in targets:
            target.start(args.workers)
        _check_pages(targets)
        began = time.monotonic()
        rows = measure(
            targets, rounds=args.rounds, duration=args.duration, warmup=args.warmup,
            connections=args.connections,
        )  # fmt: skip
        print(f"measured in {(time.monotonic() - began) / 60:.1f} minutes", flush=True)
        loads.append(load_average())
        Path(args.output).write_text(report(rows, targets, args=args, started=started, loads=loads))
        print(f"Results written to {args.output}")
        # Only codes that have bench/explain.py (a baseline from before it has none); after
        # the results are written, so a failure here never loses a run.
        explained = [
            f"## {t.name}\n\n{t.explain()}"
            for t in targets
            if (t.code.path / "bench" / "explain.py").exists()
        ]
        Path(args.output).with_name("SEARCH_EXPLAIN.md").write_text(
            f"Written {started} UTC by bench/run.py (bench/explain.py).\n\n" + "\n".join(explained)
        )
    finally:
        for target in targets:
            target.stop()


def _check_pages(targets: list[Target]) -> None:
    """The same data should give every code of a size the same pages to measure."""
    for size in dict.fromkeys(t.size for t in targets):
        same_size = [t for t in targets if t.size == size]
        for target in same_size[1:]:
            if target.pages != same_size[0].pages:
                print(
                    f"note: {target.name} measures other addresses than {same_size[0].name}: "
                    f"{target.pages} vs {same_size[0].pages}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
