"""A write while the database is down keeps what the person typed (a 503 with Retry-After
and their text in a form that sends it again), and errors reach the site's admins.

The database being down is simulated where the outside world meets the code: the database
connection's cursor raises OperationalError, as psycopg does when PostgreSQL is away. (A
real PostgreSQL stopped under a running portal is bench/faults.py's.)
"""

from __future__ import annotations

import html
import re
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core import mail
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from portal.core import database_away
from tests.forums.factories import SettledUserFactory, TopicFactory
from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db

ADMINS = ["Night Ops <ops@modhall.example>"]


@contextmanager
def database_down():
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=refused):
        yield


@pytest.fixture(autouse=True)
def _fresh_outage(settings, monkeypatch):
    settings.ADMINS = ADMINS
    monkeypatch.setattr(database_away, "_told_at", None)


@pytest.fixture
def browser():
    """A visitor's browser: it gets the page a server error makes, not the exception."""
    return Client(raise_request_exception=False)


def fields_of(response) -> dict[str, str]:
    text = response.content.decode()
    found = {}
    for name, value in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', text, re.S
    ):
        found[name] = html.unescape(value)
    for tag in re.findall(r"<input[^>]*>", text):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            found[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return found


def test_a_reply_sent_while_the_database_is_down_comes_back_filled_in(browser):
    member = SettledUserFactory()
    topic = TopicFactory()
    browser.force_login(member)
    address = f"/forums/t/{topic.pk}/-/reply/"
    typed = "Here is what I would do:\n\n1. A warning first & a timeout after <b>that</b>."
    with database_down():
        response = browser.post(address, {"body": typed, "csrfmiddlewaretoken": "x"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "nothing you sent was saved" in page
    assert re.search(rf'<form method="post" action="{re.escape(address)}">', page)
    assert fields_of(response)["body"] == typed
    assert "<b>that</b>" not in page  # shown as text, never as markup


def test_choices_travel_back_hidden_and_passwords_never_come_back(browser):
    with database_down():
        response = browser.post(
            "/accounts/login/",
            {"login": "night_owl_mod", "password": "my secret passphrase", "remember": "on"},
        )
    assert response.status_code == 503
    fields = fields_of(response)
    assert fields["login"] == "night_owl_mod" and fields["remember"] == "on"
    assert "password" not in fields
    assert "my secret passphrase" not in response.content.decode()


def test_a_page_read_while_the_database_is_down_is_a_503_to_retry(browser):
    with database_down():
        response = browser.get("/forums/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"<form" not in response.content


def test_admins_are_told_of_an_outage_once_not_on_every_request(browser):
    with database_down():
        for _ in range(5):
            assert browser.get("/forums/latest/").status_code == 503
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ADMINS
    assert "database is not answering" in mail.outbox[0].subject


def test_a_server_error_reaches_the_admins_as_its_page_says(browser):
    with mock.patch("portal.core.views._run_checks", side_effect=RuntimeError("a bug")):
        response = browser.get("/healthz")
    assert response.status_code == 500
    assert b"we have been told" in response.content
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ADMINS
    assert "RuntimeError" in mail.outbox[0].body


def test_admins_come_from_the_environment():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.ADMINS)",
        env={"ADMINS": "Night Ops <ops@modhall.example>,dana@modhall.example"},
    )
    assert result.stdout.strip().splitlines()[-1] == (
        "['Night Ops <ops@modhall.example>', 'dana@modhall.example']"
    ), result.stderr
