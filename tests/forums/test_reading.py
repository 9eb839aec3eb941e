"""Reading: what is new for each person, the latest and unanswered lists, watching and muting,
and the notifications with their count in the header."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from portal.forums import selectors, services
from portal.forums.models import POSTS_PER_PAGE, Category, Notification, ReadState
from tests.forums.factories import PostFactory, TopicFactory, reply

pytestmark = pytest.mark.django_db


def listed(client, url="forums:latest"):
    """The listed topics' ids, each with the reader's read state (``selectors.ReadMark``)."""
    return client.get(reverse(url)).context["read_marks"]


def test_a_topic_is_new_until_read_then_counts_new_posts_since(client, member):
    topic = TopicFactory()
    client.force_login(member)
    assert listed(client)[topic.pk].is_unread
    client.get(topic.get_absolute_url())
    assert not listed(client)[topic.pk].is_unread
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        reply(topic)
        reply(topic)
        row = listed(client)[topic.pk]
        assert row.is_unread and row.new_count == 2
        page = client.get(topic.get_absolute_url()).content.decode()
        assert "2 new posts since your last visit" in page


def test_topics_from_before_a_person_joined_are_not_new_to_them(client):
    with time_machine.travel(timezone.now() - timedelta(days=90)):
        old = TopicFactory()
    from tests.forums.factories import SettledUserFactory

    newcomer = SettledUserFactory(date_joined=timezone.now() - timedelta(days=30))
    client.force_login(newcomer)
    assert not listed(client)[old.pk].is_unread


def test_jump_to_first_unread_goes_to_the_first_new_post_on_its_page(client, member):
    topic = TopicFactory()
    start = timezone.now()
    PostFactory.create_batch(POSTS_PER_PAGE + 4, topic=topic, created_at=start)
    client.force_login(member)
    client.get(topic.get_absolute_url() + "?page=2")
    with time_machine.travel(start + timedelta(minutes=5)):
        first_new = reply(topic)
        reply(topic)
        response = client.get(reverse("forums:topic_unread", kwargs={"pk": topic.pk}))
        assert response["Location"] == first_new.get_absolute_url()
        response = client.get(first_new.get_absolute_url())
        assert response["Location"].endswith(f"?page=2#post-{first_new.pk}")


def test_the_read_point_only_moves_forward(client, member):
    topic = TopicFactory()
    PostFactory.create_batch(POSTS_PER_PAGE + 2, topic=topic)
    client.force_login(member)
    client.get(topic.get_absolute_url() + "?page=2")
    furthest = ReadState.objects.get(user=member).last_read_at
    client.get(topic.get_absolute_url())
    assert ReadState.objects.get(user=member).last_read_at == furthest


def test_latest_lists_what_moved_last_across_categories(client):
    older = TopicFactory(category=Category.objects.get(slug="wellbeing"))
    newer = TopicFactory()
    reply(older)  # bumps it
    topics = client.get(reverse("forums:latest")).context["page"].object_list
    assert [t.pk for t in topics][:2] == [older.pk, newer.pk]


def test_unanswered_lists_topics_nobody_replied_to(client):
    quiet = TopicFactory()
    answered = TopicFactory()
    reply(answered)
    closed = TopicFactory(is_closed=True)
    assert set(listed(client, "forums:unanswered")) == {quiet.pk}
    assert closed.pk not in listed(client, "forums:unanswered")


def test_muting_a_topic_or_category_leaves_it_out_of_my_lists(client, member):
    muted_topic = TopicFactory()
    wellbeing = Category.objects.get(slug="wellbeing")
    in_muted_category = TopicFactory(category=wellbeing)
    watched_there = TopicFactory(category=wellbeing)
    services.subscription_set(user=member, topic=muted_topic, level="muted")
    services.subscription_set(user=member, category=wellbeing, level="muted")
    services.subscription_set(user=member, topic=watched_there, level="watching")
    client.force_login(member)
    shown = listed(client)
    assert muted_topic.pk not in shown and in_muted_category.pk not in shown
    assert watched_there.pk in shown
    # The category's own page still lists everything in it.
    page = client.get(wellbeing.get_absolute_url()).context["page"]
    assert {t.pk for t in page.object_list} == {in_muted_category.pk, watched_there.pk}
    assert page.paginator.count == 2


def test_the_latest_list_counts_what_it_shows_for_each_reader(client, member, other_member):
    """The count comes from the categories' kept counts and the reader's subscriptions; it
    must match the list: muted topics and muted categories out, a watched topic in a muted
    category in, someone else's mutes not counted."""
    wellbeing = Category.objects.get(slug="wellbeing")
    muted_topic, plain = TopicFactory(), TopicFactory()
    in_muted_category, watched_there = (
        TopicFactory(category=wellbeing),
        TopicFactory(category=wellbeing),
    )
    services.subscription_set(user=member, topic=muted_topic, level="muted")
    services.subscription_set(user=member, category=wellbeing, level="muted")
    services.subscription_set(user=member, topic=watched_there, level="watching")
    services.subscription_set(user=other_member, topic=plain, level="muted")
    everyone = {muted_topic.pk, plain.pk, in_muted_category.pk, watched_there.pk}
    for reader, expected in (
        (None, everyone),
        (member, {plain.pk, watched_there.pk}),
        (other_member, everyone - {plain.pk}),
    ):
        if reader is None:
            client.logout()
        else:
            client.force_login(reader)
        page = client.get(reverse("forums:latest")).context["page"]
        shown = {t.pk for t in page.object_list}
        assert shown == expected and page.paginator.count == len(expected)


