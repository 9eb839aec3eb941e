"""The glossary: guides/GLOSSARY.md, loaded by sync_guides and linked from every lesson."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.guides.library import RESERVED_TRACK_SLUGS, LibraryError, load_library
from portal.guides.models import LibraryPage
from tests.guides.conftest import GLOSSARY, sync, write_glossary, write_track

pytestmark = pytest.mark.django_db

URL = "/guides/glossary/"


def test_sync_loads_the_glossary_rendered_once(library):
    page = LibraryPage.objects.get(slug="glossary")
    assert page.title == "Glossary" and page.source_path == "GLOSSARY.md"
    assert "<strong>Timeout</strong>" in page.body_html and "<code>/timeout name 600</code>" in (
        page.body_html
    )
    assert page.toc == [{"level": 2, "anchor": "t", "title": "T"}]
    assert '<h2 id="t">T</h2>' in page.body_html  # anchors lessons can link to


def test_the_glossary_page_shows_it(client, library):
    response = client.get(URL)
    text = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="page-title">Glossary</h1>' in text and "<strong>Timeout</strong>" in text
    assert 'href="#t"' in text  # its table of contents
    assert 'href="/guides/chat-enforcer/warn-timeout-ban/"' in text


def test_every_lesson_page_links_to_the_glossary(client, user, library):
    for lesson in (library.ladder, library.queue, library.basics, library.rules):
        assert f'href="{URL}"' in client.get(lesson.get_absolute_url()).content.decode()
    client.force_login(user)
    assert f'href="{URL}"' in client.get(library.ladder.get_absolute_url()).content.decode()
    assert f'href="{URL}"' in client.get("/guides/").content.decode()


def test_a_changed_glossary_shows_at_once_and_an_unchanged_one_is_not_rewritten(client, library):
    assert not sync(library.dir).changed
    client.get(URL)
    write_glossary(library.dir, GLOSSARY.replace("for a while", "for up to two weeks"))
    report = sync(library.dir)
    assert report.pages_updated == ["glossary"] and report.changed
    assert "for up to two weeks" in client.get(URL).content.decode()


def test_the_glossary_is_404_until_loaded(client, db):
    assert client.get(URL).status_code == 404


def test_glossary_is_not_a_track_name(library_dir):
    assert "glossary" in RESERVED_TRACK_SLUGS
    write_track(library_dir, "glossary", role="chat-enforcer")
    with pytest.raises(LibraryError) as raised:
        load_library(library_dir)
    assert "“glossary” is the address of a page on /guides/" in str(raised.value)


PROBLEMS = {
    "missing": (None, "GLOSSARY.md: this file is missing: every lesson page links to it."),
    "no title": ("## A\n\n**AutoMod**: holds messages.\n", "start the file with its title"),
    "a second title": ("# Glossary\n\n# More\n\nText.\n", "only the title is a “#” heading"),
    "empty": ("# Glossary\n\n", "GLOSSARY.md: the file has no text after its title."),
}


@pytest.mark.parametrize("case", PROBLEMS.values(), ids=PROBLEMS.keys())
def test_check_validates_the_glossary(library_dir, case):
    text, expected = case
    if text is None:
        (library_dir / "GLOSSARY.md").unlink()
    else:
        write_glossary(library_dir, text)
    with pytest.raises(CommandError) as raised:
        call_command("sync_guides", "--path", str(library_dir), "--check", stdout=StringIO())
    assert expected in str(raised.value)
    assert not LibraryPage.objects.exists()


def test_a_broken_link_in_the_glossary_is_warned_about(library_dir):
    write_glossary(library_dir, GLOSSARY + "\nSee [nothing](/guides/start-here/nothing/).\n")
    assert load_library(library_dir).warnings == [
        "GLOSSARY.md: the link /guides/start-here/nothing/ goes to no lesson in the library."
    ]
