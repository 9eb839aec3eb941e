"""The reflection box after a lesson, and each reader's private reflection journal.

A note is its writer's alone: no page shows it to another member or to site staff, the only
address that names a note answers 404 to everyone else, and it goes with the account.
"""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from portal.guides import services
from portal.guides.models import JournalEntry, Lesson
from portal.guides.services import JOURNAL_MAX_LENGTH
from tests.guides.conftest import LADDER_REFLECTION, question, sync, write_lesson

pytestmark = pytest.mark.django_db

JOURNAL = "/guides/journal/"
NOTE = "I gave a **30-minute** timeout for a first spoiler. Next time: 5 minutes."


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def journal_url(lesson) -> str:
    return reverse("guides:lesson_journal", args=[lesson.track.slug, lesson.slug])


def write(client: Client, lesson, body: str = NOTE):
    return client.post(journal_url(lesson), {"journal-body": body})


def test_the_prompt_has_its_own_box_after_the_lesson(client, user, library):
    text = client.get(library.ladder.get_absolute_url()).content.decode()
    box = text.index('id="lesson-reflection"')
    assert text.index("guides-lesson-body") < box < text.index('id="lesson-progress"')
    assert '<h2 id="reflection-heading">Reflect on it</h2>' in text
    assert LADDER_REFLECTION in text
    # Signed out: the prompt and an invitation, no form.
    assert "to keep a private note on it in your own reflection journal" in text
    assert 'name="journal-body"' not in text
    # A lesson without a prompt has no box.
    queue = client.get(library.queue.get_absolute_url()).content.decode()
    assert 'id="lesson-reflection"' not in queue


def test_a_reader_keeps_a_note_and_edits_it_later(user, library):
    reader = signed_in(user)
    assert 'name="journal-body"' in reader.get(library.ladder.get_absolute_url()).content.decode()
    response = write(reader, library.ladder)
    assert response.status_code == 302
    assert response["Location"].endswith("#lesson-reflection")
    entry = JournalEntry.objects.get(user=user, lesson=library.ladder)
    assert entry.body == NOTE and "<strong>30-minute</strong>" in entry.body_html
    assert entry.prompt == LADDER_REFLECTION

    text = reader.get(library.ladder.get_absolute_url()).content.decode()
    assert "<strong>30-minute</strong>" in text and "Save changes" in text
    assert "Next time: 5 minutes.</textarea>" in text  # the form holds the note to edit

    write(reader, library.ladder, "Five minutes is enough for a first spoiler.")
    entry.refresh_from_db()
    assert JournalEntry.objects.count() == 1
    assert entry.body == "Five minutes is enough for a first spoiler."


def test_a_note_is_rendered_through_the_sanitizer(user, library):
    write(signed_in(user), library.ladder, "<script>alert(1)</script> [x](javascript:alert(1))")
    html = JournalEntry.objects.get().body_html
    assert "<script" not in html and "javascript:" not in html


def test_an_empty_or_overlong_note_is_a_form_error_and_keeps_nothing(user, library):
    reader = signed_in(user)
    response = write(reader, library.ladder, "   ")
    assert response.status_code == 400 and "Write a few words first." in response.content.decode()
    response = write(reader, library.ladder, "x" * (JOURNAL_MAX_LENGTH + 1))
    assert response.status_code == 400
    assert f"at most {JOURNAL_MAX_LENGTH}" in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_a_lesson_without_a_prompt_takes_no_note(user, library):
    assert write(signed_in(user), library.queue).status_code == 404
    with pytest.raises(ValueError):
        services.journal_entry_save(user=user, lesson=library.queue, body="A note")
    assert not JournalEntry.objects.exists()


