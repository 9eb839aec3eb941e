"""A topic's page (views.topic_detail, templates/forums/topic.html): each post's own part (its
author, badges, dates and body) is cached under the post's version, and everything that is the
reader's (what they may do with each post, their reactions, their read state, their watch
level, the CSRF field) is rendered for them around it.

So: each reader sees their own page; what another person writes shows on the reader's very
next page, one test per kind of write; and a write elsewhere, or a reader's visit, leaves
the cached parts where they were."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from portal.accounts.services import profile_update
from portal.accounts.theme import TIMEZONE_KEY
from portal.forums import services
from portal.forums.models import (
    POSTS_PER_PAGE,
    Category,
    Notification,
    Post,
    ReadState,
    Status,
    Subscription,
    Suspension,
    Topic,
)
from portal.forums.permissions import FORUM_MODERATORS
from tests.forums.factories import PostFactory, SettledUserFactory, TopicFactory, reply
from tests.forums.pages import kept, page_text, post_keys, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(moderator):
    """Two pages of a Q&A topic with an accepted answer, a reaction, a post awaiting review
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
    services.reaction_give(post=replies[0], user=replies[1].author, kind="helpful")
    services.answer_accept(post=replies[2], actor=moderator)
    return Topic.objects.get(pk=topic.pk)


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


def published(topic) -> list[Post]:
    return list(topic.posts.filter(status=Status.PUBLISHED).order_by("created_at"))


def post_html(page: str, post: Post) -> str:
    """One post's article on a page."""
    return page.split(f'id="post-{post.pk}"', 1)[1].split("</article>", 1)[0]


# --- Each reader's own page -------------------------------------------------------------------


def test_a_member_sees_their_own_read_state_reactions_and_watch_level(topic, member):
    posts = published(topic)
    ReadState.objects.create(user=member, topic=topic, last_read_at=posts[3].published_at)
    services.reaction_give(post=posts[4], user=member, kind="thanks")
    Subscription.objects.create(user=member, topic=topic, level=Subscription.Level.MUTED)
    page_text(signed_in(SettledUserFactory()), first_page(topic))  # another reader warms it
    page = page_text(signed_in(member), first_page(topic))
    assert 'value="muted" id="id_level_2" required checked' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "new posts since your last visit" in page
    assert 'class="reaction reaction-mine" aria-pressed="true">Thanks' in post_html(page, posts[4])
    assert "reaction-mine" not in post_html(page, posts[5])


def test_moderators_see_moderation_and_every_post_members_only_published_ones(topic, member):
    as_moderator = page_text(signed_in(a_moderator()), first_page(topic))
    as_member = page_text(signed_in(member), first_page(topic))
    assert "Moderate this topic" in as_moderator and "Reason: Off topic" in as_moderator
    assert "Awaiting review" in as_moderator and ">Moderate</a>" in as_moderator
    assert "Moderate this topic" not in as_member and "Awaiting review" not in as_member
    assert "Off topic" not in as_member and ">Moderate</a>" not in as_member
    assert ">Report</a>" in as_member


def test_a_suspended_member_sees_their_own_terms_and_no_way_to_reply(topic):
    page_text(signed_in(suspended("Baiting other members")), last_page(topic))
    page = page_text(signed_in(suspended("Spamming links")), last_page(topic))
    assert "You are suspended from posting in the forums" in page
    assert "Spamming links" in page and "Baiting other members" not in page
    assert "Post reply" not in page and ">Quote</a>" not in page


def test_staff_reply_in_a_staff_only_category_and_members_may_not(member, staff_user):
    topic = TopicFactory(category=Category.objects.get(slug="announcements"))
    reply(topic)
    assert "Post reply" in page_text(signed_in(staff_user), first_page(topic))
    page = page_text(signed_in(member), first_page(topic))
    assert "Post reply" not in page and "Only staff post in" in page


def test_authors_edit_their_own_posts_and_see_them_awaiting_review(topic, member):
    replier = SettledUserFactory()
    mine = reply(topic, author=replier)
    held = PostFactory(topic=topic, author=replier, status=Status.HELD)
    page_text(signed_in(member), last_page(topic))  # another reader warms the page
    page = page_text(signed_in(replier), last_page(topic))
    own = post_html(page, mine)
    assert f'href="/forums/p/{mine.pk}/edit/"' in own
    assert ">Report</a>" not in own and "<button" not in own  # no reacting to oneself
    assert "Awaiting review: only you and the forum moderators" in post_html(page, held)
    assert "Awaiting review" not in page_text(signed_in(member), last_page(topic))


def test_every_view_records_how_far_the_reader_read(topic, member):
    client = signed_in(member)
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


def test_a_visit_that_reads_nothing_new_writes_nothing(topic, member, assert_queries):
    client = signed_in(member)
    page_text(client, last_page(topic))  # read to the end: the read point is written
    with assert_queries(4):  # the person, the reader's place, the topic, the page's posts: no write
        page_text(client, last_page(topic))


