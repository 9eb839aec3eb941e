"""A reaction, a report, a watch setting or an accepted answer sent several times at once (a
double click, an impatient retry) is done once; every copy answers as a repeat would, never
a 500, and the author is told once.

A reaction button used to toggle: the same click sent twice at once gave the reaction and
took it back again. Now each button says what it wants (give, or take back), and doing it
again is done already.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.forums import services
from portal.forums.models import Flag, Notification, Reaction, Subscription
from tests.at_once import Browser, post_at_once, postgresql_only, statuses
from tests.forums.factories import CategoryFactory, TopicFactory, reply

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def test_a_reaction_given_five_times_at_once_is_given_once(live_server, member, other_member):
    post = reply(TopicFactory(), author=member)
    url = reverse("forums:post_react", kwargs={"pk": post.pk})
    answers = post_at_once(Browser(live_server, other_member), url, {"give": "thanks"})
    assert statuses(answers) == [302] * 5
    assert Reaction.objects.filter(post=post, user=other_member, kind="thanks").count() == 1
    post.refresh_from_db()
    assert post.thanks_count == 1
    assert Notification.objects.filter(recipient=member, kind="reaction").count() == 1
    # Every copy lands on the page showing the reaction as theirs.
    assert all('name="take_back" value="thanks"' in answer.page for answer in answers)


def test_a_reaction_taken_back_five_times_at_once_is_taken_back(live_server, member, other_member):
    post = reply(TopicFactory(), author=member)
    services.reaction_give(post=post, user=other_member, kind="helpful")
    url = reverse("forums:post_react", kwargs={"pk": post.pk})
    answers = post_at_once(Browser(live_server, other_member), url, {"take_back": "helpful"})
    assert statuses(answers) == [302] * 5
    assert not Reaction.objects.filter(post=post).exists()
    post.refresh_from_db()
    assert post.helpful_count == 0


def test_a_post_reported_five_times_at_once_is_reported_once(live_server, member):
    post = reply(TopicFactory())
    url = reverse("forums:post_report", kwargs={"pk": post.pk})
    answers = post_at_once(Browser(live_server, member), url, {"reason": "spam", "details": ""})
    assert statuses(answers) == [302] * 5
    assert Flag.objects.filter(post=post, reporter=member, kind="report").count() == 1
    assert sum("the forum moderators will look at it" in a.page for a in answers) == 5
    assert sum("already reported this post" in a.page for a in answers) == 4


def test_watching_a_topic_five_times_at_once_keeps_one_setting(live_server, member):
    topic = TopicFactory()
    url = reverse("forums:topic_watch", kwargs={"pk": topic.pk})
    answers = post_at_once(Browser(live_server, member), url, {"level": "watching"})
    assert statuses(answers) == [302] * 5
    assert list(Subscription.objects.filter(user=member).values_list("topic", "level")) == [
        (topic.pk, "watching")
    ]


def test_watching_a_category_five_times_at_once_keeps_one_setting(live_server, member):
    category = CategoryFactory()
    url = reverse("forums:category_watch", kwargs={"slug": category.slug})
    answers = post_at_once(Browser(live_server, member), url, {"level": "muted"})
    assert statuses(answers) == [302] * 5
    assert list(Subscription.objects.filter(user=member).values_list("category", "level")) == [
        (category.pk, "muted")
    ]


def test_an_answer_accepted_five_times_at_once_tells_its_author_once(
    live_server, member, other_member
):
    topic = TopicFactory(author=member)  # in Tough calls, a Q&A category
    answer = reply(topic, author=other_member)
    url = reverse("forums:post_accept", kwargs={"pk": answer.pk})
    answers = post_at_once(Browser(live_server, member), url, {})
    assert statuses(answers) == [302] * 5
    topic.refresh_from_db()
    assert topic.accepted_answer == answer
    assert Notification.objects.filter(recipient=other_member, kind="accepted").count() == 1
