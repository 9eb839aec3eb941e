"""Helpers for the tests of the forums' pages: a reader's page as text, and the keys their
cached fragments are kept under, spelled as the templates spell them (templates/forums/
topic.html, includes/topic_rows.html, index.html), so a test can say "this fragment was kept"
or "this one got a new key"."""

from __future__ import annotations

import re

from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.test import Client

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def page_text(client: Client, url: str) -> str:
    """The page as text, with the per-request CSRF token masked."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return _CSRF.sub('name="csrfmiddlewaretoken" value="…"', response.content.decode())


def post_keys(response) -> dict[int, str]:
    """The cache key of each post's own part on a topic page, by post."""
    return {
        post.pk: make_template_fragment_key(
            "forum-post-4",
            [
                *(post.pk, post.version, post.is_accepted, post.author_stamp),
                *(post.reader_actions, "en"),
            ],
        )
        for post in response.context["view"].posts
    }


def row_keys(response, *, show_category: bool) -> dict[int, str]:
    """The cache key of each topic row's own part on a list page, by topic."""
    return {
        topic.pk: make_template_fragment_key(
            "forum-topic-row",
            [
                topic.pk,
                topic.version,
                show_category if show_category else "",
                topic.category.version,
                topic.author_updated_at,
                topic.last_post_by_updated_at or "",
            ],
        )
        for topic in response.context["page"].object_list
    }


def category_row_keys(response) -> dict[str, str]:
    """The cache key of each category row of the forum index, by category slug."""
    return {
        category.slug: make_template_fragment_key(
            "forum-category-row",
            [
                category.pk,
                category.version,
                category.topic_count,
                category.latest_topic_id,
                category.latest_topic.version if category.latest_topic else "",
            ],
        )
        for category in response.context["categories"]
    }


def kept(keys) -> bool:
    """Whether every one of these fragments is in the cache."""
    fragments = caches["fragments"]
    return all(fragments.get(key) is not None for key in keys)
