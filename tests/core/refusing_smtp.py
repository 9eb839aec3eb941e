"""A real SMTP server on a free port that refuses every connection, as a mail server does
when it is overloaded or in maintenance ("554 … service not available"). Only the mail server
is fake: Django's own SMTP backend talks to it over a socket."""

from __future__ import annotations

import socket
import threading


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
        self.listener.close()


LOCMEM_MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
