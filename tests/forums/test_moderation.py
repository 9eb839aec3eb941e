"""The review queue (held posts and reports together, oldest first), the decisions taken there,
topic actions, suspensions, and the log that keeps all of it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.forums import services
from portal.forums.models import (
    Category,
    Flag,
    ModerationAction,
    Notification,
    Status,
    Suspension,
)
from tests.forums.factories import FilterTermFactory, SettledUserFactory, TopicFactory, reply

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def blocked(db):
    return FilterTermFactory(text="zorblax")


def held_reply(topic, author, body="You zorblax."):
    return services.post_create(author=author, topic=topic, body=body)


def test_the_queue_holds_held_posts_and_reports_oldest_first(client, member, moderator):
    topic = TopicFactory()
    reported = reply(topic, body="Buy followers at example")
    services.post_report(post=reported, reporter=member, reason="spam")
    Flag.objects.update(created_at=timezone.now() - timedelta(hours=2))
    held = held_reply(topic, SettledUserFactory())
    client.force_login(moderator)
    page = client.get(reverse("forums:queue"))
    flags = list(page.context["page"].object_list)
    assert [f.post for f in flags] == [reported, held]
    html = page.content.decode()
    assert "Reported: Spam" in html and "Held for review" in html
    assert "blocked term “zorblax”" in html


def test_approving_publishes_the_post_tells_the_author_and_watchers_and_logs_it(
    client, member, moderator
):
    topic = TopicFactory()
    post = held_reply(topic, member)
    assert not Notification.objects.filter(recipient=topic.author).exists()  # not yet
    flag = Flag.objects.get(post=post)
    client.force_login(moderator)
    response = client.post(reverse("forums:flag_act", kwargs={"pk": flag.pk, "action": "approve"}))
    assert response.status_code == 302
    post.refresh_from_db()
    flag.refresh_from_db()
    assert post.status == Status.PUBLISHED and post.published_at is not None
    assert (flag.resolution, flag.resolved_by) == ("approved", moderator)
    assert Notification.objects.filter(recipient=member, kind="moderation").exists()
    assert Notification.objects.filter(recipient=topic.author, kind="reply").exists()
    action = ModerationAction.objects.get()
    assert (action.action, action.moderator, action.person) == ("approve", moderator, member)
    topic.refresh_from_db()
    assert topic.reply_count == 1


def test_denying_keeps_the_post_hidden_and_sends_the_reason_to_the_author(
    client, member, other_member, moderator
):
    topic = TopicFactory()
    post = held_reply(topic, member)
    flag = Flag.objects.get(post=post)
    client.force_login(moderator)
    url = reverse("forums:flag_act", kwargs={"pk": flag.pk, "action": "deny"})
    client.post(url, {"reason": ""})  # a denial needs a reason
    post.refresh_from_db()
    assert post.status == Status.HELD
    client.post(url, {"reason": "Name-calling; say it without the insult."})
    post.refresh_from_db()
    assert post.status == Status.HIDDEN
    note = Notification.objects.get(recipient=member, kind="moderation")
    assert "Name-calling; say it without the insult." in note.message
    client.force_login(member)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Hidden by a forum moderator" in page and "Name-calling" in page
    client.force_login(other_member)
    assert "zorblax" not in client.get(topic.get_absolute_url()).content.decode()


def test_a_decision_already_taken_is_not_taken_twice(client, member, moderator):
    post = held_reply(TopicFactory(), member)
    flag = Flag.objects.get(post=post)
    services.post_approve(post=post, moderator=moderator)
    client.force_login(moderator)
    response = client.post(
        reverse("forums:flag_act", kwargs={"pk": flag.pk, "action": "deny"}),
        {"reason": "late"},
        follow=True,
    )
    assert "another moderator may have acted on it already" in response.content.decode()
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED
    assert ModerationAction.objects.count() == 1


def test_a_report_is_dismissed_or_the_post_hidden(client, member, other_member, moderator):
    topic = TopicFactory()
    kept = reply(topic, author=other_member, body="Strong opinion, fairly put.")
    harsh = reply(topic, author=other_member, body="A pile-on.")
    services.post_report(post=kept, reporter=member, reason="harassment")
    services.post_report(post=harsh, reporter=member, reason="harassment", details="3rd time")
    client.force_login(moderator)
    first, second = Flag.objects.order_by("pk")
    client.post(reverse("forums:flag_act", kwargs={"pk": first.pk, "action": "dismiss"}))
    client.post(
        reverse("forums:flag_act", kwargs={"pk": second.pk, "action": "hide"}),
        {"reason": "Pile-ons are not allowed."},
    )
    kept.refresh_from_db()
    harsh.refresh_from_db()
    assert kept.status == Status.PUBLISHED and harsh.status == Status.HIDDEN
    assert not Flag.objects.open().exists()
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        "dismiss",
        "hide",
    ]
    topic.refresh_from_db()
    assert topic.reply_count == 1


def test_reporting_a_post_once_with_a_reason(client, member):
    post = reply(TopicFactory())
    client.force_login(member)
    url = reverse("forums:post_report", kwargs={"pk": post.pk})
    response = client.post(url, {"reason": "other", "details": ""})
    assert response.status_code == 200 and 'id="id_details_error"' in response.content.decode()
    assert client.post(url, {"reason": "spam"}).status_code == 302
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 302  # done already: back to the post, told so
    assert "already reported" in client.get(response.url, follow=True).content.decode()
    assert Flag.objects.count() == 1
    assert client.post(url, {"reason": "filter"}).status_code == 200  # not a person's reason


def test_a_topic_action_whose_note_holds_a_control_character_is_refused_beside_it(
    client, moderator
):
    topic = TopicFactory()
    client.force_login(moderator)
    url = reverse("forums:topic_moderate", kwargs={"pk": topic.pk})
    for note in ("heated\x00", "heated\x1b"):  # NUL, which PostgreSQL refuses, and the rest
        response = client.post(url, {"action": "lock", "reason": note})
        assert response.status_code == 200
        assert b'id="topic-note-reason_error"' in response.content
    topic.refresh_from_db()
    assert not topic.is_locked
    assert not ModerationAction.objects.exists()


def test_pin_lock_close_and_move_are_logged(client, moderator):
    topic = TopicFactory()
    client.force_login(moderator)
    url = reverse("forums:topic_moderate", kwargs={"pk": topic.pk})
    for action in ("pin", "lock", "close", "pin"):  # pinning twice is logged once
        client.post(url, {"action": action, "reason": "heated"})
    wellbeing = Category.objects.get(slug="wellbeing")
    client.post(url, {"action": "move", "category": wellbeing.pk, "reason": "fits better"})
    topic.refresh_from_db()
    assert topic.is_pinned and topic.is_locked and topic.is_closed
    assert topic.category == wellbeing
    log = list(ModerationAction.objects.order_by("pk").values_list("action", "reason"))
    assert log == [
        ("pin", "heated"),
        ("lock", "heated"),
        ("close", "heated"),
        ("move", "fits better"),
    ]
    assert ModerationAction.objects.get(action="move").details == {
        "from": "Tough calls",
        "to": "Wellbeing",
    }
    page = client.get(reverse("forums:moderation_log")).content.decode()
    assert "moved a topic (Tough calls → Wellbeing)" in page
    assert client.post(url, {"action": "explode"}).status_code == 400


def test_hiding_an_opening_post_hides_the_topic_and_restoring_brings_it_back(
    client, member, other_member, moderator
):
    topic = TopicFactory(author=member)
    opening = topic.posts.get()
    client.force_login(moderator)
    url = reverse("forums:post_moderate", kwargs={"pk": opening.pk})
    client.post(url, {"action": "hide", "reason": "Doxxing"})
    topic.refresh_from_db()
    assert topic.status == Status.HIDDEN
    client.force_login(other_member)
    assert client.get(topic.get_absolute_url()).status_code == 404
    client.force_login(member)
    assert "Doxxing" in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(moderator)
    client.post(url, {"action": "unhide"})
    topic.refresh_from_db()
    assert topic.status == Status.PUBLISHED


def test_a_moderator_deleting_a_post_tells_its_author_and_logs_it(client, member, moderator):
    post = reply(TopicFactory(), author=member)
    client.force_login(moderator)
    client.post(reverse("forums:post_delete", kwargs={"pk": post.pk}), {"reason": "Spam link"})
    post.refresh_from_db()
    assert post.status == Status.DELETED
    assert ModerationAction.objects.get().action == "delete"
    assert "Spam link" in Notification.objects.get(recipient=member).message


def test_suspending_until_a_date_with_a_reason_and_lifting_it(client, member, moderator):
    client.force_login(moderator)
    url = reverse("forums:person_moderate", kwargs={"username": member.username})
    response = client.post(url, {"until": "2001-01-01", "reason": "x"})
    assert 'id="id_until_error"' in response.content.decode()
    day = (timezone.now() + timedelta(days=7)).date()
    assert client.post(url, {"until": day.isoformat(), "reason": "Harassment"}).status_code == 302
    suspension = Suspension.objects.get()
    assert suspension.until.date() == day and suspension.reason == "Harassment"
    topic = TopicFactory()
    with pytest.raises(Exception, match="suspended from posting"):
        services.post_create(author=member, topic=topic, body="Can I?")
    client.post(reverse("forums:suspension_lift", kwargs={"pk": suspension.pk}))
    member = type(member).objects.get(pk=member.pk)  # as the next request loads them
    assert services.post_create(author=member, topic=topic, body="Thanks, I will do better.")
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        "suspend",
        "lift",
    ]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_the_queue_returns_only_to_a_page_of_this_site(client, member, moderator, target):
    post = held_reply(TopicFactory(), member)
    flag = Flag.objects.get(post=post)
    client.force_login(moderator)
    response = client.post(
        reverse("forums:flag_act", kwargs={"pk": flag.pk, "action": "approve"}), {"next": target}
    )
    assert response["Location"] == reverse("forums:queue")
