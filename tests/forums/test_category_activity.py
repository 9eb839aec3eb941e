"""The forum index reads each category's published-topic count and latest published topic
from the category itself (services.category_stats_refresh keeps them): these tests follow the
numbers through every way a topic comes and goes."""

import pytest
from django.urls import reverse

from portal.forums import services
from portal.forums.models import Category, Status, Topic
from tests.forums.factories import tough_calls

pytestmark = pytest.mark.django_db


def activity(slug: str) -> tuple[int, Topic | None]:
    category = Category.objects.select_related("latest_topic").get(slug=slug)
    return category.topic_count, category.latest_topic


def start(author, title: str, body: str = "What would you have done here, and why?") -> Topic:
    return services.topic_create(author=author, category=tough_calls(), title=title, body=body)


def test_the_index_numbers_follow_publish_hold_reply_hide_move_and_delete(member, moderator):
    assert activity("tough-calls") == (0, None)
    first = start(moderator, "The first topic")
    assert activity("tough-calls") == (1, first)

    held = start(member, "A topic that waits", body="Someone called me a zorblax today.")
    assert held.status == Status.HELD
    assert activity("tough-calls") == (1, first), "a held topic is not counted"

    second = start(moderator, "The second topic")
    assert activity("tough-calls") == (2, second)

    services.post_create(author=member, topic=first, body="A reply brings it back to the top.")
    assert activity("tough-calls") == (2, first)

    held_opening = held.posts.get()
    services.post_approve(post=held_opening, moderator=moderator)
    assert activity("tough-calls") == (3, held)

    services.post_hide(post=held_opening, moderator=moderator, reason="Off topic")
    assert activity("tough-calls") == (2, first)

    services.post_unhide(post=held_opening, moderator=moderator)
    assert activity("tough-calls") == (3, held)

    wellbeing = Category.objects.get(slug="wellbeing")
    services.topic_move(topic=held, moderator=moderator, category=wellbeing)
    assert activity("tough-calls") == (2, first)
    assert activity("wellbeing") == (1, held)

    services.post_delete(post=first.posts.get(is_opening=True), actor=moderator, reason="Spam")
    assert activity("tough-calls") == (1, second)


def test_the_index_shows_the_kept_numbers(client, moderator):
    topic = start(moderator, "Shown on the index")
    categories = client.get(reverse("forums:index")).context["categories"]
    shown = next(c for c in categories if c.slug == "tough-calls")
    assert (shown.topic_count, shown.latest_topic) == (1, topic)
    assert topic.title in client.get(reverse("forums:index")).content.decode()
