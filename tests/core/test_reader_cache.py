"""The shared part of a page for signed-in readers: built once per class of reader between two
writes, with personal holes filled per request (portal/core/reader_cache.py)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import timezone

from portal.core import reader_cache
from portal.core.page_cache import content_changed


@pytest.fixture
def on(settings):
    settings.READER_PAGE_CACHE = True


def _counting_build(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_a_second_reader_of_the_same_class_gets_the_part_built_once(on):
    build, calls = _counting_build("<p>posts</p>")
    first = reader_cache.shared("topic:1:1", vary=("member",), build=build)
    second = reader_cache.shared("topic:1:1", vary=("member",), build=build)
    assert first == second == "<p>posts</p>"
    assert len(calls) == 1


def test_readers_of_another_class_or_page_get_their_own_part(on):
    build, calls = _counting_build("x")
    reader_cache.shared("topic:1:1", vary=("member",), build=build)
    reader_cache.shared("topic:1:1", vary=("moderator",), build=build)
    reader_cache.shared("topic:1:2", vary=("member",), build=build)
    assert len(calls) == 3


@pytest.mark.django_db
def test_a_write_anywhere_makes_the_next_reader_build_afresh(on):
    build, calls = _counting_build("x")
    reader_cache.shared("topic:1:1", vary=(), build=build)
    content_changed()  # what every successful POST does (portal/core/page_cache.py)
    reader_cache.shared("topic:1:1", vary=(), build=build)
    assert len(calls) == 2


def test_readers_in_another_time_zone_get_their_own_part(on):
    build, calls = _counting_build("x")
    reader_cache.shared("topic:1:1", vary=(), build=build)
    with timezone.override("America/Chicago"):
        reader_cache.shared("topic:1:1", vary=(), build=build)
    assert len(calls) == 2


def test_switched_off_it_builds_every_time(settings):
    settings.READER_PAGE_CACHE = False
    build, calls = _counting_build("x")
    reader_cache.shared("topic:1:1", vary=(), build=build)
    reader_cache.shared("topic:1:1", vary=(), build=build)
    assert len(calls) == 2


def test_fill_puts_each_personal_piece_in_its_hole():
    request = RequestFactory().get("/")
    html = f"<p>{reader_cache.hole('new-count')}</p><p>{reader_cache.hole('post-3.mine')}</p>"
    filled = reader_cache.fill(
        html, {"new-count": "2 new", "post-3.mine": "pressed"}, request=request
    )
    assert filled == "<p>2 new</p><p>pressed</p>"


def test_fill_refuses_a_hole_it_has_no_piece_for():
    request = RequestFactory().get("/")
    with pytest.raises(KeyError):
        reader_cache.fill(f"<p>{reader_cache.hole('mine')}</p>", {}, request=request)


def test_the_csrf_hole_gets_this_requests_token_and_only_when_there_is_one():
    request = RequestFactory().get("/")
    filled = reader_cache.fill(f"<form>{reader_cache.hole('csrf')}</form>", {}, request=request)
    assert 'name="csrfmiddlewaretoken" value="' in filled
    assert request.META.get("CSRF_COOKIE_NEEDS_UPDATE")

    quiet = RequestFactory().get("/")
    reader_cache.fill("<p>no form</p>", {}, request=quiet)
    assert not quiet.META.get("CSRF_COOKIE_NEEDS_UPDATE")


@pytest.mark.parametrize("name", ["", "Has Space", "a-->b", "UPPER"])
def test_a_hole_name_is_plain(name):
    with pytest.raises(ValueError):
        reader_cache.hole(name)


def test_text_from_people_cannot_open_a_hole():
    """Titles and names are escaped and Markdown's output loses its comments, so a person
    cannot place a hole (and have someone else's piece put in their text)."""
    from django.template import Context, Template

    from portal.markup import render_markdown

    typed = "<!--hole:csrf-->"
    escaped = Template("{{ title }}").render(Context({"title": typed}))
    assert "<!--hole" not in escaped
    assert "<!--hole" not in render_markdown(typed)
