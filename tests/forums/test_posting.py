"""Starting topics and replying: Markdown stored as HTML, quotes, mentions, edits with their
history, soft deletes, reactions, accepted answers, permalinks, and bad input."""

import pytest
from django.urls import reverse

from portal.forums import services
from portal.forums.models import (
    POSTS_PER_PAGE,
    Category,
    Notification,
    Post,
    PostRevision,
    Reaction,
    Status,
    Subscription,
    Topic,
)
from tests.forums.factories import PostFactory, SettledUserFactory, TopicFactory, reply

pytestmark = pytest.mark.django_db


def tough_calls():
    return Category.objects.get(slug="tough-calls")


def test_starting_a_topic_stores_rendered_html_and_watches_it(client, member):
    client.force_login(member)
    response = client.post(
        reverse("forums:topic_create", kwargs={"slug": "tough-calls"}),
        {"title": "Raid at 2am, no streamer", "body": "Do I **lock** chat?"},
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    opening = topic.posts.get()
    assert opening.is_opening and opening.body_html == "<p>Do I <strong>lock</strong> chat?</p>"
    assert Subscription.objects.get(user=member, topic=topic).level == "watching"
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Raid at 2am, no streamer" in page and "<strong>lock</strong>" in page


def test_a_title_too_short_is_an_error_beside_the_field_and_nothing_is_written(client, member):
    client.force_login(member)
    response = client.post(
        reverse("forums:topic_create", kwargs={"slug": "tough-calls"}),
        {"title": "Hm", "body": "Body"},
    )
    assert response.status_code == 200
    assert 'id="id_title_error"' in response.content.decode()
    assert not Topic.objects.exists() and not Post.objects.exists()


def test_script_in_a_post_is_shown_as_text(member):
    body = "<script>alert(1)</script> [x](javascript:alert(1))"
    post = services.post_create(author=member, topic=TopicFactory(), body=body)
    assert "<script>" not in post.body_html and "javascript:" not in post.body_html


def test_replying_counts_and_bumps_the_topic(client, member):
    topic = TopicFactory()
    client.force_login(member)
    response = client.post(reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "Me too."})
    post = Post.objects.get(topic=topic, is_opening=False)
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    topic.refresh_from_db()
    assert topic.reply_count == 1 and topic.last_post_by == member
    assert Subscription.objects.get(user=member, topic=topic).level == "watching"


def test_the_quote_link_starts_a_reply_quoting_the_post_and_naming_its_author(client, member):
    topic = TopicFactory()
    quoted = reply(topic, body="Timeouts first,\nbans later.")
    client.force_login(member)
    page = client.get(reverse("forums:reply", kwargs={"pk": topic.pk}) + f"?quote={quoted.pk}")
    body = page.context["form"].initial["body"]
    assert body.startswith(f"> @{quoted.author.username} [wrote](/forums/p/{quoted.pk}/):")
    assert "> Timeouts first,\n> bans later." in body


def test_a_quote_of_a_post_the_reader_cannot_see_is_left_out(client, member):
    topic = TopicFactory()
    hidden = reply(topic, body="secret", status=Status.HIDDEN)
    client.force_login(member)
    page = client.get(reverse("forums:reply", kwargs={"pk": topic.pk}) + f"?quote={hidden.pk}")
    assert page.context["form"].initial["body"] == ""


def test_a_mention_notifies_the_person_once_and_links_their_profile(member, other_member):
    post = services.post_create(
        author=member,
        topic=TopicFactory(),
        body=f"@{other_member.username} what do you think, @{other_member.username}?",
    )
    assert Notification.objects.filter(recipient=other_member, kind="mention").count() == 1
    assert f'<a href="/people/{other_member.username}/"' in post.body_html


def test_a_mention_inside_code_is_not_a_mention(member, other_member):
    services.post_create(
        author=member, topic=TopicFactory(), body=f"Type `@{other_member.username}` in chat."
    )
    assert not Notification.objects.filter(recipient=other_member).exists()


def test_replies_notify_watchers_but_not_the_author_or_people_who_muted(member, other_member):
    topic = TopicFactory()
    muted = SettledUserFactory()
    services.subscription_set(user=muted, topic=topic, level="muted")
    services.post_create(author=member, topic=topic, body="First reply")
    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (topic.author_id, "reply")
    ]
    services.post_create(author=other_member, topic=topic, body="Second reply")
    # The starter's unread notice gathers both; the first replier now watches and is told.
    starter = Notification.objects.get(recipient=topic.author)
    assert starter.count == 2 and starter.actor == other_member
    assert Notification.objects.filter(recipient=member, kind="reply").count() == 1
    assert not Notification.objects.filter(recipient=muted).exists()


