"""Typed factories for the forums. Each builds rows the way the services would (rendered HTML
stored, counts on the topic, the opening post beside its topic), without the side effects
(notifications, holds) that the service tests check on their own."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from portal.accounts.models import User
from portal.forums.models import Category, FilterTerm, Post, Status, Subscription, Topic
from portal.forums.text import body_hash
from portal.markup import render_markdown
from tests.factories import UserFactory


class SettledUserFactory(UserFactory):
    """An account old enough not to count as new (new accounts post less, and slower)."""

    date_joined = factory.LazyFunction(lambda: timezone.now() - timedelta(days=60))


class CategoryFactory(DjangoModelFactory[Category]):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Test category {n}")
    slug = factory.Sequence(lambda n: f"test-category-{n}")


def tough_calls() -> Category:
    return Category.objects.get(slug="tough-calls")


class TopicFactory(DjangoModelFactory[Topic]):
    """A published topic with its opening post, in Tough calls (a Q&A category)."""

    class Meta:
        model = Topic
        skip_postgeneration_save = True

    category = factory.LazyFunction(tough_calls)
    author = factory.SubFactory(SettledUserFactory)
    title = factory.Sequence(lambda n: f"How would you handle this, case {n}?")
    slug = factory.LazyAttribute(lambda t: f"case-{t.title.split()[-1].strip('?')}")
    status = Status.PUBLISHED
    created_at = factory.LazyFunction(timezone.now)
    last_posted_at = factory.SelfAttribute("created_at")
    last_post_by = factory.SelfAttribute("author")
    opening = factory.RelatedFactory(
        "tests.forums.factories.PostFactory",
        factory_related_name="topic",
        is_opening=True,
        author=factory.SelfAttribute("..author"),
        status=factory.SelfAttribute("..status"),
        created_at=factory.SelfAttribute("..created_at"),
    )
    # Whoever starts a topic watches it.
    watched = factory.RelatedFactory(
        "tests.forums.factories.SubscriptionFactory",
        factory_related_name="topic",
        user=factory.SelfAttribute("..author"),
    )

    @factory.post_generation
    def counted(topic, create, extracted, **kwargs):
        """The category's topic count and latest topic, as the services keep them."""
        from portal.forums.services import category_stats_refresh

        if create:
            category_stats_refresh(category_ids=[topic.category_id])


class PostFactory(DjangoModelFactory[Post]):
    """A published reply."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    topic = factory.SubFactory(TopicFactory)
    author = factory.SubFactory(SettledUserFactory)
    body = factory.Sequence(lambda n: f"Here is what I would do, take {n}.")
    body_html = factory.LazyAttribute(lambda p: render_markdown(p.body))
    body_hash = factory.LazyAttribute(lambda p: body_hash(p.body))
    status = Status.PUBLISHED
    created_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyAttribute(
        lambda p: p.created_at if p.status == Status.PUBLISHED else None
    )

    @factory.post_generation
    def counted(post, create, extracted, **kwargs):
        """The topic's reply count and latest activity, as the services keep them (the topic
        page numbers its pages from the count)."""
        from portal.forums.services import topic_stats_refresh

        if create:
            topic_stats_refresh(topic=post.topic)


class SubscriptionFactory(DjangoModelFactory[Subscription]):
    class Meta:
        model = Subscription

    user = factory.SubFactory(SettledUserFactory)
    level = Subscription.Level.WATCHING


class FilterTermFactory(DjangoModelFactory[FilterTerm]):
    class Meta:
        model = FilterTerm

    text = factory.Sequence(lambda n: f"zorblax{n}")


def reply(topic: Topic, author: User | None = None, **kwargs) -> Post:
    """A published reply that also updates the topic's counts, as the service would."""
    from portal.forums.services import topic_stats_refresh

    post = PostFactory(topic=topic, author=author or SettledUserFactory(), **kwargs)
    topic_stats_refresh(topic=topic)
    return post
