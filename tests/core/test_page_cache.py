"""Anonymous visitors get whole pages kept for a minute; everyone else gets their own page
(portal/core/anonymous_cache.py)."""

import pytest
import time_machine
from django.urls import reverse

from tests.forums.factories import SettledUserFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIFETIME = 60


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.ANONYMOUS_PAGE_CACHE = True


@pytest.fixture
def clock():
    with time_machine.travel("2025-03-01 12:00:00Z", tick=False) as traveller:
        yield traveller


def test_a_second_anonymous_visit_costs_no_query(client, assert_queries):
    topic = TopicFactory()
    first = client.get(topic.get_absolute_url())
    with assert_queries(0):
        again = client.get(topic.get_absolute_url())
    assert again.status_code == 200
    assert again.content == first.content
    # The security headers are still there on a kept page.
    assert "script-src 'self'" in again["Content-Security-Policy"]
    assert again["X-Frame-Options"] == "DENY"


def test_each_address_is_kept_apart_query_string_included(client):
    latest = reverse("forums:latest")
    client.get(latest)
    TopicFactory(title="Raid etiquette")
    assert "Raid etiquette" not in client.get(latest).content.decode()  # kept
    assert "Raid etiquette" in client.get(f"{latest}?page=1").content.decode()


def test_a_reply_reaches_anonymous_readers_once_the_lifetime_has_passed(
    client, clock, django_capture_on_commit_callbacks
):
    """Nothing a write does touches kept pages: the reader sees the reply when their minute
    is up, as on Discourse. The writer, signed in, sees it at once."""
    topic = TopicFactory()
    reader = client.__class__()
    assert "Fresh insight" not in reader.get(topic.get_absolute_url()).content.decode()
    client.force_login(SettledUserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "Fresh insight"}
        )
    assert response.status_code == 302
    assert "Fresh insight" in client.get(topic.get_absolute_url()).content.decode()

    clock.shift(LIFETIME - 1)
    assert "Fresh insight" not in reader.get(topic.get_absolute_url()).content.decode()
    clock.shift(2)
    assert "Fresh insight" in reader.get(topic.get_absolute_url()).content.decode()


def test_signed_in_people_never_get_a_kept_page(client, user):
    client.get("/")  # an anonymous visit keeps the page
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "Your next step" in page and "Sign up" not in page


def test_a_signed_in_page_is_never_kept_for_visitors(client, user):
    topic = TopicFactory()
    signed_in = client.__class__()
    signed_in.force_login(user)
    signed_in.get(topic.get_absolute_url())
    page = client.get(topic.get_absolute_url()).content.decode()
    assert user.username not in page and "Log out" not in page


def test_a_visitor_with_a_flash_message_gets_it_not_the_kept_page(client, user):
    client.get("/")
    client.force_login(user)
    response = client.post(reverse("account_logout"), follow=True)
    assert "You have signed out" in response.content.decode()


@pytest.mark.urls("tests.core.anonymous_pages")
@pytest.mark.parametrize(
    "path",
    [
        "/sets-a-cookie/",
        "/uses-a-csrf-token/",
        "/starts-a-session/",
        "/flashes-a-message/",
        "/not-found/",
        "/says-private/",
        "/email/plain/",
        "/accounts/plain/",
    ],
)
def test_pages_that_are_not_the_same_for_every_visitor_are_not_kept(client, path):
    first = client.__class__().get(path)
    again = client.__class__().get(path)
    assert first.content != again.content
    assert "public" not in again.get("Cache-Control", "")


@pytest.mark.urls("tests.core.anonymous_pages")
def test_a_plain_page_is_kept(client):
    assert client.get("/plain/").content == client.__class__().get("/plain/").content


@pytest.mark.urls("tests.core.anonymous_pages")
def test_switched_off_every_visit_is_rendered(client, settings):
    settings.ANONYMOUS_PAGE_CACHE = False
    first = client.get("/plain/")
    assert first.content != client.get("/plain/").content
    assert "public" not in first.get("Cache-Control", "")


def test_anonymous_pages_say_who_may_keep_them_and_for_how_long(client, clock):
    first = client.get("/")
    assert first["Cache-Control"] == f"public, max-age={LIFETIME}"
    assert "Cookie" in first["Vary"]
    assert first["ETag"]
    clock.shift(20)
    kept = client.get("/")
    # What is left of the minute, so a CDN in front never keeps it past the lifetime.
    assert kept["Cache-Control"] == f"public, max-age={LIFETIME - 20}"
    assert kept["ETag"] == first["ETag"]
    assert "Cookie" in kept["Vary"]


def test_signed_in_pages_stay_private(client, user):
    client.force_login(user)
    response = client.get("/")
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_matching_if_none_match_gets_a_304_without_a_query(client, assert_queries):
    etag = client.get("/")["ETag"]
    with assert_queries(0):
        response = client.get("/", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert client.get("/", headers={"if-none-match": '"stale"'}).status_code == 200


def test_a_write_keeps_the_kept_pages(client, user, assert_queries):
    """A signed-in write, a refused one or a stranger's failed login: none of them empties the
    cache, so no one can make every visitor's next page cost a rendering."""
    client.get("/")
    stranger = client.__class__()
    stranger.post(reverse("account_login"), {"login": "nobody", "password": "wrong"})
    writer = client.__class__()
    writer.force_login(user)
    response = writer.post(reverse("board:channel_edit", kwargs={"slug": "not-mine"}), {})
    assert response.status_code == 404
    with assert_queries(0):
        assert client.get("/").status_code == 200
