"""What a reader of the guides sees after someone else's write.

The index's track cards and a lesson's body and questions are cached fragments, the same for
every reader and keyed on the versions of what they show (a track's ``version``, a lesson's
``content_hash``), which only sync_guides moves (templates/guides/index.html and
lesson_detail.html). Everything about one reader (what they have read, their ticks, their
last answers, their feedback, their badges and roles) is drawn around those fragments on
every request. So a sync shows at once, a reader's own writes show at once to them and never
to another reader, and a write that changes nothing a fragment shows leaves it cached.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.test import Client
from django.urls import reverse

from portal.guides.models import LessonFeedback, Track
from portal.guides.papers import check_paper
from tests.guides.conftest import answer_sheet, question, sync, write_lesson, write_track

pytestmark = pytest.mark.django_db

INDEX = "/guides/"


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def post(client: Client, name: str, lesson, data: dict) -> None:
    url = reverse(f"guides:{name}", args=[lesson.track.slug, lesson.slug])
    assert client.post(url, data).status_code == 302


def lesson_key(lesson) -> str:
    lesson.refresh_from_db()
    return make_template_fragment_key("guides-lesson", [lesson.pk, lesson.content_hash])


def place_keys(lesson) -> list[str]:
    """The lesson's header (its place in the track) and pager: keyed on the track's version."""
    lesson.track.refresh_from_db()
    vary_on = [lesson.pk, lesson.track.version]
    return [make_template_fragment_key(name, vary_on) for name in PLACE_FRAGMENTS]


PLACE_FRAGMENTS = ("guides-lesson-head", "guides-lesson-pager")


def blank_keys(lesson) -> list[str]:
    """The lesson page's forms as every reader sees them before answering: (form, version);
    the checklist's version is the lesson's content hash, the others are the same everywhere."""
    lesson.refresh_from_db()
    forms = [("feedback", ""), ("journal", ""), ("lesson-checklist", lesson.content_hash)]
    return [make_template_fragment_key("guides-form", [*form, "[]"]) for form in forms]


def card_key(track) -> str:
    track.refresh_from_db()
    return make_template_fragment_key("guides-track-card", [track.pk, track.version])


def is_cached(key: str) -> bool:
    return caches["fragments"].get(key) is not None


# --- a sync (sync_guides) ----------------------------------------------------------------------


def test_a_sync_that_rewrites_a_lesson_shows_at_once(user, client, library):
    url = library.ladder.get_absolute_url()
    reader = signed_in(user)
    assert "Moderation is warn-timeout-ban work" in page(reader, url)
    assert "Moderation is warn-timeout-ban work" in page(client, url)  # a visitor too
    old_key = lesson_key(library.ladder)

    write_lesson(
        library.dir,
        "chat-enforcer",
        "01-warn-timeout-ban.md",
        title="Warn, time out, ban",
        checklist=["Find the timeout button.", "Write a moderator note."],
        questions=[question("What comes first?", correct=2)],
        body="## Start gently\n\nA reminder first, always.\n",
    )
    sync(library.dir)
    for viewer in (reader, client):
        text = page(viewer, url)
        assert "A reminder first, always." in text and 'href="#start-gently"' in text
        assert "Moderation is warn-timeout-ban work" not in text
    assert lesson_key(library.ladder) != old_key


def test_a_sync_that_changes_a_lessons_questions_shows_them_at_once(user, library):
    url = library.ladder.get_absolute_url()
    reader = signed_in(user)
    assert "1. What comes first?" in page(reader, url)

    write_lesson(
        library.dir,
        "chat-enforcer",
        "01-warn-timeout-ban.md",
        title="Warn, time out, ban",
        checklist=["Find the timeout button.", "Write a moderator note."],
        questions=[question("What comes before a ban?", correct=1)],
    )
    sync(library.dir)
    text = page(reader, url)
    assert "1. What comes before a ban?" in text and "What comes first?" not in text


def test_a_sync_that_adds_a_lesson_shows_in_its_neighbours_place_and_pager_at_once(
    user, client, library
):
    reader = signed_in(user)
    url = library.queue.get_absolute_url()
    for viewer in (reader, client):
        text = page(viewer, url)
        assert "Lesson 2 of 2 in" in text and "take the track's knowledge check" in text
    old_keys = place_keys(library.queue)

    write_lesson(library.dir, "chat-enforcer", "03-raids.md", title="Raids")
    sync(library.dir)
    for viewer in (reader, client):
        text = page(viewer, url)
        assert "Lesson 2 of 3 in" in text and "Next: Raids" in text
        assert "take the track's knowledge check" not in text
    assert place_keys(library.queue) != old_keys


def test_a_sync_that_renames_a_track_shows_in_its_lessons_breadcrumbs_at_once(user, library):
    reader = signed_in(user)
    url = library.ladder.get_absolute_url()
    assert "Back to Chat Enforcer" in page(reader, url)

    write_track(library.dir, "chat-enforcer", title="Chat Keeper")
    sync(library.dir)
    text = page(reader, url)
    assert "Lesson 1 of 2 in <a" in text and ">Chat Keeper</a></li>" in text
    assert "Back to Chat Keeper" in text and "Chat Enforcer" not in text


def test_a_sync_that_adds_a_lesson_shows_on_the_index_at_once(user, client, library):
    post(signed_in(user), "lesson_complete", library.ladder, {"completed": "yes"})
    reader = signed_in(user)
    assert "For: Chat Enforcer · 2 lessons · about 10 min" in page(client, INDEX)
    assert "1 of 2 read" in page(reader, INDEX)

    write_lesson(library.dir, "chat-enforcer", "03-raids.md", title="Raids", minutes=7)
    sync(library.dir)
    assert "For: Chat Enforcer · 3 lessons · about 17 min" in page(client, INDEX)
    text = page(reader, INDEX)
    assert "For: Chat Enforcer · 3 lessons · about 17 min" in text and "1 of 3 read" in text


def test_a_sync_that_retires_a_lesson_or_rewrites_a_track_shows_on_the_index_at_once(
    user, client, library
):
    reader = signed_in(user)
    assert "What the chat-enforcer track teaches." in page(reader, INDEX)
    page(client, INDEX)

    write_track(library.dir, "chat-enforcer", title="Chat Enforcer", summary="Timeouts, kindly.")
    (library.dir / "chat-enforcer" / "02-held-message-queue.md").unlink()
    sync(library.dir)
    for viewer in (reader, client):
        text = page(viewer, INDEX)
        assert "Timeouts, kindly." in text and "What the chat-enforcer track teaches." not in text
        assert "For: Chat Enforcer · 1 lesson · about 5 min" in text


def test_a_sync_that_retires_a_track_takes_it_off_the_index_at_once(client, library):
    assert "Chat Enforcer" in page(client, INDEX)
    for path in sorted((library.dir / "chat-enforcer").iterdir()):
        path.unlink()
    (library.dir / "chat-enforcer").rmdir()
    sync(library.dir)
    assert "Chat Enforcer" not in page(client, INDEX)


def question_keys(paper, questions_hash: str) -> list[str]:
    """The keys of a paper's blank questions, one fragment per question drawn."""
    return [
        make_template_fragment_key("guides-check-question", [questions_hash, place, q.drawn])
        for place, q in enumerate(paper.questions)
    ]


