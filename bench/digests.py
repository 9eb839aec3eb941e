"""Digest benchmark: build and send digests for many people on the large demo data.

    python bench/digests.py [--size large] [--people 10000]

Prepares the database as bench/run.py does, makes everyone due now, then sends their
digests in chunks of CHUNK_SIZE exactly as the Celery task does, to an in-memory mail
backend. Reports people per second, emails sent and skipped, and the SQL queries spent
building each chunk (the part that must not grow with the chunk's size). Results go to
bench/DIGESTS.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import PYTHON, ROOT, bench_env, machine, prepare

SCRIPT = """
import django, json, time
django.setup()
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from portal.accounts.models import User
from portal.digests.models import Digest, EmailPreferences
from portal.digests.schedule import period_key
from portal.digests.services import (
    CHUNK_SIZE, DueEntry, digest_build_chunk, digests_send_chunk, preferences_create_missing,
)

now = timezone.now()
preferences_create_missing(now=now)
people = list(User.objects.filter(is_active=True).order_by("pk")
              .values_list("pk", flat=True)[:PEOPLE])
period = "bench:" + now.strftime("%Y%m%d%H%M%S")  # a fresh period: nobody has had it yet
entries = [DueEntry(pk, period, now) for pk in people]
chunks = [entries[i:i + CHUNK_SIZE] for i in range(0, len(entries), CHUNK_SIZE)]

build_queries = []
for chunk in chunks[:5]:
    with CaptureQueriesContext(connection) as queries:
        digest_build_chunk(entries=chunk)
    build_queries.append(len(queries.captured_queries))

sent = skipped = 0
started = time.perf_counter()
for chunk in chunks:
    result = digests_send_chunk(entries=chunk)
    sent += len(result.sent)
    skipped += len(result.skipped)
elapsed = time.perf_counter() - started
print(json.dumps({"people": len(entries), "chunks": len(chunks), "chunk_size": CHUNK_SIZE,
                  "sent": sent, "skipped": skipped, "seconds": elapsed,
                  "build_queries": build_queries, "outbox": len(mail.outbox)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="large", choices=["small", "large"])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--output", default=str(ROOT / "bench" / "DIGESTS.md"))
    args = parser.parse_args()
    env = bench_env(args.size)
    env["EMAIL_URL"] = "memorymail://"
    prepare(args.size, env)
    out = subprocess.run(
        [PYTHON, "-c", SCRIPT.replace("PEOPLE", str(args.people))],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode != 0:
        sys.exit(out.stderr)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    rate = r["people"] / r["seconds"]
    lines = [
        "# Digest benchmark results",
        "",
        f"Run by `python bench/digests.py` on: {machine()}.",
        "",
        f"- people: {r['people']} in {r['chunks']} chunks of {r['chunk_size']}, "
        f"{args.size} demo data",
        f"- sent: {r['sent']}; skipped (nothing new): {r['skipped']}",
        f"- time: {r['seconds']:.1f} s, **{rate:.0f} people per second** "
        "(one process, in-memory mail backend)",
        f"- SQL queries to build a chunk (first chunks): {r['build_queries']}",
        "",
    ]
    Path(args.output).write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
