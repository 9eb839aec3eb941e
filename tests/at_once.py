"""The same request sent several times at once, as a double click or an impatient retry
sends it: for the double-submit tests (tests/board/test_double_submit.py,
tests/forums/test_double_submit.py).

Each copy goes from its own thread over its own connection to the live test server, which
serves each in a thread of its own with its own database connection, as separate gunicorn
workers would. The threads connect first and then wait at a barrier, so the requests leave
together rather than one connection set-up apart. They are one person's requests from one
browser: the same session and CSRF cookies. Each answer is followed, like a browser, to the
page it redirects to, with the cookies it set (the flash message), so a test reads what the
person is shown.

Only PostgreSQL runs requests at the same time (SQLite writes one at a time, and the test
server shares one in-memory database), so the tests using this skip elsewhere.
"""

from __future__ import annotations

import http.client
import secrets
import threading
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection
from django.test import Client

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="requests at the same time need PostgreSQL (SQLite writes one at a time)",
)


@dataclass
class Answer:
    status: int  # of the POST itself
    location: str  # where it redirected to ("" if it did not)
    page: str  # what the person sees: the redirect's page, or the answer's own body


class Browser:
    """One person's browser against the live server: signed in, with a CSRF cookie."""

    def __init__(self, live_server, user) -> None:
        parts = urlsplit(live_server.url)
        self.host, self.port = parts.hostname, parts.port
        signing_in = Client()
        signing_in.force_login(user)
        self.csrf = secrets.token_hex(16)  # a bare secret is a valid token (Django ≥ 4.1)
        self.cookies = {
            "sessionid": signing_in.cookies["sessionid"].value,
            "csrftoken": self.csrf,
        }

    def _send(
        self, conn: http.client.HTTPConnection, method: str, path: str, form=None, cookies=None
    ) -> tuple[int, str, str, dict[str, str]]:
        jar = {**self.cookies, **(cookies or {})}
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.csrf
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        jar_set = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar_set.load(header)
        return (
            response.status,
            response.headers.get("Location", ""),
            text,
            {name: morsel.value for name, morsel in jar_set.items()},
        )

    def post(self, conn: http.client.HTTPConnection, path: str, form: dict) -> Answer:
        status, location, text, cookies = self._send(conn, "POST", path, form)
        next_status, next_location = status, location
        for _ in range(5):  # to the page at the end of the redirects
            if next_status not in (301, 302, 303) or not next_location:
                break
            page = urlsplit(next_location)._replace(scheme="", netloc="", fragment="")
            next_status, next_location, text, more = self._send(
                conn, "GET", page.geturl(), cookies=cookies
            )
            cookies |= more
        return Answer(status, location, text)

    def connect(self) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        conn.connect()
        return conn


def post_at_once(
    browser: Browser | list[Browser], path: str, form: dict, times: int = 5
) -> list[Answer]:
    """POST ``form`` to ``path`` at once: ``times`` times from one browser, or once from each
    of a list of browsers (different people); every answer, in no order."""
    browsers = browser if isinstance(browser, list) else [browser] * times
    barrier = threading.Barrier(len(browsers))
    answers: list[Answer] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def send(browser: Browser) -> None:
        try:
            conn = browser.connect()
            try:
                barrier.wait(timeout=10)
                answer = browser.post(conn, path, form)
            finally:
                conn.close()
            with lock:
                answers.append(answer)
        except BaseException as exc:  # reported by the test's thread
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=send, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return answers


def statuses(answers: list[Answer]) -> list[int]:
    return sorted(answer.status for answer in answers)