def test_a_topic_numbers_its_pages_from_the_posts_each_reader_sees(
    client, member, other_member, moderator
):
    """Pages are numbered from the kept reply count plus the reader's own held or hidden posts
    (and, for moderators, everyone's): a held reply of mine adds to my count only."""
    topic = TopicFactory()
    PostFactory.create_batch(POSTS_PER_PAGE - 1, topic=topic)
    PostFactory(topic=topic, author=member, status="held")
    PostFactory(topic=topic, author=other_member, status="hidden")
    counts = {}
    for reader in (None, member, other_member, moderator):
        if reader is None:
            client.logout()
        else:
            client.force_login(reader)
        page = client.get(topic.get_absolute_url()).context["page"]
        counts[reader] = (page.paginator.count, page.paginator.num_pages)
    assert counts == {
        None: (POSTS_PER_PAGE, 1),
        member: (POSTS_PER_PAGE + 1, 2),
        other_member: (POSTS_PER_PAGE + 1, 2),
        moderator: (POSTS_PER_PAGE + 2, 2),
    }


def test_the_watch_form_saves_my_level_for_a_topic(client, member):
    topic = TopicFactory()
    client.force_login(member)
    url = reverse("forums:topic_watch", kwargs={"pk": topic.pk})
    assert client.post(url, {"level": "watching"}).status_code == 302
    assert client.post(url, {"level": "loud"}).status_code == 400
    assert selectors.topic_reading(pk=topic.pk, viewer=member).watch_level == "watching"


def test_notifications_show_in_the_header_until_the_topic_is_read(
    client, member, other_member, django_capture_on_commit_callbacks
):
    topic = services.topic_create(
        author=member,
        category=Category.objects.get(slug="tough-calls"),
        title="Who else uses shield mode?",
        body="Asking for a friend.",
    )
    with django_capture_on_commit_callbacks(execute=True):  # the count is kept after commit
        services.post_create(author=other_member, topic=topic, body="Every raid night.")
    client.force_login(member)
    home = client.get("/").content.decode()
    assert 'aria-label="Notifications, 1 unread"' in home
    notifications = client.get(reverse("forums:notifications")).content.decode()
    assert f"{other_member.username} replied in" in notifications
    with django_capture_on_commit_callbacks(execute=True):
        client.get(topic.get_absolute_url())
    assert "unread" not in client.get("/").content.decode().split("</nav>")[0]