def test_a_sync_that_rewords_a_track_question_shows_on_its_check_at_once(user, library):
    reader = signed_in(user)
    url = reverse("guides:track_check", args=[library.enforcer.slug])
    assert "Where do held messages wait?" in page(reader, url)
    paper = check_paper(person=user.pk, track=library.enforcer, lesson=None, number=1)
    old_keys = question_keys(paper, library.enforcer.questions_hash)
    assert all(is_cached(key) for key in old_keys)

    write_track(
        library.dir,
        "chat-enforcer",
        title="Chat Enforcer",
        questions=[question(), question("Where do held messages go?", correct=1)],
    )
    sync(library.dir)
    text = page(reader, url)
    assert "Where do held messages go?" in text and "Where do held messages wait?" not in text
    library.enforcer.refresh_from_db()
    assert not set(question_keys(paper, library.enforcer.questions_hash)) & set(old_keys)


def test_a_track_check_attempt_leaves_the_blank_questions_cached_for_everyone(
    user, other_user, library
):
    """An attempt is the reader's own: the next paper is theirs, the fragments are shared."""
    reader, other = signed_in(user), signed_in(other_user)
    url = reverse("guides:track_check", args=[library.enforcer.slug])
    page(reader, url)
    first = check_paper(person=user.pk, track=library.enforcer, lesson=None, number=1)
    keys = question_keys(first, library.enforcer.questions_hash)

    submit_url = reverse("guides:track_check_submit", args=[library.enforcer.slug])
    sheet = answer_sheet(user, track=library.enforcer, right=False)
    assert reader.post(submit_url, sheet).status_code == 302
    text = page(reader, url)
    assert "Your last answers: 0 of 2" in text and 'name="check-attempt" value="2"' in text
    assert "Your last answers" not in page(other, url)
    assert all(is_cached(key) for key in keys)


# --- a reader's own writes --------------------------------------------------------------------


