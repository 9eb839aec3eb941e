"""Rate limits per person per minute, tighter for new accounts, with a clear message; and the
same text posted twice in a few minutes."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.forums import limits, services
from portal.forums.models import Category, Post, Topic
from tests.factories import UserFactory
from tests.forums.factories import TopicFactory

pytestmark = pytest.mark.django_db


def post_many(author, topic, n, prefix="Reply"):
    for i in range(n):
        services.post_create(author=author, topic=topic, body=f"{prefix} number {i}")


def test_a_settled_account_posts_six_replies_a_minute(member):
    topic = TopicFactory()
    post_many(member, topic, limits.POSTS.regular)
    with pytest.raises(ValidationError) as caught:
        services.post_create(author=member, topic=topic, body="One too many")
    message = caught.value.messages[0]
    assert "the limit is 6 posts a minute" in message and "Try again in" in message


def test_a_new_account_is_held_to_two_a_minute_and_told_why(member):
    newcomer = UserFactory()  # joined just now
    topic = TopicFactory()
    post_many(newcomer, topic, limits.POSTS.new_account)
    with pytest.raises(ValidationError) as caught:
        services.post_create(author=newcomer, topic=topic, body="Third")
    assert "2 posts a minute while an account is less than 7 days old" in (caught.value.messages[0])


def test_the_limit_frees_up_as_the_minute_passes(member):
    topic = TopicFactory()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        post_many(member, topic, limits.POSTS.regular)
        clock.shift(timedelta(seconds=61))
        assert services.post_create(author=member, topic=topic, body="Fresh minute")


def test_topics_have_their_own_tighter_limit(member):
    tough = Category.objects.get(slug="tough-calls")
    for i in range(limits.TOPICS.regular):
        services.topic_create(author=member, category=tough, title=f"Question {i}", body=f"B{i}")
    with pytest.raises(ValidationError, match="2 topics a minute"):
        services.topic_create(author=member, category=tough, title="Question 9", body="B9")


def test_forum_moderators_have_no_limits(moderator):
    topic = TopicFactory()
    post_many(moderator, topic, limits.POSTS.regular + 3)
    assert Post.objects.filter(author=moderator).count() == limits.POSTS.regular + 3


def test_the_limit_is_a_429_with_the_reason_beside_the_reply_and_nothing_is_written(client, member):
    topic = TopicFactory()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        post_many(member, topic, limits.POSTS.regular)
        clock.shift(timedelta(seconds=20))
        client.force_login(member)
        response = client.post(reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "More"})
    assert response.status_code == 429
    assert response["Retry-After"] == "40"  # when the oldest of the six leaves the minute
    page = response.content.decode()
    assert 'id="id_body_error"' in page and "Slow down a little" in page
    assert "Try again in 40 seconds" in page
    assert not Post.objects.filter(body="More").exists()


def test_a_report_over_the_limit_is_a_429_above_the_form(client, member):
    topic = TopicFactory()
    newcomer = UserFactory()
    posts = [Post.objects.create(topic=topic, author=member, body=f"p{i}") for i in range(6)]
    for post in posts[: limits.REPORTS.new_account]:
        services.post_report(post=post, reporter=newcomer, reason="spam")
    client.force_login(newcomer)
    response = client.post(
        reverse("forums:post_report", kwargs={"pk": posts[-1].pk}), {"reason": "spam"}
    )
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "5 reports an hour" in response.content.decode()


def test_other_refusals_keep_their_status_and_send_no_retry_after(client, member):
    topic = TopicFactory()
    services.post_create(author=member, topic=topic, body="Use slow mode.")
    client.force_login(member)
    response = client.post(
        reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "Use slow mode."}
    )
    assert response.status_code == 200 and "Retry-After" not in response


def test_the_same_text_twice_in_a_few_minutes_is_refused_with_a_link(client, member):
    topic = TopicFactory()
    first = services.post_create(author=member, topic=topic, body="Use slow mode.")
    client.force_login(member)
    response = client.post(
        reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "  use SLOW   mode. "}
    )
    page = response.content.decode()
    assert "You posted exactly this a moment ago" in page
    assert f'href="/forums/p/{first.pk}/"' in page  # a link, not escaped markup
    assert Post.objects.filter(author=member).count() == 1


def test_the_same_text_later_is_fine(member):
    topic = TopicFactory()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.post_create(author=member, topic=topic, body="Good morning, mods!")
        clock.shift(limits.DUPLICATE_WINDOW + timedelta(seconds=1))
        assert services.post_create(author=member, topic=topic, body="Good morning, mods!")


def test_a_new_topic_refused_by_a_limit_leaves_no_half_written_rows(member):
    tough = Category.objects.get(slug="tough-calls")
    services.topic_create(author=member, category=tough, title="Same body", body="Identical")
    with pytest.raises(ValidationError):
        services.topic_create(author=member, category=tough, title="Other title", body="Identical")
    assert Topic.objects.count() == 1 and Post.objects.count() == 1


def test_reports_are_limited_too(member):
    topic = TopicFactory()
    newcomer = UserFactory()
    posts = [Post.objects.create(topic=topic, author=member, body=f"p{i}") for i in range(6)]
    for post in posts[: limits.REPORTS.new_account]:
        services.post_report(post=post, reporter=newcomer, reason="spam")
    with pytest.raises(ValidationError, match="5 reports an hour"):
        services.post_report(post=posts[-1], reporter=newcomer, reason="spam")
