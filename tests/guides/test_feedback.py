"""“Was this helpful?” and the staff page that reads the answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from portal.guides.models import FeedbackReason, Lesson, LessonFeedback

pytestmark = pytest.mark.django_db


def feedback_url(lesson):
    return reverse("guides:lesson_feedback", args=[lesson.track.slug, lesson.slug])


def test_a_reader_says_a_lesson_helped(client, user, library):
    client.force_login(user)
    response = client.post(feedback_url(library.ladder), {"feedback-helpful": "yes"})
    assert response.status_code == 302
    feedback = LessonFeedback.objects.get(user=user, lesson=library.ladder)
    assert feedback.helpful and feedback.reason == ""


def test_not_helpful_needs_a_reason(client, user, library):
    client.force_login(user)
    response = client.post(feedback_url(library.ladder), {"feedback-helpful": "no"})
    assert response.status_code == 400
    assert "Tell us what was wrong" in response.content.decode()
    assert not LessonFeedback.objects.exists()

    client.post(
        feedback_url(library.ladder),
        {
            "feedback-helpful": "no",
            "feedback-reason": "inaccurate",
            "feedback-comment": "  The button moved.  ",
        },
    )
    feedback = LessonFeedback.objects.get()
    assert (feedback.helpful, feedback.reason, feedback.comment) == (
        False,
        FeedbackReason.INACCURATE,
        "The button moved.",
    )


def test_a_reader_can_change_their_answer_and_it_stays_one_answer(client, user, library):
    client.force_login(user)
    client.post(
        feedback_url(library.ladder), {"feedback-helpful": "no", "feedback-reason": "other"}
    )
    client.post(
        feedback_url(library.ladder), {"feedback-helpful": "yes", "feedback-reason": "other"}
    )
    feedback = LessonFeedback.objects.get()
    assert feedback.helpful and feedback.reason == ""  # a "yes" keeps no reason
    page = client.get(library.ladder.get_absolute_url()).content.decode()
    assert "You answered “yes”" in page


def test_a_comment_is_shown_to_staff_as_text(client, user, staff_user, library):
    LessonFeedback.objects.create(
        user=user,
        lesson=library.ladder,
        helpful=False,
        reason="confusing",
        comment="<script>alert(1)</script> too long",
    )
    LessonFeedback.objects.create(user=staff_user, lesson=library.ladder, helpful=True)
    client.force_login(staff_user)
    text = client.get(reverse("guides:feedback_review")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; too long" in text
    assert "not helpful: it is confusing" in text
    assert "<td>1</td><td>1</td>" in text  # one helpful, one not, for the ladder


def test_staff_see_lessons_past_their_review_date(client, staff_user, library):
    Lesson.objects.filter(pk=library.queue.pk).update(
        review_due=library.queue.review_due.replace(year=2020)
    )
    client.force_login(staff_user)
    text = client.get(reverse("guides:feedback_review")).content.decode()
    due_section = text.split("Past their review date")[1].split("Helpfulness by lesson")[0]
    assert (
        "The held queue" in due_section and "chat-enforcer/02-held-message-queue.md" in due_section
    )
    assert "Warn, time out, ban" not in due_section


def test_the_staff_page_has_empty_states(client, staff_user, library):
    Lesson.objects.update(review_due=library.ladder.review_due + timedelta(days=3650))
    client.force_login(staff_user)
    text = client.get(reverse("guides:feedback_review")).content.decode()
    assert "Every lesson is within its review interval." in text
    assert "No comments yet." in text


def test_the_staff_page_is_for_staff_only(client, user, library):
    assert client.get(reverse("guides:feedback_review")).status_code == 302
    client.force_login(user)
    assert client.get(reverse("guides:feedback_review")).status_code == 403


def test_comments_are_paginated(client, staff_user, library):
    from portal.accounts.models import User

    people = User.objects.bulk_create(User(username=f"reader{i}") for i in range(30))
    LessonFeedback.objects.bulk_create(
        LessonFeedback(user=p, lesson=library.ladder, helpful=True, comment=f"note {i}")
        for i, p in enumerate(people)
    )
    client.force_login(staff_user)
    first = client.get(reverse("guides:feedback_review")).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(reverse("guides:feedback_review") + "?page=2").content.decode()
    assert second.count("note ") == 5


def test_new_comments_count_in_staff_review_until_they_look(
    client, user, other_user, staff_user, library
):
    """The header's Review count holds the comments a member of staff has not seen yet."""
    from portal.review.selectors import review_desk

    def new_comments() -> int:
        staff_user.refresh_from_db()
        desk = review_desk(staff_user)
        return next(tool.waiting for tool in desk.tools if tool.name == "Guide feedback")

    LessonFeedback.objects.create(user=user, lesson=library.ladder, helpful=True)  # no comment
    LessonFeedback.objects.create(
        user=other_user, lesson=library.ladder, helpful=False, reason="missing", comment="More?"
    )
    assert new_comments() == 1
    client.force_login(staff_user)
    page = client.get(reverse("guides:feedback_review")).content.decode()
    assert '<span class="badge">New</span>' in page
    assert new_comments() == 0

    client.force_login(user)
    client.post(
        feedback_url(library.ladder),
        {"feedback-helpful": "no", "feedback-reason": "confusing", "feedback-comment": "Why?"},
    )
    assert new_comments() == 1
    client.force_login(staff_user)
    page = client.get(reverse("guides:feedback_review")).content.decode()
    assert page.count('<span class="badge">New</span>') == 1  # "Why?", not "More?"
    assert new_comments() == 0
