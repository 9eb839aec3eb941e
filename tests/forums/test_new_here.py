""" "New here" is shown only beside people who really are new: an account of the last week
with fewer than NEW_HERE_POSTS published posts (portal.forums.selectors.posts.is_new_here)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.forums.models import Status
from portal.forums.selectors.posts import NEW_HERE_POSTS, is_new_here
from tests.factories import UserFactory
from tests.forums.factories import PostFactory, SettledUserFactory, TopicFactory, reply
from tests.forums.pages import page_text, signed_in

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def joined(days_ago: float):
    return UserFactory.build(date_joined=NOW - timedelta(days=days_ago))


def test_new_here_needs_a_new_account_and_few_posts():
    assert is_new_here(joined(1), published_posts=0, now=NOW)
    assert is_new_here(joined(6.9), published_posts=NEW_HERE_POSTS - 1, now=NOW)
    assert not is_new_here(joined(1), published_posts=NEW_HERE_POSTS, now=NOW)
    assert not is_new_here(joined(8), published_posts=0, now=NOW)


def _badge_beside(topic) -> bool:
    page = page_text(signed_in(SettledUserFactory()), topic.get_absolute_url())
    return '<span class="badge badge-new">New here</span>' in page


def test_a_newcomers_first_reply_shows_new_here():
    topic = TopicFactory()
    newcomer = UserFactory(date_joined=timezone.now() - timedelta(days=2))
    reply(topic, newcomer)
    assert _badge_beside(topic)


def test_a_new_account_that_posted_plenty_is_not_new_here():
    topic = TopicFactory()
    newcomer = UserFactory(date_joined=timezone.now() - timedelta(days=2))
    for _ in range(NEW_HERE_POSTS):
        reply(topic, newcomer)
    assert not _badge_beside(topic)


def test_held_posts_do_not_count_towards_settling_in():
    topic = TopicFactory()
    newcomer = UserFactory(date_joined=timezone.now() - timedelta(days=2))
    reply(topic, newcomer)
    PostFactory.create_batch(NEW_HERE_POSTS, topic=topic, author=newcomer, status=Status.HELD)
    assert _badge_beside(topic)


def test_an_old_account_with_no_posts_is_not_new_here():
    topic = TopicFactory()
    reply(topic, SettledUserFactory())
    assert not _badge_beside(topic)
