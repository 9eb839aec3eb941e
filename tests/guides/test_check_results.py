"""What a reader learns from an attempt at a check: a miss says what to re-read, never the
right answer; a pass explains every answer. And the track file's ``lesson:`` key that says
which lesson teaches each of the track's questions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from portal.guides.library import LibraryError, load_library
from portal.guides.models import Track
from tests.guides.conftest import answer_sheet, question, sync, write_lesson, write_track

pytestmark = pytest.mark.django_db


def with_lesson(slug: str | None, **kwargs) -> dict:
    data = question(**kwargs)
    if slug is not None:
        data["lesson"] = slug
    return data


@pytest.fixture
def track(library) -> Track:
    """Chat Enforcer's two questions, the first taught by the ladder lesson, the second by
    no lesson in particular; each has its own explanation."""
    first = with_lesson("warn-timeout-ban", text="What comes first?", correct=1)
    first["explanation"] = "A reminder always comes first."
    second = with_lesson(None, text="Where do held messages wait?", correct=2)
    second["explanation"] = "In the queue on the mod view."
    write_track(library.dir, "chat-enforcer", title="Chat Enforcer", questions=[first, second])
    sync(library.dir)
    return Track.objects.get(slug="chat-enforcer")


def results_section(client: Client, track: Track) -> str:
    text = client.get(reverse("guides:track_check", args=[track.slug])).content.decode()
    return text[text.index('id="results"') : text.index('id="form-heading"')]


def test_a_failed_track_check_names_the_lessons_to_reread_and_no_answers(user, track, library):
    client = Client()
    client.force_login(user)
    submit = reverse("guides:track_check_submit", args=[track.slug])
    response = client.post(submit, answer_sheet(user, track=track, right=False), follow=True)
    assert "See below which questions you missed and what to re-read first." in (
        response.content.decode()
    )
    results = results_section(client, track)
    assert "You missed 2 of 2" in results and results.count("✗ Missed.") == 2
    ladder = reverse("guides:lesson", args=[track.slug, "warn-timeout-ban"])
    assert f'Re-read: <a href="{ladder}">Warn, time out, ban</a>' in results
    # A question that names no lesson sends the reader back to the whole track.
    assert f'Re-read: <a href="{track.get_absolute_url()}">Chat Enforcer</a>' in results
    for answer_giving_text in (
        "Choice",
        "The right answer",
        "Your answer",
        "comes first.",
        "queue",
    ):
        assert answer_giving_text not in results


def test_a_passed_track_check_explains_every_answer(user, track):
    client = Client()
    client.force_login(user)
    submit = reverse("guides:track_check_submit", args=[track.slug])
    client.post(submit, answer_sheet(user, track=track))
    results = results_section(client, track)
    assert "(passed)" in results and results.count("✓ Correct.") == 2
    assert "A reminder always comes first." in results and "In the queue" in results
    assert "Your answer: Choice 1" in results and "Re-read" not in results


def test_the_track_question_stores_its_lesson_and_the_lessons_title(track):
    first, second = track.questions
    assert (first["lesson"], first["lesson_title"]) == ("warn-timeout-ban", "Warn, time out, ban")
    assert (second["lesson"], second["lesson_title"]) == ("", "")


def test_retitling_the_lesson_keeps_the_readers_last_results(user, track, library):
    """The title is shown beside the question, not part of it: the attempt still counts."""
    client = Client()
    client.force_login(user)
    client.post(
        reverse("guides:track_check_submit", args=[track.slug]),
        answer_sheet(user, track=track, right=False),
    )
    write_lesson(library.dir, "chat-enforcer", "01-warn-timeout-ban.md", title="The ladder")
    sync(library.dir)
    track.refresh_from_db()
    assert track.questions[0]["lesson_title"] == "The ladder"
    assert "Re-read: <a" in results_section(client, track) and "The ladder" in (
        results_section(client, track)
    )


PROBLEMS = {
    "a lesson of another track": (
        "what-moderators-do",
        "chat-enforcer/track.yaml, line 18: question 1: “lesson: what-moderators-do” is not a "
        "lesson of this track (its lessons: held-message-queue, warn-timeout-ban).",
    ),
    "no such lesson": (
        "warn-time-out-ban",
        "chat-enforcer/track.yaml, line 18: question 1: “lesson: warn-time-out-ban” is not a "
        "lesson of this track",
    ),
    "a file name, not a slug": (
        "01-warn-timeout-ban.md",
        "chat-enforcer/track.yaml, line 18: question 1: “lesson” names the lesson to re-read by "
        "its slug",
    ),
}


@pytest.mark.parametrize("case", PROBLEMS.values(), ids=PROBLEMS.keys())
def test_a_track_question_must_name_a_lesson_of_its_track(library_dir, case):
    """Named with the file and the line of the question's “lesson:” key (18)."""
    slug, expected = case
    write_track(library_dir, "chat-enforcer", questions=[with_lesson(slug), question("Two?")])
    with pytest.raises(LibraryError) as raised:
        load_library(library_dir)
    assert expected in str(raised.value)


def test_a_lessons_own_question_may_not_name_a_lesson(library_dir):
    write_lesson(
        library_dir, "start-here", "03-quiz.md", questions=[with_lesson("what-moderators-do")]
    )
    with pytest.raises(LibraryError) as raised:
        load_library(library_dir)
    assert "start-here/03-quiz.md" in str(raised.value)
    assert "“lesson” is for a track's questions" in str(raised.value)


def test_a_question_naming_a_lesson_whose_file_is_broken_is_not_a_second_problem(library_dir):
    write_track(library_dir, "chat-enforcer", questions=[with_lesson("held-message-queue")])
    (library_dir / "chat-enforcer" / "02-held-message-queue.md").write_text("no front matter")
    with pytest.raises(LibraryError) as raised:
        load_library(library_dir)
    assert [problem.path for problem in raised.value.problems] == [
        "chat-enforcer/02-held-message-queue.md"
    ]
