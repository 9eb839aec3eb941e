"""Where the realistic mix's CPU goes, and how often its topic views can find their posts'
blocks already kept: python bench/mix_profile.py [--size large] [--requests 2000].

bench/load.py measures the whole system under load (gunicorn, PostgreSQL, the worker and the
visitors share two cores, and a round's requests/s varies by a third). This replays the same
browsing (bench/mixes.py's pages and weights, a person for 5 to 25 pages, then another) in
one process through Django's WSGI handler, one request at a time, and reports each kind of
page's CPU per request and share of the whole: what a change to one page would be worth to
the mix, without the load's noise. The process starts with its fragment cache empty, as a
fresh worker does.

Topic views are reported apart by whether this process showed the page before (its posts'
blocks kept) or not (every block rendered). It also counts, for as many topic views as a load
run asks for, how many are their page's first in the worker that serves it: with each of
gunicorn's workers keeping its own blocks, and with one cache shared by all. Writes are left
out (5% of the mix; each changes one post's block).

Written to bench/MIX_PROFILE.md. Reads the seeded benchmark database of bench/run.py and
bench/load.py (``<DATABASE_URL's name>_bench_<size>``, seeded first if missing); the sessions
it makes there are deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import collectstatic, seed
from bench.load import CACHE_DB
from bench.serve import ROOT, Code, database_name, environment, run_python, workers

SESSIONS = 300  # the people whose visits are replayed (each reads 5 to 25 pages, then another)


def replay(requests: int, views: int, seed_text: str) -> dict:
    """Inside Django: the replay's CPU by kind of page, the trivial view's, and the topic
    views' first-view shares. Returns them as a dict (printed as JSON by ``--inside``)."""
    from django.contrib.sessions.models import Session
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    from bench.load_fixture import plan, sessions
    from bench.mixes import browse_path
    from bench.uncached import TRIVIAL_PATH

    the_plan = plan("realistic", 2000)
    people = list(sessions(the_plan["users"][:SESSIONS]).values())
    handler, factory = WSGIHandler(), RequestFactory()

    def get(path: str, session: str) -> None:
        environ = factory._base_environ(
            PATH_INFO=path.partition("?")[0],
            QUERY_STRING=path.partition("?")[2],
            HTTP_COOKIE=f"sessionid={session}",
            HTTP_HOST="127.0.0.1",
        )
        status = []
        b"".join(handler(environ, lambda line, headers: status.append(line)))
        if not status[0].startswith("200"):
            sys.exit(f"{path} answered {status[0]}")

    rng = random.Random(seed_text)
    cpu: dict[str, list[float]] = defaultdict(list)
    topics: set[str] = set()
    person, left = people[0], 0
    try:
        for _ in range(requests):
            if left <= 0:
                person, left = rng.choice(people), rng.randint(5, 25)
            left -= 1
            kind, path = browse_path(rng, the_plan["browse"])
            if kind == "topic":
                # Apart: a page this process shows for the first time renders every post's
                # block; one it showed before finds them kept (unless a write changed them).
                kind = "topic, seen before" if path in topics else "topic, first view"
                topics.add(path)
            started = time.process_time()
            get(path, person)
            cpu[kind].append(time.process_time() - started)
        trivial = []
        for _ in range(200):
            started = time.process_time()
            get(TRIVIAL_PATH, person)
            trivial.append(time.process_time() - started)
    finally:
        Session.objects.filter(session_key__in=people).delete()
    return {
        "cpu": {kind: sum(times) * 1000 for kind, times in cpu.items()},
        "count": {kind: len(times) for kind, times in cpu.items()},
        "trivial": sum(trivial) / len(trivial) * 1000,
        "first_views": {
            str(n): first_view_share(the_plan["browse"], views, n, random.Random(seed_text))
            for n in (workers(), 1)
        },
    }


def first_view_share(browse: dict, views: int, caches: int, rng: random.Random) -> float:
    """The share of ``views`` topic views (picked as the mix picks them) that are the page's
    first in the cache serving them, each view going to one of ``caches`` at random (a sync
    worker takes the next request when it is free)."""
    from bench.mixes import _path

    seen = [set() for _ in range(caches)]
    first = 0
    for _ in range(views):
        path = _path(rng, browse, "topic")
        kept = seen[rng.randrange(caches)]
        first += path not in kept
        kept.add(path)
    return first / views


def report(found: dict, args, command: str) -> str:
    total = sum(found["cpu"].values())
    requests = sum(found["count"].values())
    lines = [
        "# Where the realistic mix's CPU goes",
        "",
        f"Written by `{command}` ({time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC): "
        f"{requests} pages of bench/load.py's realistic browsing, replayed one at a time in one "
        f"process on the {args.size} data, seed {args.seed}. CPU of the Django process only "
        "(PostgreSQL's and Redis's are not counted). The machine is shared: compare the rows "
        "with each other, not with another day's run.",
        "",
        f"All pages: **{total / requests:.1f} ms** of CPU per request on average; the benchmark's "
        f"trivial view (signed in): {found['trivial']:.1f} ms.",
        "",
        "| page | requests | CPU ms/request | share of the mix's CPU |",
        "| --- | ---: | ---: | ---: |",
    ]
    for kind in sorted(found["cpu"], key=lambda k: -found["cpu"][k]):
        spent, count = found["cpu"][kind], found["count"][kind]
        lines.append(f"| {kind} | {count} | {spent / count:.1f} | {spent / total:.0%} |")
    shares = found["first_views"]
    lines += [
        "",
        f"Of {args.topic_views} topic views picked as the mix picks them (about one code's "
        "three rounds of bench/load.py), the share that are their page's first in the cache "
        f"serving them, every post's block rendered: **{shares[str(workers())]:.0%}** with "
        f"each of {workers()} workers keeping its own blocks (as today), **{shares['1']:.0%}** "
        "with one cache shared by all.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="large", choices=["small", "large"])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seed", default="1")
    parser.add_argument(
        "--topic-views", type=int, default=6000,
        help="for the first-view shares; default: about what one code's three rounds of "
        "bench/load.py ask for (90 requests/s, 39%% of them topics)",
    )  # fmt: skip
    parser.add_argument("--output", default=str(ROOT / "bench" / "MIX_PROFILE.md"))
    args = parser.parse_args()
    code = Code("candidate", ROOT)
    env = environment(code, database_name(args.size), cache_db=CACHE_DB)
    seed(env, args.size, args.size)
    collectstatic(env)
    out = run_python(
        env,
        f"import json\nfrom bench.mix_profile import replay\n"
        f"print(json.dumps(replay({args.requests}, {args.topic_views}, {args.seed!r})))",
    )
    found = json.loads(out.strip().splitlines()[-1])
    text = report(found, args, " ".join(["python bench/mix_profile.py", *sys.argv[1:]]))
    Path(args.output).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
