"""A reader's progress: reading, checklists, checks, badges; and nobody else's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.guides import services
from portal.guides.models import Badge, CheckAttempt, LessonProgress, TrackProgress, pass_mark
from tests.guides.conftest import answer_sheet, submit

pytestmark = pytest.mark.django_db


def url(name, lesson_or_track, *extra):
    if hasattr(lesson_or_track, "track"):
        return reverse(f"guides:{name}", args=[lesson_or_track.track.slug, lesson_or_track.slug])
    return reverse(f"guides:{name}", args=[lesson_or_track.slug, *extra])


def test_pass_marks_round_up():
    assert [pass_mark(n) for n in (1, 2, 3, 5, 7, 10)] == [1, 2, 3, 4, 6, 8]


def test_marking_a_lesson_read_and_unread(client, user, library):
    client.force_login(user)
    response = client.post(url("lesson_complete", library.ladder), {"completed": "yes"})
    assert response.status_code == 302 and response["Location"] == library.ladder.get_absolute_url()
    progress = LessonProgress.objects.get(user=user, lesson=library.ladder)
    assert progress.completed_at is not None
    page = client.get(library.ladder.get_absolute_url()).content.decode()
    assert "You marked this lesson read on" in page and "Mark as not read" in page

    client.post(url("lesson_complete", library.ladder), {"completed": "no"})
    progress.refresh_from_db()
    assert progress.completed_at is None


def test_checklist_ticks_are_kept_and_unticked(client, user, library):
    client.force_login(user)
    keys = [item["key"] for item in library.ladder.checklist]
    client.post(url("lesson_checklist", library.ladder), {"items": keys})
    assert LessonProgress.objects.get(user=user).checklist_done == keys
    page = client.get(library.ladder.get_absolute_url()).content.decode()
    assert page.count("checked") == 2

    client.post(url("lesson_checklist", library.ladder), {"items": [keys[1]]})
    assert LessonProgress.objects.get(user=user).checklist_done == [keys[1]]


def test_a_tampered_checklist_keeps_only_real_items(client, user, library):
    client.force_login(user)
    key = library.ladder.checklist[0]["key"]
    client.post(url("lesson_checklist", library.ladder), {"items": [key, "made-up"]})
    assert LessonProgress.objects.get(user=user).checklist_done == [key]


def test_track_checklist_is_kept(client, user, library):
    client.force_login(user)
    keys = [item["key"] for item in library.enforcer.checklist][:2]
    response = client.post(url("track_checklist", library.enforcer), {"items": keys})
    assert response.status_code == 302
    assert TrackProgress.objects.get(user=user, track=library.enforcer).checklist_done == keys


def test_a_lesson_check_is_scored_and_explained_once_passed(client, user, library):
    """A miss sends the reader back to the lesson, without the right answer; a pass explains."""
    client.force_login(user)
    wrong = answer_sheet(user, track=library.enforcer, lesson=library.ladder, right=False)
    response = client.post(url("lesson_check", library.ladder), wrong)
    assert response.status_code == 302
    attempt = CheckAttempt.objects.get(user=user)
    assert (attempt.score, attempt.total, attempt.passed) == (0, 1, False)
    page = client.get(library.ladder.get_absolute_url()).content.decode()
    assert "You scored 0 of 1" in page
    assert "✗ Missed." in page
    assert f'Re-read: <a href="{library.ladder.get_absolute_url()}">Warn, time out, ban</a>' in page
    assert "The right answer" not in page and "Because the platform says so." not in page

    client.post(
        url("lesson_check", library.ladder),
        answer_sheet(user, track=library.enforcer, lesson=library.ladder),
    )
    progress = LessonProgress.objects.get(user=user, lesson=library.ladder)
    assert progress.check_passed_at is not None
    page = client.get(library.ladder.get_absolute_url()).content.decode()
    assert "✓ Correct." in page and "Because the platform says so." in page


def test_an_unanswered_check_is_a_form_error(client, user, library):
    client.force_login(user)
    response = client.post(url("lesson_check", library.ladder), {"check-attempt": "1"})
    assert response.status_code == 400
    assert "Choose an answer to this question." in response.content.decode()
    assert not CheckAttempt.objects.exists()


def test_old_answers_are_not_explained_against_new_questions(client, user, library):
    client.force_login(user)
    client.post(
        url("lesson_check", library.ladder),
        answer_sheet(user, track=library.enforcer, lesson=library.ladder, right=False),
    )
    CheckAttempt.objects.update(questions_hash="an older version")
    page = client.get(library.ladder.get_absolute_url()).content.decode()
    assert "Your last answers" not in page


def test_completing_a_track_earns_a_badge(client, user, library):
    """Every lesson read and the track's check passed, in any order, earns the badge once."""
    client.force_login(user)
    client.post(url("lesson_complete", library.ladder), {"completed": "yes"})
    response = client.post(
        url("track_check_submit", library.enforcer), answer_sheet(user, track=library.enforcer)
    )
    assert response["Location"].endswith("/guides/chat-enforcer/check/#results")
    assert not Badge.objects.exists()  # one lesson still unread

    response = client.post(url("lesson_complete", library.queue), {"completed": "yes"}, follow=True)
    badge = Badge.objects.get(user=user, track=library.enforcer)
    assert "earned its badge" in response.content.decode()
    assert (
        badge.get_absolute_url() in client.get(library.enforcer.get_absolute_url()).content.decode()
    )

    # Doing it all again awards nothing new.
    client.post(
        url("track_check_submit", library.enforcer), answer_sheet(user, track=library.enforcer)
    )
    assert Badge.objects.count() == 1


