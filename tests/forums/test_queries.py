"""N+1 guards: the forum's pages cost the same number of SQL queries whatever the data size.

A topic with 1,000 posts (page 1 and page 50), a category with 10,000 topics, and the latest
list are measured with small and large data, for a member (read state, reactions and badges
included; the header's count comes from the cache) and for an anonymous visitor, with their
cached fragments rendered afresh and served from the cache. Large data is built with
bulk_create so the tests stay fast. When a count is wrong, the failure lists every statement.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Profile, Role, User
from portal.forums.models import Category, Post, Reaction, ReadState, Status, Subscription, Topic
from portal.forums.permissions import FORUM_MODERATORS
from portal.forums.services import category_stats_refresh, topic_stats_refresh
from portal.forums.text import body_hash
from tests.forums.factories import TopicFactory

pytestmark = pytest.mark.django_db

# A signed-in member's topic page: the person, with the header's unread count kept in their
# row (1); their place in the topic, with whether they moderate and their suspension (1); the
# topic with its category and accepted answer (1); the page's posts with their kept reaction
# counts and what their cache keys need (1). The session comes from the cache. A reader who
# reacted in the
# topic adds one query for their reactions on the page; a visit that moves their read point
# adds its one statement.
TOPIC_PAGE_MEMBER = 4
# When a post's cached block is rendered (a post written or changed since, or a cold cache):
# its authors' guide badges and roles (2), read once for the page.
TOPIC_PAGE_RENDERED = TOPIC_PAGE_MEMBER + 2
TOPIC_PAGE_ANONYMOUS = 3  # the same reads, without the person and their standing
# A category page for a member: the person (with the header's count), the category's row
# (with its kept topic count: no COUNT), the page of topics, the reader's read state of them,
# and their standing there (watch level, topics awaiting review, forum moderator?,
# suspended?). The session comes from the cache. Cached rows save rendering, not queries.
CATEGORY_PAGE_MEMBER = 5
# The latest and unanswered lists: the person; whether the reader muted anything (most did
# not, and get the list without exclusions, cheaper to build), the count (from the
# categories' kept counts for "latest", less what the reader muted; a COUNT of the partial
# index for "unanswered"), the page, and the reader's read state.
LATEST_MEMBER = 5


def people(n: int, prefix: str) -> list[User]:
    users = User.objects.bulk_create(
        User(
            username=f"{prefix}{i}",
            email=f"{prefix}{i}@example.com",
            date_joined=timezone.now() - timedelta(days=40),
        )
        for i in range(n)
    )
    profiles = Profile.objects.bulk_create(Profile(user=u) for u in users)
    roles = list(Role.objects.all())
    Link = Profile.roles.through
    Link.objects.bulk_create(
        Link(profile_id=p.pk, role_id=roles[i % len(roles)].pk) for i, p in enumerate(profiles)
    )
    Group.objects.get(name=FORUM_MODERATORS).user_set.add(users[0])
    return users


def long_topic(n_posts: int) -> Topic:
    """A topic with n_posts replies from many people, with reactions, built in bulk."""
    topic = TopicFactory()
    authors = people(40, f"t{n_posts}-")
    start = timezone.now() - timedelta(days=10)
    posts = Post.objects.bulk_create(
        Post(
            topic=topic,
            author=authors[i % len(authors)],
            body=f"Reply {i}",
            body_html=f"<p>Reply {i}</p>",
            body_hash=body_hash(f"Reply {i}"),
            status=Status.PUBLISHED if i % 50 else Status.HIDDEN,
            created_at=start + timedelta(seconds=i),
            published_at=start + timedelta(seconds=i),
        )
        for i in range(n_posts)
    )
    Reaction.objects.bulk_create(
        Reaction(post=post, user=authors[(i + 1) % len(authors)], kind=kind)
        for i, post in enumerate(posts)
        for kind in ("helpful", "thanks")[: 1 + i % 2]
    )
    topic_stats_refresh(topic=topic)  # the reply count the pages are numbered from
    return topic


def many_topics(category: Category, n: int) -> None:
    authors = people(30, f"c{n}-")
    now = timezone.now()
    topics = Topic.objects.bulk_create(
        Topic(
            category=category,
            author=authors[i % len(authors)],
            last_post_by=authors[(i + 1) % len(authors)],
            title=f"Topic number {i}",
            slug=f"topic-number-{i}",
            created_at=now - timedelta(minutes=i),
            last_posted_at=now - timedelta(minutes=i),
            is_pinned=i % 997 == 0,
        )
        for i in range(n)
    )
    Post.objects.bulk_create(
        Post(
            topic=t,
            author=t.author,
            is_opening=True,
            body="Opening",
            body_html="<p>Opening</p>",
            body_hash="x",
            created_at=t.created_at,
            published_at=t.created_at,
        )
        for t in topics
    )
    category_stats_refresh(category_ids=[category.pk])  # the count the pages are numbered from
    return topics


def count(client, url: str) -> int:
    """Queries of the page as a person sees it after their first page (which counted the
    header's notifications into the cache)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("size", [30, 1000])
def test_a_topic_page_costs_the_same_on_page_1_and_page_50(
    client, member, other_member, assert_queries, size
):
    """Prevents an N+1 over posts, their authors' badges and reactions, and read state, with
    the posts' cached blocks rendered afresh or served from the cache (also to a reader whose
    visit did not fill it)."""
    topic = long_topic(size)
    ReadState.objects.create(user=member, topic=topic, last_read_at=timezone.now())
    last = (size + 1 + 19) // 20
    client.force_login(member)
    client.get(topic.get_absolute_url())  # the session is warm, as on any later page
    other = Client()
    other.force_login(other_member)
    for page in {1, min(50, last)}:
        url = f"{topic.get_absolute_url()}?page={page}"
        caches["fragments"].clear()
        with assert_queries(TOPIC_PAGE_RENDERED):
            client.get(url)
        with assert_queries(TOPIC_PAGE_MEMBER):
            client.get(url)
        caches["fragments"].clear()
        other.get(url)  # another member, who may do the same with these posts, fills it
        with assert_queries(TOPIC_PAGE_MEMBER):
            client.get(url)
        Client().get(url)  # a visitor may do nothing with them: the visitors' own fragments
        with assert_queries(TOPIC_PAGE_ANONYMOUS):
            Client().get(url)
        caches["fragments"].clear()
        with assert_queries(TOPIC_PAGE_ANONYMOUS + 2):
            Client().get(url)


def test_a_reader_who_reacted_in_a_topic_costs_one_query_more(client, member, assert_queries):
    """Their reactions on the page are read in one query, whatever the page holds."""
    topic = long_topic(30)
    ReadState.objects.create(user=member, topic=topic, last_read_at=timezone.now())
    Reaction.objects.create(
        post=topic.posts.filter(status=Status.PUBLISHED).last(), user=member, kind="thanks"
    )
    client.force_login(member)
    for page in (1, 2):
        url = f"{topic.get_absolute_url()}?page={page}"
        client.get(url)
        with assert_queries(TOPIC_PAGE_MEMBER + 1):
            client.get(url)


def test_a_topic_page_with_1000_posts_shows_page_50_in_full(client, member):
    topic = long_topic(1000)
    client.force_login(member)
    page = client.get(f"{topic.get_absolute_url()}?page=50").context["page"]
    # 1,001 posts a member may see, less the 20 hidden ones: page 50 holds the last 1.
    assert (page.number, page.paginator.num_pages) == (50, 50)
    assert page.paginator.count == 1001 - 20


@pytest.mark.parametrize("size", [40, 10_000])
def test_a_category_page_costs_the_same_with_10000_topics(
    client, member, other_member, assert_queries, size
):
    """Prevents an N+1 over topics, their authors and the reader's read state, with the rows
    rendered afresh or served from the cache another reader filled."""
    category = Category.objects.get(slug="tough-calls")
    topics = many_topics(category, size)
    ReadState.objects.bulk_create(
        ReadState(user=member, topic=t, last_read_at=t.created_at) for t in topics[::3]
    )
    client.force_login(member)
    client.get(category.get_absolute_url())
    warm = Client()
    warm.force_login(other_member)
    for page in (1, 2):
        url = f"{category.get_absolute_url()}?page={page}"
        caches["fragments"].clear()
        with assert_queries(CATEGORY_PAGE_MEMBER):
            client.get(url)
        caches["fragments"].clear()
        warm.get(url)
        with assert_queries(CATEGORY_PAGE_MEMBER):
            client.get(url)


@pytest.mark.parametrize("size", [40, 10_000])
def test_the_latest_list_costs_the_same_whatever_the_size(
    client, member, other_member, assert_queries, size
):
    """Prevents an N+1 over topics across categories, their people and read state, with the
    rows rendered afresh or served from the cache another reader filled, for a reader who
    muted nothing and for one who muted a category."""
    many_topics(Category.objects.get(slug="wellbeing"), size)
    client.force_login(member)
    client.get(reverse("forums:latest"))
    warm = Client()
    warm.force_login(other_member)
    lists = [
        f"{reverse(name)}?page={page}"
        for name in ("forums:latest", "forums:unanswered")
        for page in (1, 2)
    ]
    for muted in (False, True):
        if muted:
            Subscription.objects.create(
                user=member, category=Category.objects.get(slug="tough-calls"), level="muted"
            )
        for url in lists:
            caches["fragments"].clear()
            with assert_queries(LATEST_MEMBER):
                client.get(url)
            caches["fragments"].clear()
            warm.get(url)
            with assert_queries(LATEST_MEMBER):
                client.get(url)


@pytest.mark.parametrize("size", [40, 10_000])
def test_the_forum_index_is_one_query_that_counts_nothing(client, assert_queries, size):
    """Prevents the index from growing with the forums: one query, reading the counts and
    latest topics kept on the categories, never counting topics per view."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wellbeing = Category.objects.get(slug="wellbeing")
    many_topics(wellbeing, size)
    category_stats_refresh(category_ids=[wellbeing.pk])
    with assert_queries(1):
        client.get(reverse("forums:index"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("forums:index")).content.decode()
    assert "COUNT(" not in queries.captured_queries[0]["sql"].upper()
    assert f'<td data-label="Topics">{size}</td>' in page
    assert "Topic number 0<" in page  # the newest one


# The forum index for a signed-in member: the person (1) and whether they moderate (1), the
# categories with their kept counts and latest topics (1), as for a visitor, and the
# member's unread topics grouped by category (1): one more than before the unread counts.
# The session comes from the cache.
INDEX_MEMBER = 4


@pytest.mark.parametrize("size", [40, 10_000])
def test_the_forum_index_costs_a_member_one_grouped_query_more(
    client, member, assert_queries, size
):
    """Prevents the unread counts from costing a query per category or per topic: one grouped
    query, the same with 40 topics or 10,000, some read and some not."""
    wellbeing = Category.objects.get(slug="wellbeing")
    many_topics(wellbeing, size)
    category_stats_refresh(category_ids=[wellbeing.pk])
    member.date_joined = timezone.now() - timedelta(days=60)
    member.save(update_fields=["date_joined"])
    ReadState.objects.bulk_create(
        ReadState(user=member, topic=topic, last_read_at=timezone.now())
        for topic in Topic.objects.filter(category=wellbeing)[: size // 2]
    )
    client.force_login(member)
    client.get(reverse("forums:index"))
    for cold in (True, False):
        if cold:
            caches["fragments"].clear()
        with assert_queries(INDEX_MEMBER):
            page = client.get(reverse("forums:index")).content.decode()
        assert f"{size - size // 2} unread" in page


def test_the_header_count_costs_nothing_for_anonymous_visitors(client, assert_queries):
    with assert_queries(0):
        client.get("/")


def _moderation_history(topic: Topic, moderator: User, reporters: list[User], n: int) -> None:
    """n replies, each reported, each notified to the topic's author, each with a log row."""
    from portal.forums.models import Flag, ModerationAction, Notification

    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            topic=topic,
            author=reporters[i % len(reporters)],
            body=f"Reply {i}",
            body_html=f"<p>Reply {i}</p>",
            body_hash=body_hash(f"Reply {i}"),
            created_at=now - timedelta(minutes=n - i),
            published_at=now - timedelta(minutes=n - i),
        )
        for i in range(n)
    )
    Flag.objects.bulk_create(
        Flag(
            post=post,
            kind=Flag.Kind.REPORT,
            reason=Flag.Reason.SPAM,
            reporter=reporters[(i + 1) % len(reporters)],
            created_at=post.created_at,
        )
        for i, post in enumerate(posts)
    )
    Notification.objects.bulk_create(
        Notification(
            recipient=topic.author,
            kind=Notification.Kind.REPLY,
            actor=post.author,
            topic=topic,
            post=post,
            created_at=post.created_at,
        )
        for post in posts
    )
    ModerationAction.objects.bulk_create(
        ModerationAction(
            moderator=moderator,
            action=ModerationAction.Action.HIDE,
            topic=topic,
            post=post,
            person=post.author,
            reason="Spam",
        )
        for post in posts
    )


