"""The header's search page: one box on every page, results grouped by kind with a tab per
kind, plain-text snippets, help instead of errors, and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from portal.forums import services
from tests.board.factories import OpeningFactory
from tests.forums.factories import PostFactory, SettledUserFactory, TopicFactory

pytestmark = pytest.mark.django_db


def search(client, words):
    response = client.get(reverse("search:results"), {"q": words})
    assert response.status_code == 200
    return response


def test_every_page_has_the_search_box_in_its_header(client):
    page = client.get(reverse("home")).content.decode()
    assert 'role="search" method="get" action="/search/"' in page
    assert 'name="q"' in page


def test_results_are_grouped_by_kind_each_with_its_own_tab(client):
    TopicFactory(title="Backseat gamers in a speedrun", opening__body="How to calm backseaters?")
    OpeningFactory(title="Backseat-free chat needs a mod")
    services.search_index_rebuild()
    response = search(client, "backseat")
    groups = [group.kind for group in response.context["groups"]]
    assert groups == ["forums", "openings"]  # nothing in the (empty) guides
    page = response.content.decode()
    for tab in ("/guides/search/?q=backseat", "/forums/search/?q=backseat", "/board/?q=backseat"):
        assert f'href="{tab}"' in page
    assert "/board/moderators/?q=" not in page  # the directory is for signed-in members
    # Each kind's own page is its tab, with the same tabs to come back.
    forums = client.get(reverse("forums:search"), {"q": "backseat"}).content.decode()
    assert 'href="/search/?q=backseat"' in forums and 'aria-current="page">Forums<' in forums


def test_a_signed_in_member_also_finds_moderators(client):
    person = SettledUserFactory(username="nightowl")
    profile = person.profile
    profile.display_name, profile.open_to_moderating, profile.is_public = "Night Owl", True, True
    profile.save()
    client.force_login(SettledUserFactory())
    response = search(client, "night owl")
    assert [group.kind for group in response.context["groups"]] == ["people"]
    assert "<mark>Night</mark> <mark>Owl</mark>" in response.content.decode()


def test_snippets_are_plain_text_with_the_words_marked(client):
    TopicFactory(
        title="Raid etiquette",
        opening__body="**Bold** advice: [read this](https://example.com/raids) before a raid.",
    )
    services.search_index_rebuild()
    for url in (reverse("search:results"), reverse("forums:search")):
        page = client.get(url, {"q": "advice"}).content.decode()
        assert "<mark>advice</mark>" in page
        assert (
            "**Bold**" not in page
            and "[read this](" not in page
            and "https://example.com" not in page
        )
        assert "Bold <mark>advice</mark>: read this before a raid" in page


@pytest.mark.parametrize("words", ["", "a", "??"])
def test_nothing_to_search_for_gets_help_not_an_error(client, words):
    TopicFactory(title="Timeout or ban for a first-time backseater?")
    page = search(client, words).content.decode()
    assert "errorlist" not in page
    assert "Type a word or two" in page and "Popular in the forums" in page


def test_a_search_that_finds_nothing_gets_help(client):
    TopicFactory(title="Timeout or ban for a first-time backseater?")
    page = search(client, "zzyzx").content.decode()
    assert "Nothing matches “zzyzx”" in page and "first-time backseater" in page


# A signed-in member's header search, whatever the data size (the session comes from the
# cache): the person (1); guides (1); forum moderator? (1); forums: on PostgreSQL planning
# for the words (1), candidates (1) and the page's posts (1), on SQLite count (1) and page
# (1); openings (1); people (1).
HEADER_SEARCH = 8 if settings.IS_POSTGRES else 7


def test_a_search_costs_the_same_whatever_the_data(client, assert_queries):
    """Prevents an N+1 over any kind's results."""
    client.force_login(SettledUserFactory())
    topic = TopicFactory(title="Banana stories")
    for size in (2, 40):
        for i in range(size):
            PostFactory(topic=topic, body=f"Banana story {i}")
            OpeningFactory(title=f"Banana channel {i}")
        services.search_index_rebuild()
        search(client, "banana")  # the session is now cached
        with assert_queries(HEADER_SEARCH):
            response = search(client, "banana")
        assert len(response.context["groups"]) == 2
