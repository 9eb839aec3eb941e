"""The forum's forms with htmx and without: sent by htmx (the HX-Request header), a form gets
back the part of the page it changed, rendered from the page's own template; sent without
JavaScript, the same form gets the redirect it always got. Also the reply preview (never
saved, rendered by the one sanitizing renderer), quoting into the reply box, and the
new-replies count a topic page polls for."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.forums import selectors, services
from portal.forums.models import Category, Flag, Post, Reaction, Status, Subscription
from portal.forums.permissions import FORUM_MODERATORS
from tests.forums.factories import SettledUserFactory, TopicFactory, reply
from tests.forums.pages import signed_in

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def topic(db):
    return TopicFactory()


def _html(response) -> str:
    return response.content.decode()


# Reacting ---------------------------------------------------------------------------------


def test_a_reaction_sent_by_htmx_gets_its_post_back(topic, member):
    post = reply(topic)
    response = signed_in(member).post(
        reverse("forums:post_react", kwargs={"pk": post.pk}), {"give": "thanks"}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#post-{post.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    html = _html(response)
    # Just the post, the reader's reaction shown pressed: no page around it.
    assert html.strip().startswith(f'<article class="post post-published" id="post-{post.pk}"')
    assert "<html" not in html and 'class="site-header"' not in html
    assert f'id="post-{post.pk}-thanks"' in html and 'aria-pressed="true"' in html
    assert Reaction.objects.filter(post=post, user=member, kind="thanks").exists()


def test_a_reaction_sent_without_javascript_still_redirects_to_the_post(topic, member):
    post = reply(topic)
    response = signed_in(member).post(
        reverse("forums:post_react", kwargs={"pk": post.pk}), {"give": "thanks"}
    )
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()


def test_a_reaction_to_a_post_on_a_later_page_comes_back_from_that_page(topic, member):
    posts = [reply(topic) for _ in range(21)]  # page 2 starts with the 20th reply
    last = posts[-1]
    response = signed_in(member).post(
        reverse("forums:post_react", kwargs={"pk": last.pk}), {"give": "helpful"}, **HTMX
    )
    assert response.status_code == 200 and f'id="post-{last.pk}"' in _html(response)


def test_an_htmx_reaction_to_a_post_one_may_not_see_is_not_found(topic, member):
    held = reply(topic, status=Status.HELD)
    response = signed_in(member).post(
        reverse("forums:post_react", kwargs={"pk": held.pk}), {"give": "thanks"}, **HTMX
    )
    assert response.status_code == 404


# Accepting an answer ----------------------------------------------------------------------


def test_accepting_an_answer_by_htmx_gets_the_topic_back(topic):
    answer = reply(topic)
    asker = signed_in(topic.author)
    response = asker.post(reverse("forums:post_accept", kwargs={"pk": answer.pk}), **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#topic-content"
    html = _html(response)
    assert html.strip().startswith('<div id="topic-content">')
    assert "Accepted answer" in html and "answered" in html
    assert "Unmark this answer" in html
    topic.refresh_from_db()
    assert topic.accepted_answer_id == answer.pk

    response = asker.post(reverse("forums:topic_unaccept", kwargs={"pk": topic.pk}), **HTMX)
    assert response.status_code == 200 and "Unmark this answer" not in _html(response)
    topic.refresh_from_db()
    assert topic.accepted_answer_id is None


def test_accepting_an_answer_without_javascript_still_redirects(topic):
    answer = reply(topic)
    response = signed_in(topic.author).post(reverse("forums:post_accept", kwargs={"pk": answer.pk}))
    assert response.status_code == 302 and response["Location"] == answer.get_absolute_url()


def test_only_the_asker_accepts_an_answer_with_htmx_too(topic, member):
    answer = reply(topic)
    response = signed_in(member).post(
        reverse("forums:post_accept", kwargs={"pk": answer.pk}), **HTMX
    )
    assert response.status_code == 403
    topic.refresh_from_db()
    assert topic.accepted_answer_id is None


# Watching ---------------------------------------------------------------------------------


def test_watching_a_topic_by_htmx_gets_the_watch_form_back_saying_it_is_saved(topic, member):
    url = reverse("forums:topic_watch", kwargs={"pk": topic.pk})
    response = signed_in(member).post(url, {"level": "watching"}, **HTMX)
    assert response.status_code == 200
    html = _html(response)
    assert html.strip().startswith(f'<form method="post" action="{url}" class="watch-form"')
    assert "Your notification setting is saved." in html
    assert 'value="watching" id="id_level_0" required checked' in html
    assert Subscription.objects.get(user=member, topic=topic).level == "watching"


def test_watching_a_category_by_htmx_and_without(member):
    category = Category.objects.get(slug="tough-calls")
    url = reverse("forums:category_watch", kwargs={"slug": category.slug})
    client = signed_in(member)
    response = client.post(url, {"level": "muted"}, **HTMX)
    assert response.status_code == 200
    assert "Notifications for this category" in _html(response)
    assert "Your notification setting is saved." in _html(response)
    assert Subscription.objects.get(user=member, category=category).level == "muted"

    response = client.post(url, {"level": "normal"})
    assert response.status_code == 302 and response["Location"] == category.get_absolute_url()


def test_a_watch_form_from_a_stranger_is_refused_with_htmx_too(topic):
    response = Client().post(
        reverse("forums:topic_watch", kwargs={"pk": topic.pk}), {"level": "watching"}, **HTMX
    )
    # Not followed inside the request (a log-in page in place of the form): htmx takes the
    # whole page to it (portal/core/htmx.py).
    assert response.status_code == 200 and "/accounts/login/" in response["HX-Redirect"]
    assert not Subscription.objects.filter(topic=topic, level="watching").exclude(user=topic.author)


# The moderation queue ---------------------------------------------------------------------


@pytest.fixture
def moderator_client(moderator):
    return signed_in(moderator)


def _held_reply(topic) -> tuple[Post, Flag]:
    post = reply(topic, status=Status.HELD)
    flag = Flag.objects.create(post=post, kind=Flag.Kind.HOLD, reason=Flag.Reason.FILTER)
    return post, flag


def test_approving_a_queue_item_by_htmx_gets_the_item_back_decided(topic, moderator_client):
    post, flag = _held_reply(topic)
    url = reverse("forums:flag_act", kwargs={"pk": flag.pk, "action": "approve"})
    response = moderator_client.post(url, {"next": "/forums/moderation/queue/"}, **HTMX)
    assert response.status_code == 200
    html = _html(response)
    assert html.strip().startswith(f'<article class="queue-item" id="queue-item-{flag.pk}"')
    assert "Approved: the post is published." in html
    assert "<form" not in html  # nothing left to decide
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED


def test_denying_without_a_reason_by_htmx_says_why_and_keeps_the_forms(topic, moderator_client):
    post, flag = _held_reply(topic)
    url = reverse("forums:flag_act", kwargs={"pk": flag.pk, "action": "deny"})
    sent = {"reason": "", "next": "/forums/moderation/queue/"}
    response = moderator_client.post(url, sent, **HTMX)
    html = _html(response)
    assert "Give a reason: the author sees it." in html and "<form" in html
    assert 'name="next" value="/forums/moderation/queue/"' in html
    post.refresh_from_db()
    assert post.status == Status.HELD


def test_a_queue_item_without_javascript_still_goes_back_to_the_queue(topic, moderator_client):
    _, flag = _held_reply(topic)
    url = reverse("forums:flag_act", kwargs={"pk": flag.pk, "action": "approve"})
    queue = "/forums/moderation/queue/?page=1"
    response = moderator_client.post(url, {"next": queue})
    assert response.status_code == 302 and response["Location"] == queue


def test_members_may_not_act_on_the_queue_with_htmx_either(topic, member):
    post, flag = _held_reply(topic)
    url = reverse("forums:flag_act", kwargs={"pk": flag.pk, "action": "approve"})
    assert signed_in(member).post(url, **HTMX).status_code == 403
    post.refresh_from_db()
    assert post.status == Status.HELD


# Preview and quoting ----------------------------------------------------------------------

HOSTILE = (
    "Hello **there** <script>alert(1)</script> <img src=x onerror=alert(2)> "
    "[click](javascript:alert(3))"
)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["without JavaScript", "htmx"])
def test_a_preview_shows_the_reply_rendered_safely_and_saves_nothing(topic, member, headers):
    url = reverse("forums:reply", kwargs={"pk": topic.pk})
    before = Post.objects.count()
    response = signed_in(member).post(url, {"body": HOSTILE, "preview": "1"}, **headers)
    assert response.status_code == 200
    assert Post.objects.count() == before
    html = _html(response)
    preview = html[html.index('<section class="panel reply-preview"') :]
    preview = preview[: preview.index("</section>")]
    assert "<strong>there</strong>" in preview
    # Raw HTML is shown as text, never as markup; the javascript: link loses its address.
    assert "<script" not in preview and "<img" not in preview and "javascript:" not in preview
    assert "&lt;script&gt;" in preview and '<a rel="nofollow ugc noopener">click</a>' in preview
    # The form keeps what was typed (escaped), ready to post.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    if headers:
        assert html.strip().startswith('<section id="reply-box"') and "<html" not in html
    else:
        assert "<html" in html and "Reply to “" in html


def test_a_preview_of_an_empty_reply_shows_the_error_not_a_preview(topic, member):
    url = reverse("forums:reply", kwargs={"pk": topic.pk})
    response = signed_in(member).post(url, {"body": "", "preview": "1"}, **HTMX)
    html = _html(response)
    assert 'class="panel reply-preview"' not in html and 'class="error"' in html


def test_posting_a_reply_still_redirects_to_it(topic, member):
    url = reverse("forums:reply", kwargs={"pk": topic.pk})
    response = signed_in(member).post(url, {"body": "A reply that is posted."})
    post = Post.objects.get(topic=topic, is_opening=False)
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()


def test_quoting_without_javascript_opens_the_reply_page_with_the_quote(topic, member):
    quoted = reply(topic, body="Timeouts first, bans last.")
    url = reverse("forums:reply", kwargs={"pk": topic.pk})
    html = _html(signed_in(member).get(url, {"quote": quoted.pk}))
    assert "&gt; @" in html and "&gt; Timeouts first, bans last." in html
    assert "<html" in html


def test_quoting_with_htmx_adds_the_quote_under_what_was_typed(topic, member):
    quoted = reply(topic, body="Timeouts first, bans last.")
    url = reverse("forums:reply", kwargs={"pk": topic.pk})
    response = signed_in(member).post(
        url, {"body": "I agree with this:", "quote": str(quoted.pk)}, **HTMX
    )
    html = _html(response)
    assert html.strip().startswith('<section id="reply-box"')
    typed = html.index("I agree with this:")
    assert typed < html.index("&gt; Timeouts first, bans last.")
    assert "autofocus" in html
    assert 'class="error"' not in html  # nothing was checked: the reply is not posted yet
    assert not Post.objects.filter(topic=topic, body__startswith="I agree").exists()


def test_a_quote_of_a_post_one_may_not_see_adds_nothing(topic, member):
    held = reply(topic, status=Status.HELD, body="Not for everyone yet.")
    url = reverse("forums:reply", kwargs={"pk": topic.pk})
    response = signed_in(member).post(url, {"body": "", "quote": str(held.pk)}, **HTMX)
    assert "Not for everyone yet." not in _html(response)


def test_the_topic_page_links_quote_and_preview_both_ways(topic, member):
    post = reply(topic)
    html = _html(signed_in(member).get(topic.get_absolute_url()))
    reply_url = reverse("forums:reply", kwargs={"pk": topic.pk})
    assert f'href="{reply_url}?quote={post.pk}"' in html  # without JavaScript
    assert f'hx-post="{reply_url}"' in html  # with it
    assert 'name="preview"' in html


# New replies ------------------------------------------------------------------------------


def _new_replies_url(topic, after) -> str:
    mark = selectors.seen_until_mark(after)
    return reverse("forums:topic_new_replies", kwargs={"pk": topic.pk}) + f"?after={mark}"


def test_the_last_page_asks_after_its_last_reply(topic, member):
    last = reply(topic)
    html = _html(signed_in(member).get(topic.get_absolute_url()))
    assert f'hx-get="{_new_replies_url(topic, last.published_at)}"' in html
    assert 'hx-trigger="every 30s"' in html


def test_new_replies_are_counted_after_the_moment_shown(topic, member, other_member):
    shown = reply(topic)
    url = _new_replies_url(topic, shown.published_at)
    client = signed_in(member)
    assert "new repl" not in _html(client.get(url, **HTMX))

    services.post_create(author=other_member, topic=topic, body="A first new reply.")
    services.post_create(author=other_member, topic=topic, body="And a second new one.")
    html = _html(client.get(url, **HTMX))
    unread = reverse("forums:topic_unread", kwargs={"pk": topic.pk})
    assert html.strip() == f'2 new replies: <a href="{unread}">show</a>'


def test_held_and_hidden_replies_are_not_announced(topic, member, other_member):
    shown = reply(topic)
    reply(topic, author=other_member, status=Status.HELD, created_at=timezone.now())
    hidden = reply(topic, author=other_member)
    Post.objects.filter(pk=hidden.pk).update(status=Status.HIDDEN)
    html = _html(signed_in(member).get(_new_replies_url(topic, shown.published_at), **HTMX))
    assert "new repl" not in html


def test_asking_about_new_replies_marks_nothing_read(topic, member, other_member):
    shown = reply(topic)
    client = signed_in(member)
    client.get(topic.get_absolute_url())
    reading = selectors.topic_reading(pk=topic.pk, viewer=member)
    services.post_create(author=other_member, topic=topic, body="Something new here.")
    client.get(_new_replies_url(topic, shown.published_at), **HTMX)
    again = selectors.topic_reading(pk=topic.pk, viewer=member)
    assert again.last_read_at == reading.last_read_at and again.new_count == 1


def test_new_replies_of_a_topic_one_may_not_see_are_not_found(member):
    held = TopicFactory(status=Status.HELD)
    url = _new_replies_url(held, timezone.now() - timedelta(days=1))
    assert signed_in(member).get(url, **HTMX).status_code == 404
    assert Client().get(url).status_code == 404
    # Its author and the forum moderators may ask.
    assert signed_in(held.author).get(url).status_code == 200
    moderator = SettledUserFactory()
    moderator.groups.add(Group.objects.get(name=FORUM_MODERATORS))
    assert signed_in(moderator).get(url).status_code == 200


@pytest.mark.parametrize("after", ["", "yesterday", "-5", "9" * 30])
def test_new_replies_need_a_moment_of_ours(topic, after):
    url = reverse("forums:topic_new_replies", kwargs={"pk": topic.pk})
    assert Client().get(url, {"after": after}).status_code == 400


def test_new_replies_cost_one_query(topic, member, assert_queries):
    shown = reply(topic)
    url = _new_replies_url(topic, shown.published_at)
    anonymous, reader = Client(), signed_in(member)
    reader.get(url)  # the session, now in the cache
    with assert_queries(1):  # the topic's status and author, with the count of new replies
        assert anonymous.get(url).status_code == 200
    with assert_queries(2):  # the person, then the same one query
        assert reader.get(url).status_code == 200


def test_the_new_replies_line_is_only_on_the_last_page(topic, member):
    for _ in range(21):
        reply(topic)
    client = signed_in(member)
    assert "every 30s" not in _html(client.get(topic.get_absolute_url()))
    assert "every 30s" in _html(client.get(topic.get_absolute_url() + "?page=2"))
