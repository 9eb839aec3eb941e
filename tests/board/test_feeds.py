"""RSS and Atom feeds of open openings, filterable by role and language."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from portal.accounts.models import Language, Role
from portal.board.models import OpeningStatus
from tests.board.factories import OpeningFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314  (our own feed, produced by the test itself)


def rss_titles(client, **params) -> list[str]:
    response = client.get(reverse("board:feed_rss"), params)
    assert response["Content-Type"].startswith("application/rss+xml")
    root = parse(response.content)
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(client, **params) -> list[str]:
    response = client.get(reverse("board:feed_atom"), params)
    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


@pytest.fixture
def openings(channel):
    spanish = Language.objects.get(code="es")
    host = Role.objects.get(slug="community-host")
    OpeningFactory(channel=channel, title="Enforcer")
    OpeningFactory(channel=channel, title="Spanish host", roles=[host], languages=[spanish])
    for status in ["draft", "paused", "filled", "closed", "expired", "removed"]:
        OpeningFactory(channel=channel, title=f"{status} one", status=status)


def test_the_rss_feed_lists_open_openings_only(client, openings):
    assert sorted(rss_titles(client)) == [
        "Enforcer · Night Owl Radio",
        "Spanish host · Night Owl Radio",
    ]


def test_the_atom_feed_lists_open_openings_only(client, openings):
    assert sorted(atom_titles(client)) == [
        "Enforcer · Night Owl Radio",
        "Spanish host · Night Owl Radio",
    ]


def test_feeds_filter_by_role_and_language(client, openings):
    assert rss_titles(client, role="community-host") == ["Spanish host · Night Owl Radio"]
    assert atom_titles(client, language="es") == ["Spanish host · Night Owl Radio"]
    assert rss_titles(client, role="chat-enforcer", language="es") == []
    assert rss_titles(client, role="no-such-role") == []


def test_an_item_links_to_the_opening_and_carries_its_roles_and_sanitized_text(client, channel):
    opening = OpeningFactory(channel=channel, description="Be <script>kind</script> **always**")
    root = parse(client.get(reverse("board:feed_rss")).content)
    [item] = root.iter("item")
    assert item.findtext("link").endswith(opening.get_absolute_url())
    assert [c.text for c in item.iter("category")] == ["Chat Enforcer"]
    description = item.findtext("description")
    assert "<strong>always</strong>" in description and "<script>" not in description


def test_the_board_links_to_feeds_with_its_role_and_language(client, openings):
    page = client.get(reverse("board:index"), {"role": "community-host", "q": "x"})
    assert '/board/feed/rss/?role=community-host"' in page.content.decode()


def test_a_paused_opening_leaves_the_feed(client, channel):
    opening = OpeningFactory(channel=channel, title="Soon paused")
    assert rss_titles(client) == ["Soon paused · Night Owl Radio"]
    opening.status = OpeningStatus.PAUSED
    opening.save()
    assert rss_titles(client) == []