def test_mark_all_read(client, member, other_member):
    topic = TopicFactory(author=member)
    services.post_create(author=other_member, topic=topic, body=f"Hey @{member.username}")
    client.force_login(member)
    assert client.post(reverse("forums:notifications_read")).status_code == 302
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


def test_a_notification_about_a_post_hidden_since_disappears(
    client, member, moderator, django_capture_on_commit_callbacks
):
    topic = TopicFactory(author=member)
    post = reply(topic, body="Rude")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=moderator, topic=topic, body=f"@{member.username} look")
    client.force_login(member)
    assert header_count(client) == 1
    mention = Notification.objects.get(recipient=member, kind="mention")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(post=mention.post, moderator=moderator, reason="Off topic")
    assert header_count(client) == 0
    assert post.pk  # the other reply is untouched


def test_a_profile_lists_the_persons_recent_visible_topics(client, member, other_member):
    shown = TopicFactory(author=member, title="Visible question here")
    TopicFactory(author=member, title="Held question here", status="held")
    client.force_login(other_member)
    page = client.get(reverse("accounts:profile", kwargs={"username": member.username}))
    html = page.content.decode()
    assert "Recent forum topics" in html and shown.title in html
    assert "Held question here" not in html
    client.force_login(member)
    html = client.get(reverse("accounts:profile", kwargs={"username": member.username}))
    assert "Held question here" in html.content.decode()


def test_post_authors_show_their_badges(client, member, moderator):
    from portal.accounts.models import Role
    from portal.guides.models import Badge as GuideBadge
    from portal.guides.models import Track

    track = Track.objects.create(
        slug="chat-enforcer", title="Chat Enforcer", summary="s", audience="a", content_hash="x"
    )
    GuideBadge.objects.create(user=member, track=track)
    member.profile.roles.add(Role.objects.get(slug="community-host"))
    topic = TopicFactory(author=member)
    reply(topic, author=moderator)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Chat Enforcer guide" in page and "Community Host" in page
    assert '<span class="badge badge-moderator">Forum moderator</span>' in page


def header_count(client) -> int:
    """The unread count the header shows (0 when it shows none)."""
    nav = client.get("/").content.decode().split("</nav>")[0]
    found = re.search(r'aria-label="Notifications, (\d+) unread"', nav)
    return int(found.group(1)) if found else 0


def unread_in_database(person) -> int:
    return Notification.objects.for_reader(person).unread().count()


def test_the_header_count_costs_no_query_of_its_own(
    client, member, other_member, assert_queries, django_capture_on_commit_callbacks
):
    """Prevents a count query on every signed-in page: the count comes with the person."""
    topic = TopicFactory(author=member)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=other_member, topic=topic, body="First reply")
    client.force_login(member)
    unread = unread_in_database(member)
    client.get("/")
    with assert_queries(2):  # the person (with the count); the home page's profile and roles
        assert header_count(client) == unread > 0


def test_the_header_count_follows_every_change(
    client, member, other_member, moderator, django_capture_on_commit_callbacks
):
    def committed(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    topic = TopicFactory(author=member)
    client.force_login(member)
    before = header_count(client)
    assert before == unread_in_database(member)

    first = committed(services.post_create, author=other_member, topic=topic, body="A reply")
    assert header_count(client) == before + 1

    committed(services.post_hide, post=first, moderator=moderator, reason="Off topic")
    assert header_count(client) == before
    committed(services.post_unhide, post=first, moderator=moderator)
    assert header_count(client) == before + 1

    other_topic = TopicFactory()
    committed(
        services.post_create, author=moderator, topic=other_topic, body=f"@{member.username} hi"
    )
    assert header_count(client) == before + 2
    committed(client.get, topic.get_absolute_url())  # reading the topic reads its notifications
    assert header_count(client) == unread_in_database(member) == 1
    committed(client.post, reverse("forums:notifications_read"))
    assert header_count(client) == 0
