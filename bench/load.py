"""Mixed read/write load test: many visitors at once, then a count of every accepted write.

Side by side, today's code against a change (what issue 13's targets ask for):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/modhall \\
        python bench/load.py --mix realistic --size large --baseline /work/baseline
    DATABASE_URL=… python bench/load.py --mix writes --size large --baseline /work/baseline

Options: ``--candidate PATH`` (default: this checkout), ``--rounds 3``, ``--seconds 60``
(per round and code), ``--concurrency 32``, ``--people N``, ``--seed 1``, ``--anonymous 0``
(the realistic mix's share of visitors not signed in), ``--set NAME=VALUE`` (a setting for
the servers and workers), ``--keep`` (keep the copies of the data). Without ``--baseline`` one
code only. Run it alone (ports 8775-8776, Redis databases 3-6).

Mixes (bench/mixes.py): ``writes`` is today's write-heavy mix (60% browsing a few pages, 15%
replies, 15% reactions, 10% applications, each visitor one person, so most replies and
applications are refused by the rate limits); ``realistic`` is 95% browsing over the whole
site and 5% writes that succeed (replies, reactions, applications spread over many people).

Each code gets its own fresh copy of the seeded data (``<name>_bench_<size>_load_<code>``,
copied from the page benchmark's database; the baseline's copy has the candidate's extra
migrations unapplied, see bench/databases.py), its own gunicorn server, and a Celery worker on its
own Redis broker database, so tasks run as in production rather than inline. The rounds
alternate (baseline, candidate, baseline, …) with the same visitors and the same random seed;
after each round the code's task queue must drain before the next round starts. Afterwards it
checks there was no 5xx and that every write the site accepted (a redirect after the POST) is
in that code's database. Requests/s is the median of the rounds; latencies are over all
requests; CPU is per request, of the gunicorn processes, the worker and the PostgreSQL
backends. Results go to bench/LOAD.md, one section per mix (the other mix's section is kept).

A side-by-side run takes rounds × seconds × 2 plus 1-3 minutes of setup: about 8-9 minutes
per mix with the defaults on the large data; one 20 s round on the small data: under 2
minutes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import secrets
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import mixes
from bench.databases import (
    DatabaseCpu,
    collectstatic,
    copy_database,
    database_for,
    drop_database,
    seed,
)
from bench.serve import (
    ROOT,
    Code,
    Worker,
    check_imports,
    database_name,
    environment,
    flush_redis,
    load_average,
    machine,
    run_python,
    start_server,
    stop,
    tree_cpu,
    workers,
)

PORT = 8775  # the first code's server; the second is on the next port
CACHE_DB, BROKER_DB = 3, 5  # the first code's Redis databases; the second's are the next ones


def fixture(env: dict, command: str, *args: str, given: dict | None = None) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        if given is not None:
            json.dump(given, file)
            file.flush()
            args = (*args, file.name)
        out = run_python(
            env,
            "import sys, runpy\n"
            f"sys.argv = ['load_fixture', {command!r}, *{list(args)!r}]\n"
            "runpy.run_module('bench.load_fixture', run_name='__main__')",
            setup=False,
        )
    return json.loads(out.strip().splitlines()[-1])


def queue_length(broker_db: int) -> int:
    """Tasks waiting or being run on the broker (kombu's lists per queue and priority, and
    the hash of delivered but unacknowledged tasks)."""
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=broker_db)
    waiting = sum(
        client.llen(key) for key in client.scan_iter(match="*") if client.type(key) == b"list"
    )
    return waiting + client.hlen("unacked")


class Side:
    """One code under load: its copy of the data, server, worker, people and ledger."""

    def __init__(
        self, code: Code, index: int, source: str, size: str, plan: dict, extra: dict[str, str]
    ):
        self.code, self.index, self.plan, self.source = code, index, plan, source
        self.checks_result: dict[str, bool] = {}
        self.port, self.cache_db, self.broker_db = PORT + index, CACHE_DB + index, BROKER_DB + index
        self.database = f"{database_name(size)}_load_{code.name}"
        self.label = f"bench-load-{code.name}"
        print(f"[{code.name}] copying {source} to {self.database} …", flush=True)
        copy_database(source, self.database)
        self.env = environment(
            code, self.database, cache_db=self.cache_db, broker_db=self.broker_db,
            label=self.label,
        )  # fmt: skip
        self.env.update(extra)
        check_imports(code, self.env)
        flush_redis(self.cache_db)
        flush_redis(self.broker_db)
        self.sessions = {int(k): v for k, v in fixture(self.env, "sessions", given=plan).items()}
        missing = set(plan["users"]) - set(self.sessions)
        if missing:
            sys.exit(f"[{code.name}] {len(missing)} of the plan's people are not in its data")
        self.started_at = datetime.now(UTC)
        self.before = self.state()
        applied = {tuple(pair) for pair in self.before["all_applications"]}
        self.people = mixes.People(plan["users"], plan.get("applications_today", {}), applied)
        self.ledger = mixes.Ledger(tuple(r) for r in self.before["reactions"])
        self.rounds: list[dict] = []
        self.server = start_server(self.env, self.port)
        try:
            self.worker = Worker(self.env, f"bench-{code.name}")
        except BaseException:
            stop(self.server)
            raise
        self.db_cpu = DatabaseCpu(self.label)

    def state(self) -> dict:
        posts = [p[0] if isinstance(p, list) else p for p in self.plan["posts"]]
        return fixture(
            self.env, "state",
            given={"users": self.plan["users"], "posts": posts,
                   "since": self.started_at.isoformat()},
        )  # fmt: skip

    def run_round(self, mix: str, number: int, args) -> dict:
        ctx = {
            "plan": self.plan, "sessions": self.sessions, "people": self.people,
            "anonymous": args.anonymous, "applied_before": self.people.applied.copy(),
        }  # fmt: skip
        visit = mixes.realistic if mix == "realistic" else mixes.writes
        requests, errors = self.ledger.requests(), self.ledger.server_errors()
        cpu, worker = tree_cpu(self.server.pid), tree_cpu(self.worker.pid)
        db, own = self.db_cpu.sample(), _own_cpu()
        until = time.monotonic() + args.seconds
        threads, clients = [], []
        for i in range(args.concurrency):
            client = mixes.Client(self.port, secrets.token_hex(16))
            clients.append(client)
            visitor_ctx = {**ctx, "user": self.plan["users"][i % len(self.plan["users"])]}
            rng = random.Random(f"{args.seed}-{number}-{i}")
            thread = threading.Thread(
                target=visit, args=(client, visitor_ctx, self.ledger, until, rng)
            )
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()
        for client in clients:
            client.close()
        cpu, own = tree_cpu(self.server.pid) - cpu, _own_cpu() - own
        db = DatabaseCpu.used(db, self.db_cpu.sample())
        drained_in = self.drain()
        worker = tree_cpu(self.worker.pid) - worker
        done = max(1, self.ledger.requests() - requests)
        result = {
            "requests": done, "rps": done / args.seconds, "cpu": cpu * 1000 / done,
            "db": db * 1000 / done, "worker": worker * 1000 / done, "drained": drained_in,
            "client": own * 1000 / done,
            "errors": self.ledger.server_errors() - errors,
        }  # fmt: skip
        self.rounds.append(result)
        print(
            f"[{self.code.name} round {number + 1}] {result['rps']:.0f} req/s, CPU "
            f"{result['cpu']:.2f} ms/req (DB {result['db']:.2f}, worker {result['worker']:.2f}), "
            f"queue drained in {drained_in:.0f} s, {result['errors']} 5xx",
            flush=True,
        )
        return result

    def drain(self, limit: float = 180) -> float:
        started = time.monotonic()
        while time.monotonic() - started < limit:
            if queue_length(self.broker_db) == 0:
                return time.monotonic() - started
            time.sleep(0.5)
        return float("inf")

    def checks(self) -> dict:
        after = self.state()
        expected = {tuple(r) for r in self.before["reactions"]}
        for item, clicks in self.ledger.reactions.items():  # each gave or took back
            if clicks % 2:
                expected ^= {item}
        found = {tuple(r) for r in after["reactions"]}
        applications = {tuple(a) for a in after["applications"]}
        self.after = after
        return {
            "no 5xx": self.ledger.server_errors() == 0,
            "every accepted reply is stored": after["replies"] == self.ledger.replies,
            "every accepted application is stored": applications == self.ledger.applications,
            "every accepted reaction click is reflected": found == expected,
            "every task was run (queue drained, outbox empty)": after["outbox"] == 0
            and all(r["drained"] != float("inf") for r in self.rounds)
            and (after["notified"] == 0 or after["emailed"] > 0),
        }

    def stop(self) -> None:
        self.worker.stop()
        stop(self.server)


def _own_cpu() -> float:
    """CPU seconds of this process: the visitors' threads, which share the machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], share: float) -> float:
    values = sorted(values) or [0.0]
    return values[min(len(values) - 1, int(len(values) * share))]


