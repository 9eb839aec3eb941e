"""A real SMTP server on a free port that refuses every connection, as a mail server does
when it is overloaded or in maintenance ("554 … service not available"). Only the mail server
is fake: Django's own SMTP backend talks to it over a socket."""

from __future__ import annotations

import contextlib
import socket
import threading
from datetime import timedelta

import time_machine
from django.utils import timezone

from portal.core.models import FailedEmail, OutboxTask
from portal.core.outbox import outbox_flush


class RefusingSMTPServer:
    def __init__(self, reply: bytes = b"554 5.3.2 Service not available, closing channel\r\n"):
        self.reply = reply
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(50)
        self.port = self.listener.getsockname()[1]
        self.refused = 0
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.refused += 1
            with connection:
                connection.sendall(self.reply)

    def mailers(self) -> dict:
        """The MAILERS setting that points Django's SMTP backend at this server."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 2},
            }
        }

    def close(self) -> None:
        # shutdown wakes the thread blocked in accept(); close alone would leave it listening.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()


LOCMEM_MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def follow_the_tries() -> list[timedelta]:
    """Let time pass to each waiting try and flush the outbox, as the beat job would, until
    the email is given up on. Returns the waits between tries."""
    waits = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        while not FailedEmail.objects.exists():
            [waiting] = OutboxTask.objects.all()
            waits.append(waiting.not_before - timezone.now())
            assert outbox_flush() == (0, 1)  # not due yet: it keeps waiting
            clock.move_to(waiting.not_before)
            outbox_flush()
    return waits
