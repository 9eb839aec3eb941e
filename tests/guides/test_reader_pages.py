"""The guides index and a lesson share their common part among signed-in readers of a class
(portal/guides/pages.py): each reader's page is the one built for them alone, byte for byte,
whoever built the part, and nothing of one reader shows to another."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.guides import services
from portal.guides.models import LessonFeedback
from tests.reader_pages import page_text, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.READER_PAGE_CACHE = True


def give_progress(reader, library) -> None:
    """Read, ticked, answered, said what they think, earned a badge: every hole filled."""
    services.lesson_complete(user=reader, lesson=library.ladder)
    services.lesson_checklist_save(
        user=reader, lesson=library.ladder, keys=[library.ladder.checklist[1]["key"]]
    )
    services.check_submit(user=reader, track=library.enforcer, lesson=library.ladder, answers=[1])
    services.lesson_feedback_give(
        user=reader,
        lesson=library.ladder,
        helpful=False,
        reason="confusing",
        comment="The <b>ladder</b> & its steps?",
    )
    services.lesson_complete(user=reader, lesson=library.basics)
    services.lesson_complete(user=reader, lesson=library.rules)  # Start here's badge
    reader.profile.roles.set([library.enforcer.role])


def test_a_lesson_is_the_same_for_a_reader_with_progress_whoever_built_it(
    user, other_user, library, same_when_shared
):
    give_progress(user, library)
    text = same_when_shared(
        url=library.ladder.get_absolute_url(), reader=user, warmed_by=other_user
    )
    assert "You marked this lesson read on" in text
    assert text.count(" checked>") == 3  # a checklist tick, the "no" and its reason
    assert "Your last answers: 0 of 1" in text
    assert "The &lt;b&gt;ladder&lt;/b&gt; &amp; its steps?" in text


def test_a_lesson_shows_nothing_of_the_reader_who_built_it(
    user, other_user, library, same_when_shared
):
    give_progress(other_user, library)
    text = same_when_shared(
        url=library.ladder.get_absolute_url(), reader=user, warmed_by=other_user
    )
    assert "Mark as read" in text and "You marked this lesson read" not in text
    assert "checked" not in text
    assert "Your last answers" not in text and "You answered" not in text
    assert "ladder" not in text.lower().split("lesson-feedback")[1]  # no one else's comment


def test_the_index_is_the_same_for_a_reader_with_progress_whoever_built_it(
    user, other_user, library, same_when_shared
):
    give_progress(user, library)
    text = same_when_shared(url=reverse("guides:index"), reader=user, warmed_by=other_user)
    assert "1 of 2 read" in text and "2 of 2 read" in text
    assert "Continue where you left off" in text
    assert text.count("Fits your roles") == 1 and "Badge earned" in text


def test_the_index_shows_nothing_of_the_reader_who_built_it(
    user, other_user, library, same_when_shared
):
    give_progress(other_user, library)
    text = same_when_shared(url=reverse("guides:index"), reader=user, warmed_by=other_user)
    assert text.count("0 of 2 read") == 2
    assert "Continue where you left off" not in text
    assert "Fits your roles" not in text and "Badge earned" not in text


def test_staff_and_members_each_get_their_own_index(user, staff_user, library, same_when_shared):
    """The staff link is in the shared part, so staff are a class of their own."""
    staff_text = same_when_shared(
        url=reverse("guides:index"), reader=staff_user, warmed_by=user, shared=False
    )
    member_text = same_when_shared(
        url=reverse("guides:index"), reader=user, warmed_by=staff_user, shared=False
    )
    assert "Staff: lesson feedback" in staff_text
    assert "Staff: lesson feedback" not in member_text


def test_staff_and_members_share_a_lesson(user, staff_user, library, same_when_shared):
    """A lesson shows staff nothing more, so they are in the members' class there."""
    give_progress(staff_user, library)
    text = same_when_shared(
        url=library.ladder.get_absolute_url(), reader=staff_user, warmed_by=user
    )
    assert "You marked this lesson read on" in text


def test_a_reader_whose_form_has_a_mistake_is_served_alone(
    user, other_user, library, cache_on, shared_parts
):
    """Their page shows their own sent answers and errors, so no shared part is used, and
    the rest of their page is filled as usual."""
    give_progress(user, library)
    page_text(signed_in(other_user), library.ladder.get_absolute_url())  # warms the part
    spy = shared_parts()
    client = signed_in(user)
    sent = {"feedback-helpful": "no", "feedback-comment": "Typed but no reason"}
    url = reverse("guides:lesson_feedback", args=[library.enforcer.slug, library.ladder.slug])
    response = client.post(url, sent)
    text = response.content.decode()
    assert response.status_code == 400 and not spy.hits
    assert "Tell us what was wrong" in text and "Typed but no reason" in text
    assert "You marked this lesson read on" in text  # their own progress, as ever
    assert LessonFeedback.objects.get(user=user).comment == "The <b>ladder</b> & its steps?"

    check_url = reverse("guides:lesson_check", args=[library.enforcer.slug, library.ladder.slug])
    response = client.post(check_url, {})
    assert response.status_code == 400 and not spy.hits
    assert "Choose an answer to this question." in response.content.decode()


def test_a_reader_sees_their_own_change_at_once(client, user, library, cache_on):
    client.force_login(user)
    lesson_url = library.ladder.get_absolute_url()
    assert "Mark as read" in client.get(lesson_url).content.decode()
    assert "0 of 2 read" in client.get(reverse("guides:index")).content.decode()

    complete = reverse("guides:lesson_complete", args=[library.enforcer.slug, library.ladder.slug])
    client.post(complete, {"completed": "yes"})
    assert "You marked this lesson read on" in client.get(lesson_url).content.decode()
    index = client.get(reverse("guides:index")).content.decode()
    assert "1 of 2 read" in index and "Continue where you left off" in index


def test_a_discussion_opened_by_one_reader_shows_at_once_to_the_next(
    user, other_user, library, cache_on
):
    """Opening a lesson's discussion changes the lesson's shared part (its forum link): the
    POST moves the site's content on, so a reader who had the old part cached gets a new one."""
    reader = signed_in(other_user)
    lesson_url = library.ladder.get_absolute_url()
    assert "Discuss this lesson" not in page_text(reader, lesson_url)

    discuss = reverse("forums:lesson_discuss", kwargs={"pk": library.ladder.pk})
    response = signed_in(user).post(discuss)
    assert response.status_code == 302
    library.ladder.refresh_from_db()
    text = page_text(reader, lesson_url)
    assert "Discuss this lesson" in text and library.ladder.discussion_url in text