@pytest.fixture
def two_readers(user, other_user, library):
    """Both readers have the lesson and the index in front of them (the fragments cached)."""
    reader, other = signed_in(user), signed_in(other_user)
    for client in (reader, other):
        page(client, library.ladder.get_absolute_url())
        page(client, INDEX)
    return reader, other


def test_marking_a_lesson_read_shows_at_once_to_the_reader_and_never_to_another(
    library, two_readers
):
    reader, other = two_readers
    post(reader, "lesson_complete", library.ladder, {"completed": "yes"})
    url = library.ladder.get_absolute_url()
    assert "You marked this lesson read on" in page(reader, url)
    index = page(reader, INDEX)
    assert "1 of 2 read" in index and "Continue where you left off" in index

    assert "Mark as read" in page(other, url) and "You marked this lesson" not in page(other, url)
    index = page(other, INDEX)
    assert index.count("0 of 2 read") == 2 and "Continue where you left off" not in index

    post(reader, "lesson_complete", library.ladder, {"completed": "no"})
    assert "Mark as read" in page(reader, url)
    assert "1 of 2 read" not in page(reader, INDEX)


def test_checklist_ticks_show_at_once_to_the_reader_and_never_to_another(library, two_readers):
    reader, other = two_readers
    post(
        reader, "lesson_checklist", library.ladder, {"items": [library.ladder.checklist[1]["key"]]}
    )
    url = library.ladder.get_absolute_url()
    assert page(reader, url).count(" checked") == 1
    assert " checked" not in page(other, url)


def test_check_answers_show_at_once_to_the_reader_and_never_to_another(user, library, two_readers):
    reader, other = two_readers
    right = answer_sheet(user, track=library.enforcer, lesson=library.ladder)
    post(reader, "lesson_check", library.ladder, right)
    url = library.ladder.get_absolute_url()
    text = page(reader, url)
    assert "You passed this check on" in text and "Your last answers: 1 of 1" in text
    assert "✓ Correct." in text
    text = page(other, url)
    assert "Your last answers" not in text and "You passed this check" not in text


def test_feedback_shows_at_once_to_the_reader_and_never_to_another(library, two_readers):
    reader, other = two_readers
    sent = {
        "feedback-helpful": "no",
        "feedback-reason": "confusing",
        "feedback-comment": "The <b>ladder</b> & its steps?",
    }
    post(reader, "lesson_feedback", library.ladder, sent)
    url = library.ladder.get_absolute_url()
    text = page(reader, url)
    assert "You answered “no” on" in text
    assert "The &lt;b&gt;ladder&lt;/b&gt; &amp; its steps?</textarea>" in text
    assert text.count(" checked") == 2  # "no" and its reason
    text = page(other, url)
    assert "You answered" not in text and "ladder</b>" not in text and "&amp; its steps" not in text
    assert " checked" not in text


def test_a_badge_and_roles_show_on_the_index_at_once_and_never_to_another(
    user, library, two_readers
):
    reader, other = two_readers
    post(reader, "lesson_complete", library.basics, {"completed": "yes"})
    post(reader, "lesson_complete", library.rules, {"completed": "yes"})  # Start here's badge
    roles = reverse("guides:roles_save")
    assert reader.post(roles, {"roles": [library.enforcer.role_id]}).status_code == 302
    text = page(reader, INDEX)
    assert "Badge earned" in text and text.count("Fits your roles") == 1
    assert "2 of 2 read" in text
    text = page(other, INDEX)
    assert "Badge earned" not in text and "Fits your roles" not in text


