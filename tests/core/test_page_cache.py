"""Anonymous visitors' pages come from the cache, and are never stale after a write."""

import pytest
from django.urls import reverse

from portal.core.page_cache import content_changed, generation
from tests.forums.factories import SettledUserFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.ANONYMOUS_PAGE_CACHE = True


def test_a_second_anonymous_visit_costs_no_query(client, assert_queries):
    topic = TopicFactory()
    first = client.get(topic.get_absolute_url())
    with assert_queries(0):
        again = client.get(topic.get_absolute_url())
    assert again.status_code == 200
    assert again.content == first.content
    # The security headers are still there on a cached page.
    assert "script-src 'self'" in again["Content-Security-Policy"]


def test_a_new_reply_shows_at_once_to_the_next_anonymous_reader(
    client, django_capture_on_commit_callbacks
):
    topic = TopicFactory()
    reader = client.__class__()
    assert "Fresh insight" not in reader.get(topic.get_absolute_url()).content.decode()
    client.force_login(SettledUserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "Fresh insight"}
        )
    assert response.status_code == 302
    assert "Fresh insight" in reader.get(topic.get_absolute_url()).content.decode()


def test_signed_in_people_never_get_a_shared_page(client, user, assert_queries):
    client.get("/")  # an anonymous visit fills the cache
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "Your next step" in page and "Sign up" not in page


def test_a_refused_write_keeps_the_cache(client, user):
    from django.core.cache import cache

    from portal.core.page_cache import GENERATION_KEY

    client.get("/")
    before = cache.get(GENERATION_KEY)
    client.force_login(user)
    # Editing a channel that is not yours is a 404: nothing changed, nothing to refresh. (A
    # form shown again with errors does move the generation on: harmless, and simpler.)
    response = client.post(reverse("board:channel_edit", kwargs={"slug": "not-mine"}), {})
    assert response.status_code == 404
    assert cache.get(GENERATION_KEY) == before


def test_pages_that_set_a_cookie_are_not_shared(client):
    client.get(reverse("account_login"))
    assert client.get(reverse("account_login")).cookies.get("csrftoken") is not None


def test_the_expiry_job_refreshes_anonymous_pages():
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from portal.board.services import openings_expire
    from portal.core.page_cache import GENERATION_KEY
    from tests.board.factories import OpeningFactory

    opening = OpeningFactory()
    before = cache.get(GENERATION_KEY)
    assert openings_expire(now=timezone.now()) == 0
    assert cache.get(GENERATION_KEY) == before  # nothing expired: cached pages stay
    assert openings_expire(now=opening.expires_at + timedelta(seconds=1)) == 1
    assert cache.get(GENERATION_KEY) != before


def test_a_strangers_post_leaves_the_cached_pages(client, settings):
    """A failed login (200) or any visitor's POST must not let anyone empty the cache."""
    settings.ANONYMOUS_PAGE_CACHE = True
    before = generation()
    client.post(reverse("account_login"), {"login": "nobody", "password": "wrong"})
    assert generation() == before


def test_a_lost_generation_starts_again_at_a_number_never_used(settings):
    """After the cache loses the generation (evicted, flushed), pages kept under an earlier
    number must never match again: it restarts at a fresh, larger number, not at 0 or 1."""
    from django.core.cache import cache

    from portal.core.page_cache import GENERATION_KEY

    first = generation()
    cache.delete(GENERATION_KEY)
    assert generation() > first
    cache.delete(GENERATION_KEY)
    content_changed()
    assert generation() > first
