"""A topic's page, its common part shared by readers of one class (portal/forums/topic_page.py):
each reader's page is the same, byte for byte, whether another reader of their class built
the part or it was built for them alone; whoever took part in the topic is served alone; a
write shows to the next reader at once, and every view still records how far they read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from portal.forums import topic_page
from portal.forums.models import (
    POSTS_PER_PAGE,
    Category,
    Notification,
    Post,
    Reaction,
    ReadState,
    Status,
    Subscription,
    Suspension,
)
from portal.forums.permissions import FORUM_MODERATORS
from tests.forums.factories import PostFactory, SettledUserFactory, TopicFactory, reply
from tests.reader_pages import page_text, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(moderator):
    """Two pages of a Q&A topic with an accepted answer, reactions, a post awaiting review
    and a hidden one."""
    start = timezone.now() - timedelta(hours=3)
    topic = TopicFactory(
        title="A raid came in during a charity stream", created_at=start - timedelta(minutes=1)
    )
    replies = [
        reply(topic, created_at=start + timedelta(minutes=i)) for i in range(POSTS_PER_PAGE + 5)
    ]
    # On the first page, among the replies.
    PostFactory(topic=topic, status=Status.HELD, created_at=start + timedelta(seconds=330))
    PostFactory(
        topic=topic,
        status=Status.HIDDEN,
        moderation_reason="Off topic",
        created_at=start + timedelta(seconds=390),
    )
    Reaction.objects.create(post=replies[0], user=replies[1].author, kind="helpful")
    topic.accepted_answer = replies[2]
    topic.save(update_fields=["accepted_answer"])
    return topic


def first_page(topic) -> str:
    return topic.get_absolute_url()


def last_page(topic) -> str:
    return f"{topic.get_absolute_url()}?page=2"


def a_moderator():
    person = SettledUserFactory()
    person.groups.add(Group.objects.get(name=FORUM_MODERATORS))
    return person


def suspended(reason: str):
    person = SettledUserFactory()
    Suspension.objects.create(
        user=person,
        until=timezone.now() + timedelta(days=3),
        reason=reason,
        created_by=a_moderator(),
    )
    return person


@pytest.fixture
def regular_reader(topic):
    """A member with a place of their own in the topic: they read it part way, reacted to a
    post and muted it."""
    person = SettledUserFactory()
    posts = list(topic.posts.filter(status=Status.PUBLISHED).order_by("created_at"))
    ReadState.objects.create(user=person, topic=topic, last_read_at=posts[3].published_at)
    Reaction.objects.create(post=posts[4], user=person, kind="thanks")
    Subscription.objects.create(user=person, topic=topic, level=Subscription.Level.MUTED)
    return person


@pytest.mark.parametrize("page", [first_page, last_page])
def test_a_member_gets_the_part_another_member_built_with_their_own_pieces(
    topic, regular_reader, member, page, same_when_shared
):
    text = same_when_shared(url=page(topic), reader=regular_reader, warmed_by=member, shared=True)
    assert 'value="muted" id="id_level_2" required checked' in text
    assert 'name="csrfmiddlewaretoken"' in text and "<!--hole:" not in text
    if page is first_page:
        assert "new posts since your last visit" in text
        assert 'class="reaction reaction-mine" aria-pressed="true">Thanks' in text


def test_a_moderator_gets_the_part_another_moderator_built(topic, same_when_shared):
    text = same_when_shared(
        url=first_page(topic), reader=a_moderator(), warmed_by=a_moderator(), shared=True
    )
    assert "Moderate this topic" in text and "Awaiting review" in text


def test_moderators_and_members_never_share_a_part(topic, member, same_when_shared):
    moderator = a_moderator()
    as_member = same_when_shared(
        url=first_page(topic), reader=member, warmed_by=moderator, shared=False
    )
    as_moderator = same_when_shared(
        url=first_page(topic), reader=moderator, warmed_by=member, shared=False
    )
    assert "Moderate this topic" not in as_member and "Awaiting review" not in as_member
    assert "Moderate this topic" in as_moderator and "Reason: Off topic" in as_moderator


def test_a_suspended_member_sees_their_own_terms_in_the_part_of_suspended_members(
    topic, same_when_shared
):
    text = same_when_shared(
        url=last_page(topic),
        reader=suspended("Spamming links"),
        warmed_by=suspended("Baiting other members"),
        shared=True,
    )
    assert "You are suspended from posting in the forums" in text
    assert "Spamming links" in text and "Baiting other members" not in text
    assert "Post reply" not in text and ">Quote</a>" not in text


def test_staff_and_members_never_share_a_part_in_a_staff_only_category(
    member, staff_user, same_when_shared
):
    topic = TopicFactory(category=Category.objects.get(slug="announcements"))
    reply(topic)
    as_staff = same_when_shared(
        url=first_page(topic), reader=staff_user, warmed_by=member, shared=False
    )
    assert "Post reply" in as_staff


def test_people_who_took_part_in_the_topic_are_served_alone(topic, member, same_when_shared):
    replier = SettledUserFactory()
    reply(topic, author=replier)  # on the last page; page 1 is theirs alone too
    with_held_post = SettledUserFactory()
    PostFactory(topic=topic, author=with_held_post, status=Status.HELD)
    moderator_who_replied = a_moderator()
    reply(topic, author=moderator_who_replied)
    for reader, warmed_by in [
        (topic.author, member),
        (replier, member),
        (with_held_post, member),
        (moderator_who_replied, a_moderator()),
    ]:
        for url in (first_page(topic), last_page(topic)):
            same_when_shared(url=url, reader=reader, warmed_by=warmed_by, shared=False)
    page = page_text(signed_in(with_held_post), last_page(topic))
    assert "Awaiting review: only you and the forum moderators" in page


def test_a_part_built_for_a_class_is_the_page_each_reader_of_it_would_get(topic, member):
    """The class holds everything about a reader who took no part that changes the page:
    built with their own account, it is the part their class's stand-in built."""
    readers = [member, a_moderator(), suspended("Spamming links"), SettledUserFactory()]
    readers[-1].is_staff = True
    for reader in readers:
        for number in (1, 2):
            own = topic_page._build(pk=topic.pk, number=number, viewer=reader)
            stand_in = topic_page._stand_in(topic_page.reader_class(reader))
            shared = topic_page._build(pk=topic.pk, number=number, viewer=stand_in)
            assert own == shared, (reader, number)