def test_a_track_without_a_check_is_complete_when_every_lesson_is_read(user, library):
    services.lesson_complete(user=user, lesson=library.basics)
    badge = services.lesson_complete(user=user, lesson=library.rules)
    assert badge is not None and badge.track == library.start_here


def test_a_failed_track_check_earns_nothing(client, user, library):
    client.force_login(user)
    for lesson in (library.ladder, library.queue):
        client.post(url("lesson_complete", lesson), {"completed": "yes"})
    wrong = answer_sheet(user, track=library.enforcer, right=False)
    response = client.post(url("track_check_submit", library.enforcer), wrong, follow=True)
    assert "You scored 0 of 2" in response.content.decode()
    assert "Try again" in response.content.decode()
    assert not Badge.objects.exists()


def test_a_badge_is_kept_when_the_track_later_grows(user, library):
    services.lesson_complete(user=user, lesson=library.basics)
    services.lesson_complete(user=user, lesson=library.rules)
    from tests.guides.conftest import sync, write_lesson

    write_lesson(library.dir, "start-here", "03-new-lesson.md")
    sync(library.dir)
    assert Badge.objects.filter(user=user, track=library.start_here).exists()


def test_changes_need_sign_in(client, library):
    for target in [
        url("lesson_complete", library.ladder),
        url("lesson_checklist", library.ladder),
        url("lesson_check", library.ladder),
        url("lesson_feedback", library.ladder),
        url("track_checklist", library.enforcer),
        url("track_check_submit", library.enforcer),
        reverse("guides:roles_save"),
    ]:
        response = client.post(target, {"completed": "yes", "check-q0": "2"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], target
    assert not LessonProgress.objects.exists() and not CheckAttempt.objects.exists()


def test_changes_are_post_only(client, user, library):
    client.force_login(user)
    for target in [
        url("lesson_complete", library.ladder),
        url("lesson_checklist", library.ladder),
        url("lesson_check", library.ladder),
        url("lesson_feedback", library.ladder),
        url("track_checklist", library.enforcer),
        url("track_check_submit", library.enforcer),
        reverse("guides:roles_save"),
    ]:
        assert client.get(target).status_code == 405, target
    assert not LessonProgress.objects.exists()


def test_changes_need_the_csrf_token(user, library):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(url("lesson_complete", library.ladder), {"completed": "yes"})
    assert response.status_code == 403
    assert not LessonProgress.objects.exists()


def test_nobody_sees_anyone_elses_progress(client, user, other_user, library):
    services.lesson_complete(user=user, lesson=library.ladder)
    services.lesson_checklist_save(
        user=user, lesson=library.ladder, keys=[library.ladder.checklist[0]["key"]]
    )
    submit(user, track=library.enforcer, lesson=library.ladder)
    client.force_login(other_user)
    lesson_page = client.get(library.ladder.get_absolute_url()).content.decode()
    assert "You marked this lesson read" not in lesson_page
    assert "checked" not in lesson_page
    assert "Your last answers" not in lesson_page
    index = client.get(reverse("guides:index")).content.decode()
    assert "1 of 2 read" not in index
    track_page = client.get(library.enforcer.get_absolute_url()).content.decode()
    assert "Read</span>" not in track_page


def test_nobody_changes_anyone_elses_progress(client, user, other_user, library):
    """No request names a person: whatever is posted acts on the signed-in reader only."""
    services.lesson_complete(user=user, lesson=library.ladder)
    client.force_login(other_user)
    client.post(url("lesson_complete", library.ladder), {"completed": "no", "user": user.pk})
    client.post(url("lesson_checklist", library.ladder), {"items": [], "user": user.pk})
    mine = LessonProgress.objects.get(user=user, lesson=library.ladder)
    assert mine.completed_at is not None
    theirs = LessonProgress.objects.get(user=other_user, lesson=library.ladder)
    assert theirs.completed_at is None


def test_the_certificate_is_the_only_page_about_someone_else(client, user, other_user, library):
    """The certificate is shared on purpose (an unguessable address); it shows the badge, not
    the person's progress, checklist or answers."""
    services.lesson_complete(user=user, lesson=library.basics)
    badge = services.lesson_complete(user=user, lesson=library.rules)
    client.force_login(other_user)
    text = client.get(badge.get_absolute_url()).content.decode()
    assert "Certificate of completion" in text and "Share it" not in text
    assert len(badge.code) >= 16


def test_completed_at_is_now(user, library):
    before = timezone.now()
    services.lesson_complete(user=user, lesson=library.ladder)
    assert LessonProgress.objects.get().completed_at >= before