def _side_lines(side: Side) -> list[str]:
    ledger, after = side.ledger, side.after
    lines = [
        f"### {side.code.name}",
        "",
        "| action | responses by status | p50 ms | p99 ms |",
        "| --- | --- | ---: | ---: |",
    ]
    for action in mixes.ACTIONS:
        by_status = ", ".join(
            f"{status}: {count}"
            for (name, status), count in sorted(ledger.status.items())
            if name == action
        )
        times = ledger.latency[action]
        lines.append(
            f"| {action} | {by_status or '—'} | {percentile(times, 0.5):.0f} "
            f"| {percentile(times, 0.99):.0f} |"
        )
    checks = side.checks_result
    ok = {True: "ok", False: "LOST"}
    clicks = sum(ledger.reactions.values())
    substituted = ", ".join(f"{a} {n}" for a, n in ledger.substituted.items()) or "none"
    lines += [
        "",
        "| check | accepted by the site | found in the database | result |",
        "| --- | --- | --- | --- |",
        f"| replies | {ledger.replies} | {after['replies']} ({after['replies_published']} "
        f"published) | {ok[checks['every accepted reply is stored']]} |",
        f"| applications | {len(ledger.applications)} | {len(after['applications'])} "
        f"| {ok[checks['every accepted application is stored']]} |",
        f"| reaction clicks | {clicks} | final state "
        f"{'matches' if checks['every accepted reaction click is reflected'] else 'differs'} "
        f"| {ok[checks['every accepted reaction click is reflected']]} |",
        f"| tasks | — | run by the worker: {side.worker.tasks_run()} (failed or retried: "
        f"{side.worker.tasks_failed()}); reply notifications it emailed: {after['emailed']} of "
        f"{after['notified']}; outbox {after['outbox']}; queue drained after each round in "
        f"{', '.join(f'{r["drained"]:.0f} s' for r in side.rounds)} "
        f"| {'ok' if checks['every task was run (queue drained, outbox empty)'] else 'LEFT'} |",
        f"| 5xx responses | — | — | {'none' if checks['no 5xx'] else ledger.server_errors()} |",
        "",
        f"Writes nobody had room for, made a reaction instead: {substituted}.",
        "",
    ]
    return lines