def test_a_form_with_a_mistake_shows_the_readers_own_answers_and_changes_nothing(
    user, library, two_readers
):
    reader, other = two_readers
    url = reverse("guides:lesson_feedback", args=[library.enforcer.slug, library.ladder.slug])
    response = reader.post(url, {"feedback-helpful": "no", "feedback-comment": "No reason"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Tell us what was wrong" in text and "No reason</textarea>" in text
    assert not LessonFeedback.objects.exists()

    check_url = reverse("guides:lesson_check", args=[library.enforcer.slug, library.ladder.slug])
    response = reader.post(check_url, {"check-attempt": "1"})
    assert response.status_code == 400
    assert "Choose an answer to this question." in response.content.decode()
    # The blank questions another reader sees carry nobody's errors.
    text = page(other, library.ladder.get_absolute_url())
    assert "Choose an answer" not in text and "Tell us what was wrong" not in text


def test_staff_see_the_link_to_feedback_and_members_do_not(user, staff_user, library):
    page(signed_in(user), INDEX)
    assert "Staff: lesson feedback" in page(signed_in(staff_user), INDEX)
    assert "Staff: lesson feedback" not in page(signed_in(user), INDEX)


# --- a write somewhere else -------------------------------------------------------------------


def test_a_discussion_opened_by_one_reader_shows_at_once_to_the_next(user, other_user, library):
    """The forum link sits outside the lesson's cached body: the forums' write needs no key."""
    reader = signed_in(other_user)
    lesson_url = library.ladder.get_absolute_url()
    assert "Discuss this lesson" not in page(reader, lesson_url)
    key = lesson_key(library.ladder)

    discuss = reverse("forums:lesson_discuss", kwargs={"pk": library.ladder.pk})
    assert signed_in(user).post(discuss).status_code == 302
    library.ladder.refresh_from_db()
    text = page(reader, lesson_url)
    assert "Discuss this lesson" in text and library.ladder.discussion_url in text
    assert lesson_key(library.ladder) == key and is_cached(key)


def test_readers_writes_leave_the_lesson_and_the_cards_cached(user, library, two_readers):
    """Progress, ticks, answers and feedback are no part of any fragment: their keys stay."""
    reader, _other = two_readers
    paper = check_paper(person=user.pk, track=library.enforcer, lesson=library.ladder, number=1)
    questions = make_template_fragment_key(
        "guides-check-question", [library.ladder.questions_hash, 0, paper.questions[0].drawn]
    )
    keys = [lesson_key(library.ladder), questions, card_key(library.enforcer)]
    keys.append(card_key(library.start_here))
    kept = [*place_keys(library.ladder), *blank_keys(library.ladder)]
    assert all(is_cached(key) for key in keys + kept)

    post(reader, "lesson_complete", library.ladder, {"completed": "yes"})
    post(reader, "lesson_checklist", library.ladder, {"items": []})
    post(
        reader,
        "lesson_check",
        library.ladder,
        answer_sheet(user, track=library.enforcer, lesson=library.ladder, right=False),
    )
    post(reader, "lesson_feedback", library.ladder, {"feedback-helpful": "yes"})
    post(reader, "lesson_journal", library.ladder, {"journal-body": "Shorter timeouts."})
    page(reader, library.ladder.get_absolute_url())
    page(reader, INDEX)
    assert [lesson_key(library.ladder), card_key(library.enforcer)] == keys[::2]
    assert card_key(library.start_here) == keys[3]
    assert [*place_keys(library.ladder), *blank_keys(library.ladder)] == kept
    assert all(is_cached(key) for key in keys + kept)


def test_a_readers_own_answers_are_drawn_for_them_and_the_blank_forms_for_others(
    library, two_readers
):
    """The blank checklist, feedback and note forms are cached fragments, the same for every
    reader who has not answered; a reader's own ticks, answers and note are in forms cached
    under those values, which no other reader's page matches."""
    reader, other = two_readers
    ladder = library.ladder
    post(reader, "lesson_checklist", ladder, {"items": [ladder.checklist[0]["key"]]})
    post(reader, "lesson_feedback", ladder, {"feedback-helpful": "yes", "feedback-comment": "Hm"})
    post(reader, "lesson_journal", ladder, {"journal-body": "Shorter **timeouts**."})
    url = ladder.get_absolute_url()
    text = page(reader, url)
    assert text.count(" checked") == 2  # one item and "yes"
    assert "\nHm</textarea>" in text and "\nShorter **timeouts**.</textarea>" in text
    text = page(other, url)
    assert " checked" not in text and "Hm</textarea>" not in text and "timeouts**" not in text
    assert all(is_cached(key) for key in blank_keys(ladder))
    # The reader changes their answer: their next page shows the new one, not the kept form.
    post(reader, "lesson_feedback", ladder, {"feedback-helpful": "yes", "feedback-comment": "Ok"})
    text = page(reader, url)
    assert "\nOk</textarea>" in text and "Hm</textarea>" not in text


def test_a_sync_of_one_track_leaves_the_other_tracks_and_lessons_cached(client, library):
    page(client, INDEX)
    page(client, library.basics.get_absolute_url())
    kept = [card_key(library.start_here), lesson_key(library.basics)]
    enforcer_card = card_key(library.enforcer)

    write_lesson(library.dir, "chat-enforcer", "03-raids.md", title="Raids")
    sync(library.dir)
    page(client, INDEX)
    assert card_key(library.enforcer) != enforcer_card
    assert [card_key(library.start_here), lesson_key(library.basics)] == kept
    assert all(is_cached(key) for key in kept)


def test_a_sync_that_changes_nothing_moves_no_version(library):
    versions = list(Track.objects.values_list("pk", "version"))
    assert not sync(library.dir).changed
    assert list(Track.objects.values_list("pk", "version")) == versions
