"""Each guide lesson can link to its forum discussion: opened on request, in the category of
the lesson's role track, once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.forums.models import Topic
from portal.guides.models import Lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons(db):
    call_command("sync_guides", verbosity=0)  # the real library in guides/
    return Lesson.objects.active().select_related("track")


def test_discussing_a_lesson_opens_one_topic_in_its_role_category(client, lessons, member):
    lesson = lessons.filter(track__slug="chat-enforcer").first()
    client.force_login(member)
    url = reverse("forums:lesson_discuss", kwargs={"pk": lesson.pk})
    response = client.post(url)
    topic = Topic.objects.get()
    assert response["Location"] == topic.get_absolute_url()
    assert topic.category.slug == "chat-enforcer" and lesson.title in topic.title
    lesson.refresh_from_db()
    assert lesson.discussion_url == topic.get_absolute_url()
    assert client.post(url)["Location"] == topic.get_absolute_url()  # the same one again
    assert Topic.objects.count() == 1
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "Discuss this lesson" in page and topic.get_absolute_url() in page
    assert client.get(url).status_code == 405


def test_the_foundations_lessons_are_discussed_with_new_moderators_questions(lessons, member):
    from portal.forums.services import lesson_discussion_open

    lesson = lessons.filter(track__slug="start-here").first()
    lesson_discussion_open(lesson=lesson, author=member)
    assert Topic.objects.get().category.slug == "new-moderators-questions"


def test_the_command_is_a_dry_run_unless_told_for_real(lessons, moderator, member):
    call_command("open_lesson_discussions", author=moderator.username, verbosity=0)
    assert not Topic.objects.exists()
    call_command("open_lesson_discussions", author=moderator.username, for_real=True)
    assert Topic.objects.count() == lessons.count()
    assert not Lesson.objects.active().filter(discussion_url__isnull=True).exists()
    call_command("open_lesson_discussions", author=moderator.username, for_real=True)
    assert Topic.objects.count() == lessons.count()
    with pytest.raises(Exception, match="not an active forum moderator"):
        call_command("open_lesson_discussions", author=member.username)
