"""The forums' part of a digest: unread activity in the topics and categories a person
watches, at a fixed number of queries for a whole chunk of people."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.digests.content import Target
from portal.digests.models import EmailPreferences
from portal.forums import services
from portal.forums.digest import digest_sections
from portal.forums.models import Category, ReadState
from tests.forums.factories import SettledUserFactory, TopicFactory, reply

pytestmark = pytest.mark.django_db


def target_for(user, **preferences):
    now = timezone.now()
    return Target(
        user=user,
        preferences=EmailPreferences(user=user, **preferences),
        window_start=now - timedelta(days=7),
        window_end=now + timedelta(minutes=1),
        timezone="UTC",
    )


def titles(result, user):
    sections = [s for s in result.get(user.pk, []) if s.key == "forums"]
    return [item.title for item in sections[0].items] if sections else []


def test_watched_topics_with_unread_activity_by_others(member):
    watched = TopicFactory(title="Watched and moved")
    services.subscription_set(user=member, topic=watched, level="watching")
    reply(watched)
    quiet = TopicFactory(title="Watched but quiet")
    services.subscription_set(user=member, topic=quiet, level="watching")
    quiet.last_posted_at = timezone.now() - timedelta(days=30)
    quiet.save()
    already_read = TopicFactory(title="Watched and read")
    services.subscription_set(user=member, topic=already_read, level="watching")
    reply(already_read)
    already_read.refresh_from_db()
    ReadState.objects.create(user=member, topic=already_read, last_read_at=timezone.now())
    mine_last = TopicFactory(title="I posted last")
    reply(mine_last, author=member)
    TopicFactory(title="Not watched")
    assert titles(digest_sections([target_for(member)]), member) == ["Watched and moved"]


def test_watching_a_category_brings_its_new_topics_unless_the_topic_is_muted(member):
    wellbeing = Category.objects.get(slug="wellbeing")
    services.subscription_set(user=member, category=wellbeing, level="watching")
    TopicFactory(category=wellbeing, title="Burnout after a raid")
    muted = TopicFactory(category=wellbeing, title="Muted one")
    services.subscription_set(user=member, topic=muted, level="muted")
    assert titles(digest_sections([target_for(member)]), member) == ["Burnout after a raid"]


def test_no_forum_section_for_someone_who_switched_it_off(member):
    topic = TopicFactory()
    services.subscription_set(user=member, topic=topic, level="watching")
    reply(topic)
    assert digest_sections([target_for(member, digest_forums=False)]) == {}


def test_a_chunk_costs_four_queries_whatever_its_size(django_assert_num_queries):
    people = SettledUserFactory.create_batch(12)
    for i, person in enumerate(people):
        topic = TopicFactory()
        services.subscription_set(user=person, topic=topic, level="watching")
        reply(topic)
        if i % 2:
            ReadState.objects.create(user=person, topic=topic, last_read_at=timezone.now())
    targets = [target_for(person) for person in people]
    # Three for watched topics, one for private conversations (none here: no read states).
    with django_assert_num_queries(4):
        result = digest_sections(targets)
    assert sum(1 for person in people if titles(result, person)) == 6
