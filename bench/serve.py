"""Serving the portal for benchmarks: checkouts of the code, their databases, gunicorn servers
and Celery workers, and the CPU time each uses. Shared by bench/run.py, bench/load.py and
bench/faults.py.

**Two checkouts side by side.** A benchmark may serve two versions of the portal at once:
the "baseline" (e.g. a git worktree of the commit before a change) and the "candidate" (by
default the checkout this bench/ lives in). Each runs from a *site* directory of its own: a
directory of symbolic links to the checkout's top-level entries, except ``bench``, which
links to this bench/. With the site as working directory and ``PYTHONPATH``, every process
imports that checkout's ``portal`` (ahead of the virtualenv's editable install) with the same
benchmark settings, trivial view and pages; ``BASE_DIR`` resolves the links, so templates,
guides and static files are the checkout's own. Commands run as ``python -m django``, never
through ``manage.py`` (Python would resolve a linked script's directory to the checkout and
import its own, older bench/).

The databases they read are prepared by bench/databases.py.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent  # the checkout this bench/ belongs to
PYTHON = sys.executable
BIN = Path(PYTHON).parent
SECRET = "bench-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
SITES = ROOT / "var" / "bench-sites"  # git-ignored
_SKIPPED_ENTRIES = {"bench", ".git", ".venv", "var", "staticfiles", "node_modules", "manage.py"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- Checkouts -----------------------------------------------------------------------------


@dataclass
class Code:
    """One checkout of the portal, served from its own site directory."""

    name: str  # "baseline" or "candidate"
    path: Path
    site: Path = field(init=False)

    def __post_init__(self) -> None:
        self.path = self.path.resolve()
        if not (self.path / "portal" / "settings.py").exists():
            sys.exit(f"{self.path} is not a checkout of the portal (no portal/settings.py)")
        self.site = self.path if self.path == ROOT else _site(self)

    def describe(self) -> str:
        commit = subprocess.run(
            ["git", "-C", str(self.path), "log", "-1", "--format=%h %s"],
            capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "-C", str(self.path), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        return f"{self.path} at {commit or '?'}{' (with uncommitted changes)' if dirty else ''}"


def _site(code: Code) -> Path:
    site = (
        SITES / f"{code.name}-{hashlib.blake2b(str(code.path).encode(), digest_size=4).hexdigest()}"
    )
    site.mkdir(parents=True, exist_ok=True)
    for entry in site.iterdir():  # links only: never anything of the checkout itself
        if entry.is_symlink():
            entry.unlink()
    for entry in code.path.iterdir():
        if entry.name not in _SKIPPED_ENTRIES:
            (site / entry.name).symlink_to(entry)
    (site / "bench").symlink_to(ROOT / "bench")
    return site


def check_imports(code: Code, env: dict[str, str]) -> None:
    """Stop unless this checkout's processes import its own portal and this bench/."""
    out = run_python(
        env,
        "import os, portal, bench\n"
        "print(os.path.realpath(portal.__file__)); print(os.path.realpath(bench.__file__))",
        setup=False,
    ).split()
    portal_file, bench_file = Path(out[-2]), Path(out[-1])
    if portal_file.parent.parent != code.path or bench_file.parent != ROOT / "bench":
        sys.exit(f"{code.name}: imports {portal_file} and {bench_file}, not {code.path}'s")


# --- Environment and commands ----------------------------------------------------------------