def test_watching_a_category_notifies_of_new_topics(member, other_member):
    services.subscription_set(user=other_member, category=tough_calls(), level="watching")
    topic = services.topic_create(
        author=member, category=tough_calls(), title="New here, first call", body="Hi"
    )
    note = Notification.objects.get(recipient=other_member)
    assert note.kind == "new_topic" and note.topic == topic


def test_editing_keeps_the_earlier_version_in_a_visible_history(client, member, other_member):
    post = services.post_create(author=member, topic=TopicFactory(), body="First **draft**")
    client.force_login(member)
    response = client.post(reverse("forums:post_edit", kwargs={"pk": post.pk}), {"body": "Fixed"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body_html == "<p>Fixed</p>" and post.edit_count == 1
    revision = PostRevision.objects.get(post=post)
    assert revision.body == "First **draft**" and revision.number == 1
    client.force_login(other_member)
    history = client.get(reverse("forums:post_history", kwargs={"pk": post.pk})).content.decode()
    assert "First <strong>draft</strong>" in history and "Fixed" in history


def test_editing_an_opening_post_can_rename_the_topic(member):
    topic = services.topic_create(
        author=member, category=tough_calls(), title="Old title here", body="Body"
    )
    services.post_edit(post=topic.posts.get(), editor=member, body="Body", title="A better title")
    topic.refresh_from_db()
    assert (topic.title, topic.slug) == ("A better title", "a-better-title")
    assert PostRevision.objects.get().title == "Old title here"


def test_only_the_author_edits(client, member, other_member, moderator):
    post = reply(TopicFactory(), author=member)
    url = reverse("forums:post_edit", kwargs={"pk": post.pk})
    for person in (other_member, moderator):
        client.force_login(person)
        response = client.post(url, {"body": "taken over"})
        assert response.status_code == 403
        assert "Only the author edits" in response.content.decode()
    post.refresh_from_db()
    assert post.body != "taken over"


@pytest.mark.parametrize("page", ["forums:post_edit", "forums:post_delete", "forums:post_history"])
def test_a_posts_own_pages_say_where_it_is_in_the_forums(client, member, page):
    topic = TopicFactory()
    post = reply(topic, author=member)
    client.force_login(member)
    html = client.get(reverse(page, kwargs={"pk": post.pk})).content.decode()
    crumbs = f'<a href="{reverse("forums:index")}">Forums</a> ›'
    assert crumbs in html and topic.category.name in html and topic.get_absolute_url() in html
    assert 'aria-current="page">Forums</a>' in html


def test_deleting_is_soft_and_the_author_can_do_it(client, member, other_member):
    topic = TopicFactory()
    post = reply(topic, author=member)
    client.force_login(member)
    assert client.post(reverse("forums:post_delete", kwargs={"pk": post.pk})).status_code == 302
    post.refresh_from_db()
    assert post.status == Status.DELETED  # still there, for the record
    topic.refresh_from_db()
    assert topic.reply_count == 0
    client.force_login(other_member)
    assert client.get(post.get_absolute_url()).status_code == 404


def test_a_topic_others_replied_to_keeps_its_opening_post(client, member):
    topic = TopicFactory(author=member)
    reply(topic)
    opening = topic.posts.get(is_opening=True)
    client.force_login(member)
    response = client.post(reverse("forums:post_delete", kwargs={"pk": opening.pk}))
    assert response.status_code == 403 and "Others have replied" in response.content.decode()


def test_deleting_a_lone_opening_post_deletes_the_topic(client, member, other_member):
    topic = TopicFactory(author=member)
    client.force_login(member)
    opening = topic.posts.get()
    client.post(reverse("forums:post_delete", kwargs={"pk": opening.pk}))
    topic.refresh_from_db()
    assert topic.status == Status.DELETED
    client.force_login(other_member)
    assert client.get(topic.get_absolute_url()).status_code == 404


def test_reactions_are_one_each_per_person_given_and_taken_back(client, member, other_member):
    post = reply(TopicFactory(), author=member)
    url = reverse("forums:post_react", kwargs={"pk": post.pk})
    client.force_login(other_member)
    client.post(url, {"give": "helpful"})
    client.post(url, {"give": "thanks"})
    assert Reaction.objects.filter(post=post).count() == 2
    assert client.post(url, {"give": "helpful"}).status_code == 302  # again: still given
    assert Reaction.objects.filter(post=post).count() == 2
    client.post(url, {"take_back": "helpful"})
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["thanks"]
    assert client.post(url, {"take_back": "helpful"}).status_code == 302  # again: still gone
    post.refresh_from_db()
    assert (post.helpful_count, post.thanks_count) == (0, 1)
    # The author heard about each kind once, not again when it came back.
    client.post(url, {"give": "helpful"})
    assert Notification.objects.filter(recipient=member, kind="reaction").count() == 2


def test_nobody_reacts_to_their_own_post_and_a_bad_kind_is_a_400(client, member):
    post = reply(TopicFactory(), author=member)
    client.force_login(member)
    url = reverse("forums:post_react", kwargs={"pk": post.pk})
    assert client.post(url, {"give": "helpful"}).status_code == 403
    assert client.post(url, {"give": "love"}).status_code == 400
    assert client.post(url, {"kind": "helpful"}).status_code == 400  # neither give nor take back
    assert client.post(url, {"give": "helpful", "take_back": "helpful"}).status_code == 400
    assert client.get(url).status_code == 405
    assert not Reaction.objects.exists()


def test_the_asker_marks_an_accepted_answer_shown_under_the_question(client, member, other_member):
    topic = TopicFactory(author=member)
    answer = reply(topic, author=other_member, body="Use slow mode, then follower-only.")
    reply(topic, body="Filler")
    client.force_login(member)
    client.post(reverse("forums:post_accept", kwargs={"pk": answer.pk}))
    topic.refresh_from_db()
    assert topic.accepted_answer == answer
    assert Notification.objects.filter(recipient=other_member, kind="accepted").exists()
    page = client.get(topic.get_absolute_url()).content.decode()
    question_at, accepted_at = page.index("How would you handle"), page.index("Accepted answer")
    assert question_at < accepted_at < page.index("Filler")


def test_only_the_asker_or_a_moderator_accepts_and_only_in_qa_categories(
    client, member, other_member, moderator
):
    topic = TopicFactory(author=member)
    answer = reply(topic)
    url = reverse("forums:post_accept", kwargs={"pk": answer.pk})
    client.force_login(other_member)
    assert client.post(url).status_code == 403
    client.force_login(moderator)
    assert client.post(url).status_code == 302
    chat = TopicFactory(category=Category.objects.get(slug="introductions"), author=member)
    client.force_login(member)
    response = client.post(reverse("forums:post_accept", kwargs={"pk": reply(chat).pk}))
    assert response.status_code == 403 and "not a Q&amp;A category" in response.content.decode()


def test_a_permalink_finds_the_posts_page_for_the_reader(client, member):
    topic = TopicFactory()
    posts = PostFactory.create_batch(POSTS_PER_PAGE + 5, topic=topic)
    target = posts[POSTS_PER_PAGE + 2]  # with the opening post, the 24th: page 2
    response = client.get(target.get_absolute_url())
    assert response["Location"] == f"{topic.get_absolute_url()}?page=2#post-{target.pk}"


def test_an_old_slug_redirects_to_the_topics_address(client):
    topic = TopicFactory()
    response = client.get(reverse("forums:topic", kwargs={"pk": topic.pk, "slug": "old-name"}))
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()


def test_the_lock_and_close_switches_stop_replies_with_a_reason(client, member, moderator):
    topic = TopicFactory()
    services.topic_moderate(topic=topic, moderator=moderator, action="close")
    client.force_login(member)
    response = client.post(reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "late"})
    assert response.status_code == 403 and "closed" in response.content.decode()
    services.topic_moderate(topic=topic, moderator=moderator, action="reopen")
    services.topic_moderate(topic=topic, moderator=moderator, action="lock")
    response = client.post(reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "late"})
    assert response.status_code == 403 and "locked" in response.content.decode()
    assert topic.reply_count == 0 and not Post.objects.filter(body="late").exists()
    # Moderators can still post in a locked topic (to explain why it is locked).
    assert services.post_create(author=moderator, topic=topic, body="Locked while we look.")
