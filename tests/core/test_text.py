"""Text people type never breaks a page for someone else: every form refuses control
characters (and line breaks in one-line fields) beside the field, and feeds and emails clean
whatever still reaches them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import xml.etree.ElementTree as ET

import pytest
from django import forms
from django.apps import apps
from django.core import mail
from django.urls import reverse

import portal
from portal.board.models import Opening
from portal.core.forms import PlainTextFields
from portal.core.text import clean_stored_text, cleaned, one_line, whole_number
from portal.digests.mail import send_email
from portal.forums.forms import TopicForm
from portal.forums.models import Topic
from tests.board.factories import OpeningFactory
from tests.forums.factories import SettledUserFactory, tough_calls

pytestmark = pytest.mark.django_db


def portal_forms() -> list[type]:
    found = []
    for module_info in pkgutil.walk_packages(portal.__path__, "portal."):
        if ".migrations" in module_info.name or not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.append(value)
    return found


def test_every_form_of_the_portal_has_the_text_rules():
    found = portal_forms()
    assert len(found) > 25
    assert [form.__name__ for form in found if not issubclass(form, PlainTextFields)] == []


@pytest.mark.parametrize("bad", ["\x01", "\x07", "\x1b[31m", "\x7f"])
def test_a_control_character_is_an_error_beside_the_field(bad):
    form = TopicForm({"title": f"Timeout or ban{bad}?", "body": f"Which is right{bad}?"})
    assert not form.is_valid()
    assert "control character" in form.errors["title"][0]
    assert "control character" in form.errors["body"][0]


def test_a_nul_is_refused_in_djangos_own_words():
    form = TopicForm({"title": "Timeout or ban\x00?", "body": "Which is right?"})
    assert form.errors["title"] == ["Null characters are not allowed."]


def test_a_one_line_field_refuses_a_line_break_and_a_paragraph_keeps_it():
    form = TopicForm({"title": "Timeout\nor ban?", "body": "First line.\r\n\tSecond line."})
    assert not form.is_valid()
    assert form.errors["title"] == ["Please keep this on one line."]
    assert "body" not in form.errors


def test_a_refused_topic_writes_nothing(client):
    tough_calls()
    client.force_login(SettledUserFactory())
    response = client.post(
        reverse("forums:topic_create", kwargs={"slug": "tough-calls"}),
        {"title": "A title\x0bwith a vertical tab", "body": "A body long enough."},
    )
    assert response.status_code == 200
    assert 'id="id_title_error"' in response.content.decode()
    assert not Topic.objects.exists()


def test_a_control_character_already_stored_never_takes_the_feeds_down(client):
    OpeningFactory(title="Night\x0b shift\nmods", channel__name="Cozy\x01Corner")
    for name in ("board:feed_rss", "board:feed_atom"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
        titles = [element.text for element in root.iter() if element.tag.endswith("title")]
        assert "Night shift mods · CozyCorner" in titles


def test_an_email_about_a_title_with_a_line_break_is_still_sent(user):
    sent = send_email(
        user=user,
        kind="new_applications",
        subject="New application to “Night\nshift”",
        template="base",
        context={},
    )
    assert sent
    assert mail.outbox[0].subject.endswith("New application to “Night shift”")


def test_the_data_migration_cleans_what_was_stored():
    opening = OpeningFactory(title="Night\x0b shift\nmods", description="Kind\x07 chat.\nBe nice.")
    clean_stored_text(apps, None, app_label="board")
    opening = Opening.objects.get(pk=opening.pk)
    assert opening.title == "Night shift mods"
    assert opening.description == "Kind chat.\nBe nice."


def test_cleaning_keeps_tabs_and_line_breaks_in_paragraphs():
    assert cleaned("a\tb\nc\r\nd\x00e") == "a\tb\nc\r\nde"
    assert one_line("  a\nb\u2028c\x1f ") == "a b c"


@pytest.mark.parametrize(
    ("text", "number"),
    [("42", 42), ("007", 7), ("²", None), ("٣", None), ("", None), ("-1", None), ("9" * 19, None)],
)
def test_a_whole_number_is_ascii_digits_of_a_size_a_key_holds(text, number):
    assert whole_number(text) == number
