"""No page accepts a method a browser's form cannot send (portal/core/http_methods.py)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# A value for each path converter, and candidates for a regex group, tried in order.
_BY_CONVERTER = {"int": "1", "uuid": str(uuid.UUID(int=1))}
_CANDIDATES = ("1", "x", "auth", "1-x")
_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?\w+>")
_REGEX_GROUP = re.compile(r"\(\?P<\w+>((?:[^()]|\([^()]*\))*)\)")


def _sample_route(route: str) -> str:
    return _ROUTE_PARAM.sub(lambda m: _BY_CONVERTER.get(m.group("converter"), "x"), route)


def _sample_regex(regex: str) -> str:
    def value(match: re.Match) -> str:
        return next(c for c in _CANDIDATES if re.fullmatch(match.group(1), c))

    return _REGEX_GROUP.sub(value, regex).lstrip("^").rstrip("$")


def _addresses(patterns, prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        raw = str(pattern.pattern)
        piece = _sample_regex(raw) if raw.startswith("^") or "(?P<" in raw else _sample_route(raw)
        if isinstance(pattern, URLResolver):
            yield from _addresses(pattern.url_patterns, prefix + piece)
        else:
            assert isinstance(pattern, URLPattern)
            yield "/" + prefix + piece


ADDRESSES = sorted(set(_addresses(get_resolver().url_patterns)))


def test_the_walk_reaches_every_url_pattern():
    assert len(ADDRESSES) > 200  # the admin's and allauth's too
    for address in ADDRESSES:
        resolve(address)  # raises Resolver404 if the sample missed its pattern


@pytest.fixture(params=["member", "superuser"])
def signed_in(request) -> tuple[Client, str]:
    """A signed-in person (a member, or staff who passes every check) and their CSRF token."""
    person = (
        UserFactory(is_staff=True, is_superuser=True)
        if request.param == "superuser"
        else UserFactory()
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    client.get("/account/profile/")  # a page with a form: sets the CSRF cookie
    return client, client.cookies["csrftoken"].value


@pytest.mark.parametrize("method", ["delete", "put", "patch"])
def test_every_page_refuses_methods_no_form_sends(signed_in, method):
    client, token = signed_in
    answers = {
        address: getattr(client, method)(address, headers={"x-csrftoken": token})
        for address in ADDRESSES
    }
    wrong = {a: r.status_code for a, r in answers.items() if r.status_code != 405}
    assert not wrong
    assert all(r["Allow"] == "GET, HEAD, POST" for r in answers.values())


def test_a_signed_in_delete_of_the_home_page_is_refused(client, user):
    client.force_login(user)
    assert client.delete("/").status_code == 405
    assert client.options("/").status_code == 405
    assert client.get("/").status_code == 200
