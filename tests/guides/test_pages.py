"""The guides pages: the library, a track, a lesson, as readers and signed-out visitors see them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from portal.guides.models import Badge, Lesson, LessonProgress, Track
from tests.guides.conftest import sync, write_lesson

pytestmark = pytest.mark.django_db


def lesson_url(lesson):
    return reverse("guides:lesson", args=[lesson.track.slug, lesson.slug])


def test_index_lists_every_track_with_role_length_and_summary(client, library):
    text = client.get(reverse("guides:index")).content.decode()
    assert text.index("Start here") < text.index("Chat Enforcer")  # by the tracks' order
    assert "For: Chat Enforcer · 2 lessons · about 10 min" in text
    assert "For: Everyone · 2 lessons" in text
    assert "What the chat-enforcer track teaches." in text
    assert "Find your role" in text
    assert "to keep your progress" in text  # signed out: invited to sign in, not shown bars
    assert "<progress" not in text


def test_index_shows_a_readers_progress_and_where_to_continue(client, user, library):
    LessonProgress.objects.create(user=user, lesson=library.ladder, completed_at=timezone.now())
    client.force_login(user)
    text = client.get(reverse("guides:index")).content.decode()
    assert "1 of 2 read" in text and "0 of 2 read" in text
    assert "Continue where you left off" in text
    assert lesson_url(library.queue) in text


def test_index_marks_the_tracks_that_fit_the_readers_roles(client, user, library):
    user.profile.roles.set([library.enforcer.role])
    client.force_login(user)
    text = client.get(reverse("guides:index")).content.decode()
    assert text.count("Fits your roles") == 1


def test_index_without_a_library_says_so(client, db):
    text = client.get(reverse("guides:index")).content.decode()
    assert "has not been loaded yet" in text


def test_track_page_lists_lessons_in_order_and_offers_the_first(client, library):
    response = client.get(library.enforcer.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("Warn, time out, ban") < text.index("The held queue")
    assert "Start the track: Warn, time out, ban" in text
    assert "Moderators new to the role." in text
    assert "Read the rules." in text  # the checklist, as a plain list when signed out
    assert "2 questions about the whole track; pass with 2 right" in text


def test_track_page_continues_where_the_reader_left_off(client, user, library):
    LessonProgress.objects.create(user=user, lesson=library.ladder, completed_at=timezone.now())
    client.force_login(user)
    text = client.get(library.enforcer.get_absolute_url()).content.decode()
    assert "Continue where you left off: The held queue" in text
    assert '<progress class="progress" max="2" value="1"' in text
    assert "1 of 2 lessons read" in text


def test_unknown_or_retired_tracks_and_lessons_are_404(client, library):
    assert client.get(reverse("guides:track", args=["no-such-track"])).status_code == 404
    Lesson.objects.filter(pk=library.queue.pk).update(is_retired=True)
    assert client.get(lesson_url(library.queue)).status_code == 404
    Track.objects.filter(pk=library.enforcer.pk).update(is_retired=True)
    assert client.get(library.enforcer.get_absolute_url()).status_code == 404


def test_lesson_page_shows_the_stored_html_toc_reading_time_and_neighbours(client, library):
    text = client.get(lesson_url(library.ladder)).content.decode()
    assert '<h1 id="lesson-title">Warn, time out, ban</h1>' in text
    assert '<h2 id="why-it-matters">Why it matters</h2>' in text
    assert '<a href="#a-worked-scenario">A worked scenario</a>' in text
    assert "5 min read" in text and "Last reviewed" in text and "1 November 2026" in text
    assert "Lesson 1 of 2 in" in text
    assert "Next: The held queue" in text
    assert "Back to Chat Enforcer" in text
    queue_text = client.get(lesson_url(library.queue)).content.decode()
    assert "Previous: Warn, time out, ban" in queue_text
    assert "take the track's knowledge check" in queue_text


def test_lesson_page_never_renders_markdown_per_request(client, library, monkeypatch):
    import portal.markup

    def fail(*args, **kwargs):
        raise AssertionError("rendered per request")

    monkeypatch.setattr(portal.markup, "render_markdown_with_toc", fail)
    monkeypatch.setattr(portal.markup, "render_markdown", fail)
    assert client.get(lesson_url(library.ladder)).status_code == 200


def test_a_lesson_past_its_review_date_says_so(client, library):
    due = library.ladder.review_due
    with time_machine.travel(due, tick=False):
        assert "due for a review" not in client.get(lesson_url(library.ladder)).content.decode()
    with time_machine.travel(due + timedelta(days=1), tick=False):
        text = client.get(lesson_url(library.ladder)).content.decode()
    assert "This lesson was due for a review on 30 April 2027" in text


def test_a_lesson_rewritten_after_you_read_it_says_updated(client, user, library):
    # Read after the library was loaded (the fixture), then rewritten.
    LessonProgress.objects.create(user=user, lesson=library.basics, completed_at=timezone.now())
    client.force_login(user)
    url = lesson_url(library.basics)
    assert "Updated since you read it" not in client.get(url).content.decode()

    write_lesson(
        library.dir, "start-here", "01-what-moderators-do.md", body="## New\n\nAll new text.\n"
    )
    sync(library.dir)
    assert "Updated since you read it" in client.get(url).content.decode()
    track_page = client.get(library.start_here.get_absolute_url()).content.decode()
    assert "Updated since you read it" in track_page


def test_the_discussion_link_shows_once_set(client, library):
    url = lesson_url(library.ladder)
    assert "Discuss this lesson" not in client.get(url).content.decode()
    Lesson.objects.filter(pk=library.ladder.pk).update(discussion_url="/forums/t/42/")
    assert '<a href="/forums/t/42/">Discuss this lesson' in client.get(url).content.decode()


def test_signed_out_visitors_read_everything_but_see_no_forms(client, library):
    text = client.get(lesson_url(library.ladder)).content.decode()
    assert "Find the timeout button." in text
    assert "This lesson has a 1-question check." in text
    assert '<form method="post" action="/guides/' not in text
    assert "Log in</a> or" in text


def test_links_between_lessons_are_plain_site_paths(client, library):
    text = client.get(lesson_url(library.rules)).content.decode()
    assert 'href="/guides/chat-enforcer/warn-timeout-ban/"' in text
    assert client.get("/guides/chat-enforcer/warn-timeout-ban/").status_code == 200


def test_certificate_page_is_shareable_and_names_the_person(client, user, other_user, library):
    badge = Badge.objects.create(user=user, track=library.enforcer)
    user.profile.display_name = "Cozy Mod"
    user.profile.save()
    text = client.get(badge.get_absolute_url()).content.decode()
    assert "Certificate of completion" in text and "Cozy Mod" in text
    assert "Chat Enforcer" in text and "Share it" not in text
    client.force_login(user)
    assert "Share it" in client.get(badge.get_absolute_url()).content.decode()
    assert client.get(reverse("guides:certificate", args=["not-a-code"])).status_code == 404


def test_the_profile_shows_badges(client, user, library):
    profile_url = reverse("accounts:profile", kwargs={"username": user.username})
    assert "No guide badges yet" in client.get(profile_url).content.decode()
    badge = Badge.objects.create(user=user, track=library.enforcer)
    text = client.get(profile_url).content.decode()
    assert "Guide badges" in text and badge.get_absolute_url() in text


def test_pages_have_no_inline_script_or_style(client, user, staff_user, library):
    Badge.objects.create(user=user, track=library.enforcer)
    client.force_login(staff_user)
    urls = [
        reverse("guides:index"),
        library.enforcer.get_absolute_url(),
        lesson_url(library.ladder),
        reverse("guides:track_check", args=["chat-enforcer"]),
        reverse("guides:search") + "?q=moderation",
        reverse("guides:find_your_role"),
        reverse("guides:feedback_review"),
        Badge.objects.get().get_absolute_url(),
    ]
    for url in urls:
        text = client.get(url).content.decode()
        assert "style=" not in text and " onclick" not in text, url
        # The one script is a file of ours (htmx, loaded by base.html), never inline code.
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", text, re.DOTALL)
        assert scripts == [(' src="/static/js/htmx.min.js" defer', "")], url


def test_review_dates_are_dates(library):
    assert isinstance(library.ladder.review_due, date)