def _kinds(sides: list[Side]) -> list[str]:
    """Browsing latency by kind of page, for each code."""
    lines = [
        "Browsing by kind of page (share of browsing requests, then p50 / p99 ms per code):",
        "",
        "| page | share | " + " | ".join(s.code.name for s in sides) + " |",
        "| --- | ---: |" + " ---: |" * len(sides),
    ]
    total = max(1, sum(len(v) for v in sides[-1].ledger.by_kind.values()))
    for kind, _ in mixes.BROWSE:
        cells = []
        for side in sides:
            times = side.ledger.by_kind.get(kind, [])
            cells.append(
                f"{percentile(times, 0.5):.0f} / {percentile(times, 0.99):.0f}" if times else "—"
            )
        share = len(sides[-1].ledger.by_kind.get(kind, [])) / total
        lines.append(f"| {kind} | {share:.0%} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _figures(side: Side) -> dict[str, float]:
    every = [t for times in side.ledger.latency.values() for t in times]
    return {
        "rps": statistics.median(r["rps"] for r in side.rounds),
        "p50": percentile(every, 0.5),
        "p99": percentile(every, 0.99),
        "cpu": statistics.median(r["cpu"] for r in side.rounds),
        "db": statistics.median(r["db"] for r in side.rounds),
        "worker": statistics.median(r["worker"] for r in side.rounds),
        "client": statistics.median(r["client"] for r in side.rounds),
        "errors": side.ledger.server_errors(),
    }


def section(mix: str, sides: list[Side], args, started: str, loads: list[str]) -> str:
    title = {
        "realistic": "Realistic mix: 95% browsing the whole site, 5% writes that succeed",
        "writes": "Today's write-heavy mix: 60% browsing, 15% replies, 15% reactions, "
        "10% applications",
    }[mix]
    command = " ".join(["python bench/load.py", *sys.argv[1:]])
    lines = [
        f"<!-- mix:{mix} -->",
        f"## {title}",
        "",
        f"Run {started} UTC by `{command}` on: {machine()}. Load average before and after: "
        f"{loads[0]} / {loads[-1]}.",
        "",
        *[
            f"- **{s.code.name}**: {s.code.describe()}; data: a fresh copy of `{s.source}`."
            for s in sides
        ],
        "",
        f"{args.concurrency} visitors at once on the {args.size} demo data, {args.rounds} "
        f"rounds of {args.seconds} s per code, "
        + ("alternating (baseline, candidate, …), " if len(sides) == 2 else "")
        + f"seed {args.seed}; {len(sides[0].plan['users'])} people"
        + (f", {args.anonymous:.0%} of browsing visits signed out" if mix == "realistic" else "")
        + f"; gunicorn (sync workers ×{workers()}) with production settings and a Celery worker "
        "(one process) per code on its own Redis broker database; each round's tasks are "
        "drained before the next round. Requests/s and CPU: medians of the rounds; latencies: "
        "over every request. CPU = milliseconds per request of the gunicorn processes, the "
        "PostgreSQL backends serving them, and the worker (and of this script's visitor "
        "threads, which share the machine).",
        "",
    ]
    figures = [_figures(s) for s in sides]
    names = [s.code.name for s in sides]
    header = "| | " + " | ".join(names) + (" | c/b | target |" if len(sides) == 2 else " |")
    lines += [
        header,
        "| --- |" + " ---: |" * len(sides) + (" ---: | --- |" if len(sides) == 2 else ""),
    ]
    targets = {
        "rps": (lambda b, c: c >= 2 * b, "≥ 2×")
        if mix == "realistic"
        else (lambda b, c: c >= b, "≥ 1×"),
        "p99": (lambda b, c: c <= b, "no worse"),
        "errors": (lambda b, c: c == 0, "none"),
    }
    rows = [
        ("requests/s", "rps", "{:.0f}"), ("p50 ms", "p50", "{:.0f}"), ("p99 ms", "p99", "{:.0f}"),
        ("server CPU ms/request", "cpu", "{:.2f}"), ("database CPU ms/request", "db", "{:.2f}"),
        ("worker CPU ms/request", "worker", "{:.2f}"),
        ("load generator CPU ms/request", "client", "{:.2f}"),
        ("5xx responses", "errors", "{:.0f}"),
    ]  # fmt: skip
    for label, key, form in rows:
        cells = [form.format(f[key]) for f in figures]
        line = f"| {label} | " + " | ".join(cells)
        if len(sides) == 2:
            b, c = figures[0][key], figures[1][key]
            ratio = f"{c / b:.2f}" if b else "—"
            target = ""
            if key in targets:
                test, text = targets[key]
                target = f"{text}: {'met' if test(b, c) else 'MISSED'}"
            line += f" | {ratio} | {target}"
        lines.append(line + " |")
    per_round = "; ".join(
        f"{s.code.name} " + ", ".join(f"{r['rps']:.0f}" for r in s.rounds) for s in sides
    )
    writes_ok = all(all(s.checks_result.values()) for s in sides)
    lines += [
        "",
        f"Requests/s of each round: {per_round}. Every accepted write stored and every task "
        f"run: {'yes' if writes_ok else 'NO'}.",
        "",
        "Statuses: 302 = accepted; 429 = a rate limit said no (with its message); 200 on a POST "
        "= the form came back with an error (a second application to the same opening, say).",
        "",
    ]
    if mix == "realistic":
        lines += _kinds(sides)
    for side in sides:
        lines += _side_lines(side)
    lines.append(f"<!-- /mix:{mix} -->")
    return "\n".join(lines)


def write_section(path: Path, mix: str, text: str) -> None:
    """Replace this mix's section of the file, keeping the other mix's."""
    old = path.read_text() if path.exists() else ""
    pattern = re.compile(rf"<!-- mix:{mix} -->.*?<!-- /mix:{mix} -->", re.S)
    if pattern.search(old):
        new = pattern.sub(lambda _: text, old)
    elif "<!-- mix:" in old:
        new = old.rstrip() + "\n\n" + text + "\n"
    else:  # the old single-run format, or nothing: start afresh
        new = "# Load test results\n\nWritten by `python bench/load.py`; one section per mix.\n\n"
        new += text + "\n"
    path.write_text(new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mix", default="realistic", choices=["realistic", "writes"])
    parser.add_argument("--size", default="small", choices=["small", "large"])
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--candidate", type=Path, default=ROOT, help="default: this checkout")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=60, help="per round and code")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--people", type=int, help="default: 2000 realistic, 200 writes")
    parser.add_argument("--seed", default="1")
    parser.add_argument("--anonymous", type=float, default=0.0)
    parser.add_argument("--keep", action="store_true", help="keep the load databases")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE",
        help="an environment variable for both servers and workers",
    )  # fmt: skip
    parser.add_argument("--output", default=str(ROOT / "bench" / "LOAD.md"))
    args = parser.parse_args()
    extra = dict(item.split("=", 1) for item in args.set)
    people = args.people or (2000 if args.mix == "realistic" else 200)

    candidate = Code("candidate", args.candidate)
    codes = [Code("baseline", args.baseline), candidate] if args.baseline else [candidate]
    started = f"{datetime.now(UTC):%Y-%m-%d %H:%M}"
    loads = [load_average()]
    shared = database_name(args.size)
    seed(environment(candidate, shared, cache_db=CACHE_DB), args.size, args.size)
    for code in codes:
        collectstatic(environment(code, shared, cache_db=CACHE_DB))
    sources = {
        code.name: shared if code is candidate
        else database_for(code, candidate, args.size, cache_db=CACHE_DB)
        for code in codes
    }  # fmt: skip
    # The plan (people, pages, topics) comes from the candidate's data; both codes follow it.
    plan = fixture(environment(candidate, shared, cache_db=CACHE_DB), "plan", args.mix, str(people))
    sides: list[Side] = []
    try:
        for index, code in enumerate(codes):
            sides.append(Side(code, index, sources[code.name], args.size, plan, extra))
        for number in range(args.rounds):
            for side in sides:
                side.run_round(args.mix, number, args)
        for side in sides:
            side.checks_result = side.checks()
    finally:
        for side in sides:
            side.stop()
    loads.append(load_average())
    text = section(args.mix, sides, args, started, loads)
    write_section(Path(args.output), args.mix, text)
    print(text)
    if not args.keep:
        for side in sides:
            drop_database(side.database)
    failed = [f"{s.code.name}: {k}" for s in sides for k, ok in s.checks_result.items() if not ok]
    if failed:
        sys.exit("load test FAILED: " + ", ".join(failed))


if __name__ == "__main__":
    main()
