"""The benchmarks' databases: one seeded database per data size, copies of it, and the CPU
time of the PostgreSQL backends serving a server.

Each data size is seeded once, by the candidate (its migrations are a superset
of the baseline's), into ``<name>_bench_<size>``. When that database holds migrations the
baseline does not know (new columns a baseline INSERT would not fill), the baseline gets its
own copy (``CREATE DATABASE … TEMPLATE``) with those migrations unapplied by the candidate's
code; if they cannot be unapplied, a copy seeded by the baseline itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.serve import (
    CLOCK_TICKS,
    ROOT,
    Code,
    database_name,
    database_url,
    environment,
    manage,
    proc_stat,
    run_python,
)


def _admin():
    import psycopg

    url = database_url("postgres")
    return psycopg.connect(url, autocommit=True)


def is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


def _sqlite_file(name: str) -> Path:
    return ROOT / "var" / f"{name}.sqlite3"


def database_exists(name: str) -> bool:
    if not is_postgres():
        return _sqlite_file(name).exists()
    with _admin() as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def create_database(name: str) -> None:
    if not is_postgres():
        _sqlite_file(name).parent.mkdir(exist_ok=True)
        return
    if not database_exists(name):
        with _admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    if not is_postgres():
        _sqlite_file(name).unlink(missing_ok=True)
        return
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_database(source: str, target: str, *, note: str = "") -> None:
    """``target`` becomes a copy of ``source`` (which nothing may be connected to)."""
    drop_database(target)
    if not is_postgres():
        shutil.copyfile(_sqlite_file(source), _sqlite_file(target))
        return
    with _admin() as conn:
        # A file copy: much faster than the WAL-logged default of PostgreSQL 15 for a large
        # database.
        version = conn.info.server_version
        strategy = " STRATEGY FILE_COPY" if version >= 150000 else ""
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"{strategy}')
        if note:
            conn.execute(f'COMMENT ON DATABASE "{target}" IS {_quote(note)}')


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def database_note(name: str) -> str:
    if not is_postgres() or not database_exists(name):
        return ""
    with _admin() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return (row and row[0]) or ""


def _oid(name: str) -> int:
    if not is_postgres():
        return int(_sqlite_file(name).stat().st_mtime)
    with _admin() as conn:
        return conn.execute("SELECT oid FROM pg_database WHERE datname = %s", [name]).fetchone()[0]


def applied_migrations(env: dict[str, str]) -> set[tuple[str, str]]:
    out = run_python(
        env,
        "import json\nfrom django.db.migrations.recorder import MigrationRecorder\n"
        "from django.db import connection\n"
        "print(json.dumps(sorted(MigrationRecorder(connection).applied_migrations())))",
    )
    return {tuple(m) for m in json.loads(out)}


def known_migrations(env: dict[str, str]) -> tuple[set[tuple[str, str]], list[tuple[str, str]]]:
    """The migrations a checkout has on disk, and the leaf of each of its apps."""
    out = run_python(
        env,
        "import json\nfrom django.db.migrations.loader import MigrationLoader\n"
        "loader = MigrationLoader(None, ignore_no_migrations=True)\n"
        "print(json.dumps([sorted(loader.disk_migrations), loader.graph.leaf_nodes()]))",
    )
    disk, leaves = json.loads(out)
    return {tuple(m) for m in disk}, [tuple(m) for m in leaves]


def seed(env: dict[str, str], size: str, label: str) -> None:
    """Migrate, load the guides and the demo data (each step skips what is already done)."""
    create_database_from_env(env)
    print(f"[{label}] migrate, sync_guides, seed_demo --size {size} …", flush=True)
    started = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "sync_guides")
    manage(env, "seed_demo", "--size", size, "--allow-production")
    print(f"[{label}] data ready in {time.monotonic() - started:.0f} s", flush=True)


def create_database_from_env(env: dict[str, str]) -> None:
    create_database(urlsplit(env["DATABASE_URL"]).path.lstrip("/").removesuffix(".sqlite3"))


def collectstatic(env: dict[str, str]) -> None:
    manage(env, "collectstatic", "--noinput")


def database_for(baseline: Code, candidate: Code, size: str, *, cache_db: int | None) -> str:
    """The database the baseline reads for ``size``: the candidate's seeded one when the
    baseline knows every migration applied there, else a copy of it made to the baseline's
    schema (kept and reused while the seeded database's migrations stay the same)."""
    shared = database_name(size)
    shared_env = environment(candidate, shared, cache_db=cache_db)
    applied = applied_migrations(shared_env)
    base_env = environment(baseline, shared, cache_db=cache_db)
    disk, leaves = known_migrations(base_env)
    extra = sorted(applied - disk)
    if not extra:
        return shared
    own = f"{shared}_{baseline.name}"
    # Made from this very database (its oid changes when it is dropped and seeded again), at
    # these migrations, for this baseline.
    made_from = [shared, _oid(shared), sorted(applied), str(baseline.path)]
    stamp = "from " + hashlib.blake2b(json.dumps(made_from).encode(), digest_size=8).hexdigest()
    if database_note(own) == stamp:
        return own
    print(
        f"[{baseline.name} {size}] the seeded database has {len(extra)} migration(s) the "
        f"baseline lacks ({', '.join(f'{a}.{n}' for a, n in extra[:4])}…): its own copy",
        flush=True,
    )
    copy_database(shared, own)
    own_env = environment(candidate, own, cache_db=cache_db)
    leaf = dict(leaves)
    try:
        for app in dict.fromkeys(a for a, _ in extra):
            manage(own_env, "migrate", app, leaf.get(app, "zero"), "--noinput")
        left = applied_migrations(own_env) - disk
        if left:
            raise RuntimeError(f"still applied: {sorted(left)}")
    except RuntimeError as error:
        print(
            f"[{baseline.name} {size}] could not unapply them ({str(error)[:300]}); seeding a "
            "copy with the baseline's code instead",
            flush=True,
        )
        drop_database(own)
        seed(environment(baseline, own, cache_db=cache_db), size, f"{baseline.name} {size}")
    if is_postgres():
        with _admin() as conn:
            conn.execute(f'COMMENT ON DATABASE "{own}" IS {_quote(stamp)}')
    return own


class DatabaseCpu:
    """CPU seconds of the PostgreSQL backends serving connections named ``label``
    (PGAPPNAME); backends are long-lived (CONN_MAX_AGE), so a before/after difference per
    backend is the database work of the requests in between."""

    def __init__(self, label: str) -> None:
        self.label = label

    def sample(self) -> dict[int, float]:
        if not is_postgres():
            return {}
        with _admin() as conn:
            pids = [
                r[0]
                for r in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [self.label]
                )
            ]
        result = {}
        for pid in pids:
            stat = proc_stat(pid)
            if stat is not None:
                result[pid] = (int(stat[11]) + int(stat[12])) / CLOCK_TICKS
        return result

    @staticmethod
    def used(before: dict[int, float], after: dict[int, float]) -> float:
        return sum(after[pid] - before.get(pid, 0.0) for pid in after)
