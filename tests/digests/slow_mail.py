"""A mail backend for the worker test: waits like a real server would, then writes each
message to its own file (one file per message, so the test can count them)."""

import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

SEND_SECONDS = 0.4


class SlowFileBackend(BaseEmailBackend):
    def __init__(self, *, file_path: str, **kwargs):
        super().__init__(**kwargs)
        self.folder = Path(file_path)

    def send_messages(self, messages) -> int:
        for message in messages:
            time.sleep(SEND_SECONDS)
            name = self.folder / f"{uuid.uuid4().hex}.eml"
            name.write_bytes(message.message().as_bytes())
        return len(messages)
