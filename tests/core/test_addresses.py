"""Addresses that cannot be right get a 400 with a reason, on every URL pattern: walked from
the resolver, so a page added later is covered without anyone remembering to add it."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

pytestmark = pytest.mark.django_db

_CONVERTER = re.compile(r"<[^>]+>")
_REGEX_SPECIAL = re.compile(r"[\^$()\[\]?*+{}|\\]")


def _example(pattern, hole: str) -> str:
    """A path this pattern would match if ``hole`` were a fair value for each parameter."""
    if isinstance(pattern, RoutePattern):
        return _CONVERTER.sub(hole, str(pattern))
    # A regular expression (re_path): its literal start, then the hole.
    literal = _REGEX_SPECIAL.split(str(pattern.regex.pattern).lstrip("^"), maxsplit=1)[0]
    return literal + (hole + "/" if literal != str(pattern.regex.pattern).lstrip("^") else "")


def every_address(hole: str) -> list[str]:
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            here = prefix + _example(entry.pattern, hole)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, here)
            elif isinstance(entry, URLPattern):
                found.append("/" + here)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def test_the_walk_finds_the_sites_pages():
    addresses = every_address("%00")
    assert len(addresses) > 50
    assert "/people/%00/" in addresses and "/board/feed/rss/" in addresses


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_a_nul_in_any_path_or_query_value_is_a_400_with_a_reason(client, user, signed_in):
    if signed_in:
        client.force_login(user)
    refused = []
    for address in every_address("%00"):
        if "%00" not in address:
            address += "?role=%00&language=%00&page=%01&q=%1b"
        response = client.get(address)
        assert response.status_code == 400, address
        refused.append(address)
    assert b"control character" in response.content
    assert len(refused) == len(every_address("%00"))


def test_tabs_and_line_breaks_in_a_search_are_still_searched(client):
    assert client.get("/forums/search/?q=timeout%09ban%0Aladder").status_code == 200
    assert client.get("/guides/search/?q=timeout%0D%0Aban").status_code == 200


def test_a_control_character_in_a_query_name_is_refused(client):
    assert client.get("/board/?ro%00le=x").status_code == 400


def test_an_address_longer_than_any_page_of_ours_is_a_414(client, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    # A megabyte search reached the admin's lists, where SQLite refuses a LIKE that long.
    response = client.get("/admin/accounts/user/", {"q": "moderation " * 100_000})
    assert response.status_code == 414
    assert b"longer than 8,000 characters" in response.content
    assert client.get("/forums/search/", {"q": "x" * 8_000}).status_code == 414
    assert client.get("/admin/accounts/user/", {"q": "x" * 7_900}).status_code == 200