def test_notifications_queue_and_log_cost_the_same_at_any_size(client, moderator):
    """Prevents an N+1 over notifications, review-queue items and moderation-log rows: each
    page costs the same queries with 3 rows as with 300."""
    costs = {}
    for size in (3, 300):
        topic = TopicFactory()
        _moderation_history(topic, moderator, people(20, f"m{size}-"), size)
        client.force_login(topic.author)
        costs.setdefault("notifications", []).append(count(client, reverse("forums:notifications")))
        client.force_login(moderator)
        costs.setdefault("queue", []).append(count(client, reverse("forums:queue")))
        costs.setdefault("log", []).append(count(client, reverse("forums:moderation_log")))
        # The rows are really on the pages being counted.
        assert "Reply 2" in client.get(reverse("forums:queue")).content.decode()
        assert topic.title in client.get(reverse("forums:moderation_log")).content.decode()
    for page, (small, large) in costs.items():
        assert small == large, f"{page}: {small} queries with 3 rows, {large} with 300"


def test_notices_about_messages_and_team_posts_cost_the_same_at_any_size(client):
    """Prevents an N+1 over where each noticed post was written: a moderation notice's link
    names it ("See the message" for a private message), and the place is read with the
    notices, not with a query for each row."""
    from portal.forums.models import Notification
    from portal.forums.services.conversations import conversations_category
    from tests.forums.factories import CategoryFactory, SettledUserFactory

    costs = []
    for size in (2, 40):
        author = SettledUserFactory()
        places = [
            conversations_category(),
            CategoryFactory(is_private=True, page_path=f"/teams/crew-{size}/discussion/"),
        ]
        topics = [TopicFactory(category=place, author=author, is_private=True) for place in places]
        Notification.objects.bulk_create(
            Notification(
                recipient=author,
                kind=Notification.Kind.MODERATION,
                topic=topic,
                post=topic.posts.get(),
                message=f"Hidden, notice {i}.",
            )
            for i in range(size)
            for topic in topics
        )
        client.force_login(author)
        costs.append(count(client, reverse("forums:notifications")))
        page = client.get(reverse("forums:notifications")).content.decode()
        assert "See the message" in page and "See the post in your team" in page
    small, large = costs
    assert small == large, f"{small} queries with 4 notices, {large} with 80"
