"""Posts are cached as pieces keyed on everything they show: whatever changes a post (an edit,
a hide with a reason, a restore, an approval, an accepted answer, a reaction) shows to the
very next reader, and each reader still gets their own reactions, links and CSRF field."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal.core.fragments import fragment_key
from portal.forums import selectors, services
from portal.forums.fragments import post_context
from portal.forums.models import Category, Post, Status
from tests.forums.factories import PostFactory, TopicFactory, reply

pytestmark = pytest.mark.django_db


def page_of(client, topic) -> str:
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_readers_who_see_a_post_alike_share_one_cached_piece(client, member, other_member):
    topic = TopicFactory()
    post = reply(topic, body="Cached once")
    view = selectors.topic_view(pk=topic.pk, viewer=member, number=1)
    shown = next(p for p in view.posts if p.pk == post.pk)
    context = post_context(shown, topic=view.topic, viewer=member, can_reply=True)
    key = fragment_key("forums/includes/post.html", context)
    client.force_login(other_member)  # another reader in the same position: not the author
    assert cache.get(key) is None
    page_of(client, topic)
    assert "Cached once" in cache.get(key)
    cache.set(key, cache.get(key).replace("Cached once", "Served from the cache"))
    client.force_login(member)
    assert "Served from the cache" in page_of(client, topic)


def test_an_edit_shows_to_the_next_reader_at_once(client, member, other_member):
    topic = TopicFactory()
    post = reply(topic, author=member, body="Before the edit")
    client.force_login(other_member)
    assert "Before the edit" in page_of(client, topic)
    services.post_edit(post=post, editor=member, body="After the edit")
    page = page_of(client, topic)
    assert "After the edit" in page and "Before the edit" not in page
    assert "edited 1 time" in page


def test_hiding_restoring_and_hiding_again_each_show_at_once(client, member, moderator):
    topic = TopicFactory()
    post = reply(topic, author=member, body="Borderline advice")
    client.force_login(member)
    assert "Hidden by a forum moderator" not in page_of(client, topic)
    services.post_hide(post=post, moderator=moderator, reason="Spam link")
    assert "Reason: Spam link" in page_of(client, topic)
    services.post_unhide(post=Post.objects.get(pk=post.pk), moderator=moderator)
    assert "Hidden by a forum moderator" not in page_of(client, topic)
    services.post_hide(post=Post.objects.get(pk=post.pk), moderator=moderator, reason="Rude")
    page = page_of(client, topic)
    assert "Reason: Rude" in page and "Spam link" not in page


def test_an_approved_post_loses_its_awaiting_review_notice_at_once(client, member, moderator):
    topic = TopicFactory()
    held = PostFactory(topic=topic, author=member, status=Status.HELD, published_at=None)
    client.force_login(member)
    assert "Awaiting review" in page_of(client, topic)
    services.post_approve(post=held, moderator=moderator)
    assert "Awaiting review" not in page_of(client, topic)


def test_an_accepted_answer_is_marked_at_once(client, member, other_member):
    topic = TopicFactory(author=member, category=Category.objects.get(slug="tough-calls"))
    answer = reply(topic, author=other_member)
    client.force_login(member)
    assert "post-accepted" not in page_of(client, topic)
    client.post(reverse("forums:post_accept", kwargs={"pk": answer.pk}))
    page = page_of(client, topic)
    assert f'class="post post-published post-accepted" id="post-{answer.pk}"' in page
    assert '· <span class="badge badge-verified">accepted answer</span>' in page


def test_reactions_and_a_new_reply_show_at_once_and_stay_per_reader(client, member, other_member):
    topic = TopicFactory()
    post = reply(topic, author=other_member)
    client.force_login(member)
    page_of(client, topic)
    client.post(reverse("forums:post_react", kwargs={"pk": post.pk}), {"kind": "helpful"})
    page = page_of(client, topic)
    assert 'class="reaction reaction-mine" aria-pressed="true">Helpful' in page
    # The reaction forms carry this request's CSRF field, not the cached placeholder.
    assert 'name="csrfmiddlewaretoken"' in page and "\x00" not in page
    reply(topic, body="A brand new reply")
    assert "A brand new reply" in page_of(client, topic)
    # The post's author sees the count, not as their own reaction, and their Edit link.
    client.force_login(other_member)
    page = page_of(client, topic)
    assert "reaction-mine" not in page
    assert f'href="/forums/p/{post.pk}/edit/"' in page


def test_a_topic_row_shows_a_new_reply_a_pin_and_read_state_at_once(
    client, member, other_member, moderator
):
    topic = TopicFactory(title="A row worth caching")
    latest = reverse("forums:latest")
    client.force_login(member)
    client.get(topic.get_absolute_url())  # read: no longer new to me
    row = client.get(latest).content.decode().split("A row worth caching")[1]
    assert "<td>0</td>" in row and "badge-new" not in row.split("</tr>")[0]
    reply(topic, author=other_member, body="Fresh reply")
    row = client.get(latest).content.decode().split("A row worth caching")[1].split("</tr>")[0]
    assert "<td>1</td>" in row and "1 new" in row
    services.topic_moderate(topic=topic, moderator=moderator, action="pin")
    category_page = client.get(topic.category.get_absolute_url()).content.decode()
    row = category_page.split("A row worth caching")[1].split("</tr>")[0]
    assert '<span class="badge">pinned</span>' in row
    # Another reader, who never opened it, sees it as new and without my count.
    client.force_login(moderator)
    row = client.get(latest).content.decode().split("A row worth caching")[1].split("</tr>")[0]
    assert '<span class="badge badge-new">new</span>' in row and "1 new" not in row


def test_the_forum_index_shows_a_new_topic_at_once(client, member):
    wellbeing = Category.objects.get(slug="wellbeing")
    client.force_login(member)
    before = client.get(reverse("forums:index")).content.decode()
    assert "A brand new topic" not in before
    services.topic_create(
        author=member, category=wellbeing, title="A brand new topic", body="Hello there."
    )
    row = client.get(reverse("forums:index")).content.decode().split("Wellbeing")[1]
    row = row.split("</tr>")[0]
    assert "A brand new topic" in row and "<td>1</td>" in row


def test_an_anonymous_topic_page_sets_no_cookie_so_it_can_be_shared(client):
    """Posts hold a CSRF placeholder; filling it in asks for a token, which sets the CSRF
    cookie, and the anonymous page cache never keeps a response that sets a cookie. Nobody
    signed out gets a form, so nothing asks."""
    topic = TopicFactory()
    reply(topic)
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200 and not response.cookies
