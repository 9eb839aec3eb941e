"""Services of a fault test's own: a redis-server and an SMTP server, on free ports.

Used by bench/faults.py and by tests/faults/, which must never stop, hang or touch the
machine's own Redis: they start these instead, hang or kill them, and look at what the
portal does.
"""

from __future__ import annotations

import contextlib
import email.header
import re
import signal
import socket
import socketserver
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, seconds: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())


class OwnRedis:
    """A redis-server of our own, in ``workdir``. No automatic persistence: ``snapshot()`` writes
    dump.rdb when a case wants Redis back with its old data, and ``start(fresh=True)``
    removes it for a Redis that comes back empty."""

    def __init__(self, workdir: Path) -> None:
        self.dir = workdir / "redis"
        self.dir.mkdir()
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self, *, fresh: bool) -> None:
        if fresh:
            (self.dir / "dump.rdb").unlink(missing_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.dir), "--dbfilename", "dump.rdb", "--save", "",
             "--appendonly", "no", "--logfile", str(self.dir / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if not wait_until(self.ping, 10):
            raise RuntimeError(f"redis-server did not start: see {self.dir / 'redis.log'}")

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True, timeout=5
        )

    def ping(self) -> bool:
        try:
            return self.cli("ping").stdout.strip() == "PONG"
        except subprocess.TimeoutExpired:
            return False

    def keys(self, db: int) -> int:
        return int(self.cli("-n", str(db), "dbsize").stdout.strip() or 0)

    def snapshot(self) -> None:
        if self.cli("save").stdout.strip() != "OK":
            raise RuntimeError("redis SAVE failed")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def hang(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(10)


@dataclass
class Try:
    at: float  # monotonic
    to: str
    subject: str
    answer: int


class MailServer(socketserver.ThreadingTCPServer):
    """Just enough SMTP for Django's backend: it records every message and every refusal.
    ``refuse(code, seconds)`` answers every recipient with ``code`` for a while (451 "try
    later" or 550 "refused"); ``delay`` makes each accepted message take that long, as a real
    server's round trips do."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpSession)
        self.port = self.server_address[1]
        self.tries: list[Try] = []
        self.lock = threading.Lock()
        self.refusing_until = 0.0
        self.refusal = 451
        self.delay = 0.0
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def refuse(self, code: int, seconds: float) -> None:
        self.refusal, self.refusing_until = code, time.monotonic() + seconds

    def answer(self) -> int:
        return self.refusal if time.monotonic() < self.refusing_until else 250

    def record(self, to: str, subject: str, answer: int) -> None:
        with self.lock:
            self.tries.append(Try(time.monotonic(), to, subject, answer))

    def delivered(self, to: str | None = None, subject: str = "") -> list[Try]:
        with self.lock:
            return [
                t for t in self.tries
                if t.answer == 250 and (to is None or t.to == to) and subject in t.subject
            ]  # fmt: skip

    def refused(self, to: str) -> list[Try]:
        with self.lock:
            return [t for t in self.tries if t.answer != 250 and t.to == to]


class _SmtpSession(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        # A client that dies mid-message (a killed worker) is part of the test, not an error.
        with contextlib.suppress(ConnectionError):
            self.converse()

    def converse(self) -> None:
        server: MailServer = self.server
        self.reply("220 faults.localhost ESMTP")
        recipients: list[str] = []
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                self.reply("250-faults.localhost")
                self.reply("250-8BITMIME")
                self.reply("250 SMTPUTF8")
            elif verb == "HELO":
                self.reply("250 faults.localhost")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                to = re.search(r"<([^>]*)>", line).group(1)
                answer = server.answer()
                if answer == 250:
                    recipients.append(to)
                    self.reply("250 OK")
                else:
                    server.record(to, "", answer)
                    self.reply("451 4.3.0 try again later" if answer < 500 else "550 5.7.1 refused")
            elif verb == "DATA":
                self.reply("354 go on")
                lines = []
                for data in self.rfile:
                    if data in (b".\r\n", b".\n"):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                if server.delay:
                    time.sleep(server.delay)
                message = email.message_from_bytes(b"".join(lines))
                subject = str(email.header.make_header(email.header.decode_header(
                    message.get("Subject", ""))))  # fmt: skip
                for to in recipients:
                    server.record(to, subject, 250)
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # RSET, NOOP
                self.reply("250 OK")
