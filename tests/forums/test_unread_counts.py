"""The forum index tells a signed-in reader how many topics in each category hold posts they
have not read (selectors.unread_by_category), as the topic lists mark them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.forums.models import Category, ReadState, Subscription
from portal.forums.selectors import unread_by_category
from tests.forums.factories import SettledUserFactory, TopicFactory, reply, tough_calls
from tests.forums.pages import page_text, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return SettledUserFactory()


def _read(reader, topic) -> None:
    topic.refresh_from_db()
    ReadState.objects.update_or_create(
        user=reader, topic=topic, defaults={"last_read_at": topic.last_posted_at}
    )


def test_topics_never_opened_and_new_posts_since_reading_count(reader):
    never_opened, read, read_then_replied = TopicFactory.create_batch(3)
    _read(reader, read)
    _read(reader, read_then_replied)
    reply(read_then_replied)
    assert unread_by_category(reader) == {tough_calls().pk: 2}
    assert never_opened.pk  # the first of the two


def test_topics_from_before_the_reader_joined_do_not_count():
    TopicFactory(created_at=timezone.now() - timedelta(days=90))
    newcomer = SettledUserFactory(date_joined=timezone.now() - timedelta(days=1))
    assert unread_by_category(newcomer) == {}


def test_each_category_counts_its_own(reader):
    wellbeing = Category.objects.get(slug="wellbeing")
    TopicFactory.create_batch(2, category=wellbeing)
    TopicFactory()
    assert unread_by_category(reader) == {wellbeing.pk: 2, tough_calls().pk: 1}


def test_held_and_muted_topics_do_not_count(reader):
    from portal.forums.models import Status

    TopicFactory(status=Status.HELD)
    muted = TopicFactory()
    Subscription.objects.create(user=reader, topic=muted, level=Subscription.Level.MUTED)
    assert unread_by_category(reader) == {}


def test_the_index_shows_the_count_and_it_drops_after_reading(reader):
    topic = TopicFactory()
    client = signed_in(reader)
    assert "1 unread" in page_text(client, "/forums/")
    page_text(client, topic.get_absolute_url())  # reading it moves the read point
    assert "unread" not in page_text(client, "/forums/").split("<tbody>")[1]


def test_visitors_see_no_counts(client):
    TopicFactory()
    assert "category-unread" not in client.get("/forums/").content.decode()


def test_each_reader_sees_their_own_count_around_the_cached_rows(reader):
    topic = TopicFactory()
    other = SettledUserFactory()
    _read(other, topic)
    assert "1 unread" in page_text(signed_in(reader), "/forums/")
    assert "category-unread" not in page_text(signed_in(other), "/forums/")


def test_a_muted_category_counts_only_the_topics_the_reader_set_a_level_on(reader):
    wellbeing = Category.objects.get(slug="wellbeing")
    TopicFactory(category=wellbeing)
    watched = TopicFactory(category=wellbeing)
    TopicFactory()
    Subscription.objects.create(user=reader, category=wellbeing, level=Subscription.Level.MUTED)
    assert unread_by_category(reader) == {tough_calls().pk: 1}
    Subscription.objects.create(user=reader, topic=watched, level=Subscription.Level.WATCHING)
    assert unread_by_category(reader) == {wellbeing.pk: 1, tough_calls().pk: 1}


def test_private_topics_do_not_count(reader):
    TopicFactory(is_private=True)
    assert unread_by_category(reader) == {}