@pytest.mark.parametrize(
    ("asked", "shown"), [("abc", 1), ("0", 2), ("-3", 2), ("99999", 2), ("2.0", 1), ("", 1)]
)
def test_a_page_number_that_is_not_a_page_shows_the_nearest_page(topic, member, asked, shown):
    page = page_text(signed_in(member), f"{topic.get_absolute_url()}?page={asked}")
    assert f"<span>Page {shown} of 2</span>" in page


def test_a_visitor_gets_a_login_link_no_csrf_field_and_no_cookie(topic, client):
    page_text(signed_in(SettledUserFactory()), first_page(topic))  # a member warms the posts
    for _ in range(2):
        response = client.get(first_page(topic))
        page = response.content.decode()
        assert f'href="/accounts/login/?next={topic.get_absolute_url()}"' in page
        assert "csrfmiddlewaretoken" not in page
        # No button to act with in the page itself (the header's search is a plain GET form).
        assert "<button" not in page.split("<main", 1)[1]
        assert "csrftoken" not in response.cookies and not response.cookies


# --- What a reader sees after another person's write ------------------------------------------


@pytest.fixture
def reader(member, topic):
    """A member who has the topic's pages in front of them (and so in the cache)."""
    client = signed_in(member)
    page_text(client, first_page(topic))
    page_text(client, last_page(topic))
    return client


def test_a_reply_shows_on_the_readers_next_page(topic, reader, other_member):
    response = signed_in(other_member).post(
        reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "A reply written just now"}
    )
    assert response.status_code == 302
    page = page_text(reader, last_page(topic))
    assert "A reply written just now" in page and "26 replies" in page


def test_an_edit_shows_on_the_readers_next_page(topic, reader):
    post = published(topic)[1]
    services.post_edit(post=post, editor=post.author, body="Said better after a night's sleep")
    shown = post_html(page_text(reader, first_page(topic)), post)
    assert "Said better after a night" in shown and "edited 1 time" in shown


def test_a_reaction_count_shows_on_the_readers_next_page(topic, reader, other_member):
    post = published(topic)[1]
    writer = signed_in(other_member)
    response = writer.post(reverse("forums:post_react", kwargs={"pk": post.pk}), {"give": "thanks"})
    assert response.status_code == 302
    shown = post_html(page_text(reader, first_page(topic)), post)
    assert 'aria-pressed="false">Thanks <span class="reaction-count">1</span>' in shown
    assert 'name="give" value="thanks"' in shown
    shown = post_html(page_text(writer, first_page(topic)), post)
    assert 'aria-pressed="true">Thanks <span class="reaction-count">1</span>' in shown
    # The button says what it wants: a double click takes it back once, not back and forth.
    assert 'name="take_back" value="thanks"' in shown


def test_hiding_restoring_and_hiding_again_each_show_on_the_authors_next_page(topic, moderator):
    post = published(topic)[1]
    author = signed_in(post.author)
    assert "Hidden by a forum moderator" not in post_html(
        page_text(author, first_page(topic)), post
    )
    services.post_hide(post=post, moderator=moderator, reason="Spam link")
    assert "Reason: Spam link" in post_html(page_text(author, first_page(topic)), post)
    services.post_unhide(post=Post.objects.get(pk=post.pk), moderator=moderator)
    assert "Hidden by a forum moderator" not in post_html(
        page_text(author, first_page(topic)), post
    )
    services.post_hide(post=Post.objects.get(pk=post.pk), moderator=moderator, reason="Rude")
    shown = post_html(page_text(author, first_page(topic)), post)
    assert "Reason: Rude" in shown and "Spam link" not in shown


def test_a_hidden_post_leaves_the_other_readers_next_page(topic, reader, moderator):
    post = published(topic)[1]
    services.post_hide(post=post, moderator=moderator, reason="Spam link")
    assert f'id="post-{post.pk}"' not in page_text(reader, first_page(topic))


def test_an_approval_shows_on_the_next_page_of_the_author_and_of_others(topic, reader, moderator):
    held = topic.posts.get(status=Status.HELD)
    author = signed_in(held.author)
    assert "Awaiting review" in post_html(page_text(author, first_page(topic)), held)
    services.post_approve(post=held, moderator=moderator)
    assert "Awaiting review" not in page_text(author, first_page(topic))
    assert f'id="post-{held.pk}"' in page_text(reader, first_page(topic))


def test_an_accepted_answer_shows_on_the_readers_next_page(topic, reader):
    answer = published(topic)[5]
    response = signed_in(topic.author).post(reverse("forums:post_accept", kwargs={"pk": answer.pk}))
    assert response.status_code == 302
    page = page_text(reader, first_page(topic))
    assert f'class="post post-published post-accepted" id="post-{answer.pk}"' in page
    assert '· <span class="badge badge-verified">accepted answer</span>' in post_html(page, answer)
    before = published(topic)[2]  # the answer accepted until now
    assert "post-accepted" not in page.split(f'id="post-{before.pk}"')[0].rsplit("<article", 1)[1]


