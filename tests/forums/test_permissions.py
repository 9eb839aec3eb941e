"""Who sees and does what, page by page: anonymous visitors, another member, the owner, and
staff/forum moderators. Hidden things are 404s; things a person knows about but may not do
are 403s with the reason."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.forums import services
from portal.forums.models import Category, Status, Topic
from portal.forums.permissions import is_forum_moderator
from tests.forums.factories import SettledUserFactory, TopicFactory, reply

pytestmark = pytest.mark.django_db


def as_person(client, person):
    client.logout()
    if person is not None:
        client.force_login(person)
    return client


@pytest.fixture
def topic(member):
    return TopicFactory(author=member)


@pytest.mark.parametrize("status", [Status.HELD, Status.HIDDEN])
def test_held_and_hidden_posts_are_seen_by_their_author_and_moderators_only(
    client, topic, member, other_member, moderator, staff_user, status
):
    post = reply(topic, author=member, body="Only some eyes", status=status)
    expected = {None: 404, other_member: 404, staff_user: 404, member: 302, moderator: 302}
    for person, code in expected.items():
        assert as_person(client, person).get(post.get_absolute_url()).status_code == code
        shown = "Only some eyes" in client.get(topic.get_absolute_url()).content.decode()
        assert shown is (code == 302)


def test_a_deleted_post_is_seen_by_forum_moderators_only(client, topic, member, moderator):
    post = reply(topic, author=member, body="Gone now", status=Status.DELETED)
    assert as_person(client, member).get(post.get_absolute_url()).status_code == 404
    assert as_person(client, moderator).get(post.get_absolute_url()).status_code == 302


def test_a_held_topic_is_a_404_for_everyone_but_its_author_and_moderators(
    client, member, other_member, moderator
):
    topic = TopicFactory(author=member, status=Status.HELD)
    for person, code in {None: 404, other_member: 404, member: 200, moderator: 200}.items():
        assert as_person(client, person).get(topic.get_absolute_url()).status_code == code
    # Nobody can reply to it before it is approved, not even its author.
    response = as_person(client, member).post(
        reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "bump"}
    )
    assert response.status_code == 403


def test_anonymous_visitors_read_but_are_sent_to_log_in_to_write(client, topic):
    assert client.get(topic.get_absolute_url()).status_code == 200
    opening = topic.posts.get()
    for url in (
        reverse("forums:topic_create", kwargs={"slug": "tough-calls"}),
        reverse("forums:reply", kwargs={"pk": topic.pk}),
        reverse("forums:post_edit", kwargs={"pk": opening.pk}),
        reverse("forums:post_report", kwargs={"pk": opening.pk}),
        reverse("forums:notifications"),
        reverse("forums:queue"),
    ):
        response = client.post(url, {"body": "x", "title": "xxxxx"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Topic.objects.count() == 1


def test_announcements_are_posted_by_staff_only(client, member, staff_user, moderator):
    announcements = Category.objects.get(slug="announcements")
    url = reverse("forums:topic_create", kwargs={"slug": "announcements"})
    response = as_person(client, member).post(url, {"title": "Hello all", "body": "News"})
    assert response.status_code == 403 and "Only staff post in Announcements" in (
        response.content.decode()
    )
    assert (
        "Only staff post in Announcements"
        in client.get(announcements.get_absolute_url()).content.decode()
    )
    for person in (staff_user, moderator):
        response = as_person(client, person).post(url, {"title": "Hello all", "body": "News"})
        assert response.status_code == 302
    topic = Topic.objects.filter(category=announcements).first()
    response = as_person(client, member).post(
        reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "Reply"}
    )
    assert response.status_code == 403
    assert as_person(client, None).get(topic.get_absolute_url()).status_code == 200


def test_moderation_pages_are_for_forum_moderators_only(
    client, topic, member, staff_user, moderator
):
    opening = topic.posts.get()
    urls = [
        reverse("forums:queue"),
        reverse("forums:moderation_log"),
        reverse("forums:topic_moderate", kwargs={"pk": topic.pk}),
        reverse("forums:post_moderate", kwargs={"pk": opening.pk}),
        reverse("forums:person_moderate", kwargs={"username": member.username}),
    ]
    for person, code in {member: 403, staff_user: 403, moderator: 200}.items():
        for url in urls:
            assert as_person(client, person).get(url).status_code == code, (person, url)
    response = as_person(client, member).post(
        reverse("forums:topic_moderate", kwargs={"pk": topic.pk}), {"action": "pin"}
    )
    assert response.status_code == 403
    assert "Only forum moderators" in response.content.decode()
    topic.refresh_from_db()
    assert not topic.is_pinned


def test_superusers_are_forum_moderators_and_inactive_people_are_not(moderator):
    assert is_forum_moderator(SettledUserFactory(is_superuser=True))
    moderator.is_active = False
    assert not is_forum_moderator(moderator)


def test_moderators_and_staff_cannot_be_suspended_here(client, moderator, staff_user):
    other_moderator = SettledUserFactory(is_superuser=True)
    for person in (other_moderator, staff_user, moderator):
        response = as_person(client, moderator).post(
            reverse("forums:person_moderate", kwargs={"username": person.username}),
            {"until": "2099-01-01", "reason": "x"},
        )
        assert response.status_code == 403


def test_changes_need_post_and_a_csrf_token(topic, member):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    response = strict.post(reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "Hi"})
    assert response.status_code == 403
    assert topic.posts.count() == 1
    response = strict.get(reverse("forums:notifications_read"))
    assert response.status_code == 405


def test_a_suspended_person_reads_but_cannot_post_and_sees_why(client, topic, member, moderator):
    from datetime import timedelta

    from django.utils import timezone

    services.person_suspend(
        person=member,
        moderator=moderator,
        until=timezone.now() + timedelta(days=3),
        reason="Repeated pile-ons in Tough calls.",
    )
    as_person(client, member)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "You are suspended from posting" in page and "Repeated pile-ons" in page
    response = client.post(reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "Hi"})
    assert response.status_code == 403 and "Repeated pile-ons" in response.content.decode()
    notifications = client.get(reverse("forums:notifications")).content.decode()
    assert "Repeated pile-ons" in notifications
    # Reading and reacting stay open.
    post = reply(topic)
    response = client.post(reverse("forums:post_react", kwargs={"pk": post.pk}), {"give": "thanks"})
    assert response.status_code == 302