def test_notes_need_sign_in_post_and_the_csrf_token(client, user, library):
    response = write(client, library.ladder)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.get(JOURNAL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert signed_in(user).get(journal_url(library.ladder)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert write(strict, library.ladder).status_code == 403
    assert not JournalEntry.objects.exists()


def test_the_owner_sees_their_notes_in_their_journal(user, library):
    reader = signed_in(user)
    write(reader, library.ladder)
    response = reader.get(JOURNAL)
    text = response.content.decode()
    assert response.status_code == 200 and "<h1>My reflection journal</h1>" in text
    assert "<strong>30-minute</strong>" in text and LADDER_REFLECTION in text
    assert f"{library.ladder.get_absolute_url()}#lesson-reflection" in text
    assert "no-store" in response["Cache-Control"]
    assert JOURNAL in reader.get("/guides/").content.decode()  # linked from the guides


def test_nobody_else_sees_a_note_staff_included(user, other_user, staff_user, library):
    write(signed_in(user), library.ladder)
    entry = JournalEntry.objects.get()
    superuser = type(staff_user).objects.create_superuser("root", "root@example.com", "x")
    for person in (other_user, staff_user, superuser):
        client = signed_in(person)
        for url in (JOURNAL, library.ladder.get_absolute_url(), "/guides/"):
            text = client.get(url).content.decode()
            assert "30-minute" not in text and "Next time: 5 minutes" not in text, (person, url)
        assert "No notes yet." in client.get(JOURNAL).content.decode()
        # The only address that names a note: another person's is not found.
        delete = reverse("guides:journal_delete", args=[entry.pk])
        assert client.post(delete).status_code == 404, person
    assert JournalEntry.objects.filter(pk=entry.pk).exists()
    assert JournalEntry not in admin.site._registry  # not in the admin either


def test_the_owner_deletes_a_note(user, library):
    reader = signed_in(user)
    write(reader, library.ladder)
    entry = JournalEntry.objects.get()
    response = reader.post(reverse("guides:journal_delete", args=[entry.pk]), follow=True)
    assert "The note is deleted." in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_each_notes_delete_button_posts_to_its_own_address_with_the_pages_token(user, library):
    """The journal has one form (one CSRF field) and a button per note with its formaction."""
    write(signed_in(user), library.ladder)
    entry = JournalEntry.objects.get()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    text = strict.get(JOURNAL).content.decode()
    delete = reverse("guides:journal_delete", args=[entry.pk])
    assert f'formaction="{delete}"' in text and text.count("csrfmiddlewaretoken") == 2  # +log out
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
    assert strict.post(delete, {"csrfmiddlewaretoken": token}).status_code == 302
    assert not JournalEntry.objects.exists()


def test_notes_go_with_the_account(user, other_user, library):
    write(signed_in(user), library.ladder)
    write(signed_in(other_user), library.ladder)
    user.delete()
    assert list(JournalEntry.objects.values_list("user", flat=True)) == [other_user.pk]


def test_the_journal_pages_through_many_notes_newest_first(user, library):
    lessons = Lesson.objects.bulk_create(
        Lesson(
            uid=f"more-{n}", track=library.enforcer, slug=f"more-{n}", position=10 + n,
            source_path=f"x/{n}.md", title=f"More {n}", summary="S", minutes=1,
            last_reviewed=library.ladder.last_reviewed, review_every_days=90,
            review_due=library.ladder.review_due, reflection="Think.", body_html="<p>B</p>",
            body_text="B", content_hash="x",
        )
        for n in range(25)
    )  # fmt: skip
    for lesson in lessons:
        services.journal_entry_save(user=user, lesson=lesson, body=f"Note on {lesson.title}.")
    reader = signed_in(user)
    first = reader.get(JOURNAL).content.decode()
    assert "Note on More 24." in first and "Note on More 5." in first
    assert "Note on More 4." not in first and "Page 1 of 2" in first
    second = reader.get(JOURNAL + "?page=2").content.decode()
    assert "Note on More 4." in second and "Note on More 0." in second


def test_a_note_on_a_retired_lesson_stays_without_a_link(user, library):
    write(signed_in(user), library.ladder)
    Lesson.objects.filter(pk=library.ladder.pk).update(is_retired=True)
    text = signed_in(user).get(JOURNAL).content.decode()
    assert "(no longer in the library)" in text and "<strong>30-minute</strong>" in text
    assert library.ladder.get_absolute_url() not in text


def test_a_sync_that_retitles_a_lesson_shows_in_the_journal_at_once(user, library):
    """A note's lesson heading is a cached fragment keyed on the lesson's track version."""
    reader = signed_in(user)
    write(reader, library.ladder)
    assert ">Warn, time out, ban</a>" in reader.get(JOURNAL).content.decode()
    write_lesson(
        library.dir,
        "chat-enforcer",
        "01-warn-timeout-ban.md",
        title="Warn, then time out",
        checklist=["Find the timeout button.", "Write a moderator note."],
        questions=[question("What comes first?", correct=2)],
        reflection=LADDER_REFLECTION,
    )
    sync(library.dir)
    text = reader.get(JOURNAL).content.decode()
    assert ">Warn, then time out</a>" in text and "Warn, time out, ban" not in text