def test_locking_a_topic_shows_on_the_readers_next_page(topic, reader, moderator):
    services.topic_moderate(topic=topic, moderator=moderator, action="lock")
    page = page_text(reader, first_page(topic))
    assert '<span class="badge">locked</span>' in page and "Post reply" not in page


def test_an_authors_new_name_and_badge_show_on_their_posts(topic, reader):
    post = published(topic)[1]
    author = post.author
    profile = author.profile
    profile_update(
        profile=profile, display_name="Night Owl Mod", bio="", twitch_login="", roles=[],
        languages=[], timezone="UTC", hours_per_week=None, windows=[], channels_moderated=0,
        moderating_since=None, open_to_moderating=False, is_public=True,
    )  # fmt: skip
    shown = post_html(page_text(reader, first_page(topic)), post)
    assert "Night Owl Mod" in shown and "badge-moderator" not in shown
    author.groups.add(Group.objects.get(name=FORUM_MODERATORS))
    shown = post_html(page_text(reader, first_page(topic)), post)
    assert '<span class="badge badge-moderator">Forum moderator</span>' in shown


# --- What stays cached --------------------------------------------------------------------------


def test_a_write_in_another_topic_leaves_every_post_cached(topic, member, other_member):
    reader = signed_in(member)
    before = post_keys(reader.get(first_page(topic)))
    other = TopicFactory()
    services.post_create(author=other_member, topic=other, body="Somewhere else entirely")
    services.reaction_give(post=other.posts.get(is_opening=True), user=member, kind="helpful")
    after = post_keys(reader.get(first_page(topic)))
    assert after == before and kept(after.values())


def in_timezone(client, name: str):
    session = client.session
    session[TIMEZONE_KEY] = name
    session.save()
    return client


def test_readers_in_every_timezone_are_served_the_same_kept_posts(topic, member, other_member):
    """A post's block holds no reader's timezone (its time is written in UTC and shown in the
    reader's own time by when.js), so a reader in New York is served what a reader in Tokyo
    left in the cache: nothing rendered twice."""
    in_tokyo = post_keys(in_timezone(signed_in(member), "Asia/Tokyo").get(first_page(topic)))
    in_new_york = in_timezone(signed_in(other_member), "America/New_York")
    response = in_new_york.get(first_page(topic))
    assert post_keys(response) == in_tokyo and kept(in_tokyo.values())
    assert "UTC</time>" in response.content.decode()


def test_a_reply_re_renders_no_earlier_post(topic, member, other_member):
    """It moves the topic's version (its count and latest activity), not its posts'."""
    reader = signed_in(member)
    before = post_keys(reader.get(last_page(topic)))
    services.post_create(author=other_member, topic=topic, body="One more thought")
    after = post_keys(reader.get(last_page(topic)))
    assert set(after) - set(before) and {pk: after[pk] for pk in before} == before
    assert kept(before.values())


def test_a_reaction_re_renders_only_its_post(topic, member, other_member):
    reader = signed_in(member)
    before = post_keys(reader.get(first_page(topic)))
    post = published(topic)[3]
    services.reaction_give(post=post, user=other_member, kind="helpful")
    after = post_keys(reader.get(first_page(topic)))
    assert [pk for pk in before if before[pk] != after[pk]] == [post.pk]
    assert kept(key for pk, key in after.items())


def test_reading_a_topic_moves_no_version(topic, member, other_member):
    """A signed-in visit writes the reader's read point, and nothing another reader's cached
    page depends on."""
    versions = {
        "topic": Topic.objects.get(pk=topic.pk).version,
        "category": Category.objects.get(pk=topic.category_id).version,
        "posts": list(topic.posts.order_by("pk").values_list("version", flat=True)),
    }
    reader = signed_in(member)
    keys = post_keys(reader.get(last_page(topic)))
    assert ReadState.objects.filter(user=member, topic=topic).exists()
    assert post_keys(signed_in(other_member).get(last_page(topic))) == keys
    assert versions == {
        "topic": Topic.objects.get(pk=topic.pk).version,
        "category": Category.objects.get(pk=topic.category_id).version,
        "posts": list(topic.posts.order_by("pk").values_list("version", flat=True)),
    }


def test_a_refused_or_failed_write_moves_no_version(topic, member):
    """A form error, a refusal and a method the page does not take change nothing."""
    client = signed_in(member)
    own = reply(topic, author=member)
    before = post_keys(client.get(last_page(topic)))
    versions = list(topic.posts.order_by("pk").values_list("version", flat=True))
    client.post(reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": ""})  # form error
    client.post(reverse("forums:post_react", kwargs={"pk": own.pk}), {"give": "thanks"})  # own
    client.post(reverse("forums:post_react", kwargs={"pk": own.pk}), {"give": "nope"})  # 400
    client.get(reverse("forums:post_accept", kwargs={"pk": own.pk}))  # 405
    client.post(reverse("forums:post_edit", kwargs={"pk": own.pk}), {"body": own.body})  # same
    assert list(topic.posts.order_by("pk").values_list("version", flat=True)) == versions
    assert post_keys(client.get(last_page(topic))) == before and kept(before.values())
