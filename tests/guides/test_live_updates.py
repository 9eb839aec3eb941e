"""A lesson's "Done reading?" box and checklist with htmx and without: sent by htmx, each gets
back its own part of the lesson page (templates/guides/lesson_detail.html's partials); sent
without JavaScript, the same form redirects to the page as it always did."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.guides.models import LessonProgress

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, lesson):
    return reverse(f"guides:{name}", args=[lesson.track.slug, lesson.slug])


def test_marking_a_lesson_read_by_htmx_gets_the_box_and_the_read_mark_back(client, user, library):
    client.force_login(user)
    response = client.post(url("lesson_complete", library.ladder), {"completed": "yes"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<section id="lesson-progress"') and "<html" not in html
    assert "is marked as read." in html and "Mark as not read" in html
    # The "Read" mark under the title is swapped in beside it (out of band).
    assert '<span id="lesson-read-mark" hx-swap-oob="true"> · <span class="badge' in html
    assert LessonProgress.objects.get(user=user, lesson=library.ladder).completed_at

    response = client.post(url("lesson_complete", library.ladder), {"completed": "no"}, **HTMX)
    html = response.content.decode()
    assert (
        "is marked as not read." in html
        and '<span id="lesson-read-mark" hx-swap-oob="true"></span>' in html
    )


def test_marking_a_lesson_read_without_javascript_still_redirects(client, user, library):
    client.force_login(user)
    response = client.post(url("lesson_complete", library.ladder), {"completed": "yes"})
    assert response.status_code == 302 and response["Location"] == library.ladder.get_absolute_url()


def test_ticking_a_checklist_item_by_htmx_gets_the_checklist_back_saved(client, user, library):
    client.force_login(user)
    keys = [item["key"] for item in library.ladder.checklist]
    response = client.post(url("lesson_checklist", library.ladder), {"items": [keys[0]]}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<section id="lesson-checklist"') and "<html" not in html
    assert "Your checklist is saved." in html and html.count("checked") == 1
    assert LessonProgress.objects.get(user=user).checklist_done == [keys[0]]


def test_ticking_a_checklist_without_javascript_still_redirects(client, user, library):
    client.force_login(user)
    response = client.post(url("lesson_checklist", library.ladder), {"items": []})
    assert response.status_code == 302
    assert response["Location"] == f"{library.ladder.get_absolute_url()}#lesson-checklist"


def test_strangers_are_sent_to_log_in_with_htmx_too_the_whole_page(client, library):
    response = client.post(url("lesson_complete", library.ladder), {"completed": "yes"}, **HTMX)
    assert response.status_code == 200 and "/accounts/login/" in response["HX-Redirect"]
    assert not LessonProgress.objects.exists()


def test_the_lesson_page_sends_its_forms_both_ways(client, user, library):
    client.force_login(user)
    html = client.get(library.ladder.get_absolute_url()).content.decode()
    complete = url("lesson_complete", library.ladder)
    checklist = url("lesson_checklist", library.ladder)
    assert f'action="{complete}"' in html and f'hx-post="{complete}"' in html
    assert f'action="{checklist}"' in html and f'hx-post="{checklist}"' in html
    assert 'hx-trigger="change, submit"' in html
    assert '<span id="lesson-read-mark">' in html


def test_ticking_a_track_checklist_by_htmx_and_without(client, user, library):
    client.force_login(user)
    keys = [item["key"] for item in library.enforcer.checklist]
    checklist = reverse("guides:track_checklist", args=[library.enforcer.slug])
    response = client.post(checklist, {"items": keys[:2]}, **HTMX)
    html = response.content.decode()
    assert html.strip().startswith('<section id="track-checklist"') and "<html" not in html
    assert "Your checklist is saved." in html and html.count("checked") == 2

    response = client.post(checklist, {"items": []})
    assert response.status_code == 302
    assert response["Location"] == f"{library.enforcer.get_absolute_url()}#track-checklist"