def test_a_reply_and_a_reaction_show_at_once_to_a_reader_who_had_the_part_cached(
    topic, member, other_member, settings
):
    settings.READER_PAGE_CACHE = True
    reader, writer = signed_in(member), signed_in(other_member)
    before = page_text(reader, last_page(topic))
    assert "A reply written just now" not in before
    response = writer.post(
        reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "A reply written just now"}
    )
    assert response.status_code == 302
    assert "A reply written just now" in page_text(reader, last_page(topic))

    post = Post.objects.filter(topic=topic, status=Status.PUBLISHED).order_by("created_at")[1]
    button = f'action="/forums/p/{post.pk}/react/"'
    assert writer.post(
        reverse("forums:post_react", kwargs={"pk": post.pk}), {"kind": "thanks"}
    ).status_code in (302, 200)
    page = page_text(reader, first_page(topic))
    shown = page.split(button, 1)[1].split("</ul>")[0]
    assert 'aria-pressed="false">Thanks <span class="reaction-count">1</span>' in shown
    page = page_text(writer, first_page(topic))
    shown = page.split(button, 1)[1].split("</ul>")[0]
    assert 'aria-pressed="true">Thanks <span class="reaction-count">1</span>' in shown


def test_every_view_records_how_far_the_reader_read_with_the_part_cached(
    topic, member, other_member, settings
):
    settings.READER_PAGE_CACHE = True
    client = signed_in(member)
    page_text(signed_in(other_member), last_page(topic))  # the part is built and kept
    page_text(client, first_page(topic))
    on_first = ReadState.objects.get(user=member, topic=topic).last_read_at
    page_text(client, last_page(topic))
    on_last = ReadState.objects.get(user=member, topic=topic).last_read_at
    assert on_last > on_first
    assert on_last == topic.posts.filter(status=Status.PUBLISHED).latest("created_at").published_at

    Notification.objects.create(recipient=member, kind=Notification.Kind.REPLY, topic=topic)
    page_text(client, first_page(topic))  # nothing new to read, but a notification to clear
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert ReadState.objects.get(user=member, topic=topic).last_read_at == on_last


@pytest.mark.parametrize(
    ("asked", "shown"), [("abc", 1), ("0", 2), ("-3", 2), ("99999", 2), ("2.0", 1), ("", 1)]
)
def test_a_page_number_that_is_not_a_page_shows_the_nearest_page(
    topic, member, settings, asked, shown
):
    settings.READER_PAGE_CACHE = True
    page = page_text(signed_in(member), f"{topic.get_absolute_url()}?page={asked}")
    assert f"<span>Page {shown} of 2</span>" in page


def test_a_visitor_gets_a_login_link_and_no_csrf_field(topic, client, settings):
    settings.READER_PAGE_CACHE = True
    for _ in range(2):
        response = client.get(first_page(topic))
        page = response.content.decode()
        assert f'href="/accounts/login/?next={topic.get_absolute_url()}"' in page
        assert "csrfmiddlewaretoken" not in page and "<!--hole:" not in page
        assert "csrftoken" not in response.cookies