def database_url(name: str) -> str:
    """The URL of database ``name`` on the server of DATABASE_URL (SQLite files in var/
    without it)."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        return f"sqlite:///{ROOT / 'var' / f'{name}.sqlite3'}"
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def database_name(size: str) -> str:
    base = os.environ.get("DATABASE_URL")
    name = (urlsplit(base).path.lstrip("/") if base else "") or "modhall"
    return f"{name}_bench_{size}"


def environment(
    code: Code, database: str, *, cache_db: int | None, broker_db: int | None = None,
    label: str = "",
) -> dict[str, str]:  # fmt: skip
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url(database),
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(code.site),
        # PostgreSQL shows it as the connections' application_name: their CPU is counted.
        "PGAPPNAME": label or f"bench-{code.name}",
    }
    env.pop("CACHE_URL", None)
    if cache_db is not None and shutil.which("redis-cli"):
        env["CACHE_URL"] = f"redis://127.0.0.1:6379/{cache_db}"
    env.pop("CELERY_BROKER_URL", None)  # tasks inline unless a worker is asked for
    if broker_db is not None:
        env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:6379/{broker_db}"
    return env


def site_of(env: dict[str, str]) -> Path:
    return Path(env.get("PYTHONPATH", str(ROOT)).split(os.pathsep)[0])


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "-m", "django", *args], cwd=site_of(env), env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"django {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def run_python(env: dict[str, str], code: str, *, setup: bool = True) -> str:
    script = ("import django; django.setup()\n" if setup else "") + code
    result = subprocess.run(
        [PYTHON, "-c", script], cwd=site_of(env), env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"python failed:\n{result.stderr[-3000:]}")
    return result.stdout


def flush_redis(db: int | None) -> None:
    if db is not None and shutil.which("redis-cli"):
        subprocess.run(["redis-cli", "-n", str(db), "flushdb"], capture_output=True, check=True)


# --- Servers, workers and their CPU ----------------------------------------------------------


def workers() -> int:
    return max(2, (os.cpu_count() or 1) * 2)


def start_server(env: dict[str, str], port: int, *, count: int | None = None) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(count or workers()), "--log-level", "warning"],
        cwd=site_of(env), env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn on port {port} exited with {server.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    sys.exit(f"gunicorn on port {port} did not start")


class Worker:
    """A Celery worker on the environment's broker, both queues, one process: tasks run as in
    production rather than inline in the web process. It logs at INFO (as the Procfile's) to
    var/bench-logs/<name>.log, which tells when it is ready and how many tasks it ran."""

    def __init__(self, env: dict[str, str], name: str) -> None:
        logs = ROOT / "var" / "bench-logs"
        logs.mkdir(parents=True, exist_ok=True)
        self.log = logs / f"{name}.log"
        with open(self.log, "w") as log:  # the worker keeps its own copy open
            self.process = subprocess.Popen(
                [str(BIN / "celery"), "-A", "portal", "worker", "-Q", "default,email",
                 "--pool", "solo", "-n", f"{name}@%h", "--loglevel", "INFO",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=site_of(env), env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.pid = self.process.pid
        deadline = time.monotonic() + 90
        while " ready." not in self.log.read_text(errors="ignore"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"the Celery worker {name} did not start: see {self.log}")
            time.sleep(0.3)

    def tasks_run(self) -> int:
        return len(re.findall(r"Task \S+\[[^\]]+\] succeeded", self.log.read_text(errors="ignore")))

    def tasks_failed(self) -> int:
        text = self.log.read_text(errors="ignore")
        return len(re.findall(r"Task \S+\[[^\]]+\] (?:raised|retry)", text))

    def stop(self) -> None:
        stop(self.process)


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def proc_stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of a process and all its descendants, including the
    descendants that already exited and were waited for (counted in their parent)."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := proc_stat(int(entry.name))) is not None:
            stats[int(entry.name)] = stat
            children.setdefault(int(stat[1]), []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += sum(int(v) for v in stats[pid][11:15])  # utime stime cutime cstime
        todo += children.get(pid, [])
    return total / CLOCK_TICKS


# --- Load generation and the machine ---------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(
    url: str, cookie: str, *, duration: float, connections: int, script: Path | None = None
) -> dict[str, float]:
    """wrk's figures for ``url``; with a Lua ``script`` (say, bench/search_words.py's, which
    asks new words on every request) the script chooses each request's path."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }


def machine() -> str:
    import django

    cores = os.cpu_count()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    db = os.environ.get("DATABASE_URL", "").split("://")[0] or "sqlite"
    wrk_version = ""
    if shutil.which("wrk"):
        wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return (
        f"{platform.machine()}, {cores} cores{memory}; Python {platform.python_version()}, "
        f"Django {django.get_version()}; database: {db}; load: "
        f"{wrk_version.split(chr(10))[0].strip() or 'Python threads'}"
    )


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"
