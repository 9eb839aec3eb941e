"""The acceptance test for the guide library itself (guides/ at the top of the repository).

The content is written by people, reviewed like code, and must keep the shape the product
promises: every role has a track, every track enough lessons, a checklist and a knowledge
check, every lesson real substance, every question one right answer and an explanation, and
every link between lessons a page that exists. Each test lists every file that falls short,
so a writer sees the whole to-do list at once.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from portal.guides.library import TRACK_ROLES, Library, LibraryError, load_library
from portal.guides.models import Lesson, Track
from portal.guides.sync import library_sync

ROOT = settings.BASE_DIR / "guides"
MIN_TRACKS = 8
MIN_LESSONS = 33
MIN_LESSONS_PER_TRACK = 4
MIN_CHECKLIST_ITEMS = 3  # guides/README.md: "at least 3 items"
MIN_TRACK_QUESTIONS = 8  # guides/README.md: a pool 1.5 times an attempt of 5 (papers.py)
MIN_WORDS = 400


@pytest.fixture(scope="module")
def real_library() -> Library:
    try:
        return load_library(ROOT)
    except LibraryError as exc:
        pytest.fail(str(exc))


def shortfalls(items: list[str]) -> str:
    return "\n".join(["", *items])


def test_the_library_loads_without_errors_or_warnings(real_library):
    assert real_library.warnings == []
    assert len(real_library.tracks) >= MIN_TRACKS
    assert len(real_library.lessons) >= MIN_LESSONS


def test_every_role_and_the_common_foundation_has_a_track(real_library):
    assert sorted(track.role_slug for track in real_library.tracks) == sorted(TRACK_ROLES)


def test_every_track_has_lessons_a_checklist_and_a_knowledge_check(real_library):
    problems = []
    for track in real_library.tracks:
        if len(track.lessons) < MIN_LESSONS_PER_TRACK:
            problems.append(
                f"{track.slug}: {len(track.lessons)} lessons, {MIN_LESSONS_PER_TRACK} needed"
            )
        if len(track.checklist) < MIN_CHECKLIST_ITEMS:
            problems.append(f"{track.source_path}: a checklist of {MIN_CHECKLIST_ITEMS}+ items")
        if len(track.questions) < MIN_TRACK_QUESTIONS:
            count = len(track.questions)
            problems.append(f"{track.source_path}: {count} questions, {MIN_TRACK_QUESTIONS} needed")
    assert not problems, shortfalls(problems)


def test_every_lesson_has_its_front_matter_and_enough_words(real_library):
    problems = []
    for lesson in real_library.lessons:
        for name in ("uid", "title", "summary", "minutes", "last_reviewed", "review_every_days"):
            if not getattr(lesson, name):
                problems.append(f"{lesson.source_path}: no {name}")
        if lesson.word_count < MIN_WORDS:
            problems.append(f"{lesson.source_path}: {lesson.word_count} words, {MIN_WORDS} needed")
        if not lesson.toc:
            problems.append(f"{lesson.source_path}: no ## headings for the table of contents")
    assert not problems, shortfalls(problems)


def test_every_question_has_exactly_one_right_answer_and_an_explanation(real_library):
    problems = []
    owners = [*real_library.tracks, *real_library.lessons]
    for owner in owners:
        for number, question in enumerate(owner.questions, start=1):
            where = f"{owner.source_path}, question {number}"
            if len(question["choices"]) < 2:
                problems.append(f"{where}: fewer than two choices")
            if not 0 <= question["correct"] < len(question["choices"]):
                problems.append(f"{where}: no right answer")
            if not question["explanation"].strip():
                problems.append(f"{where}: no explanation")
    assert not problems, shortfalls(problems)
    # The parser is what guarantees "exactly one": a second right answer is a sync error.
    assert sum(len(owner.questions) for owner in owners) >= MIN_TRACK_QUESTIONS * MIN_TRACKS


def test_every_track_question_names_the_lesson_to_reread(real_library):
    """A failed track check sends the reader back to a lesson for each missed question
    (the loader already checks that a named lesson is one of the track's)."""
    missing = [
        f"{track.source_path}, question {number}: no “lesson:”"
        for track in real_library.tracks
        for number, question in enumerate(track.questions, start=1)
        if not question["lesson"]
    ]
    assert not missing, shortfalls(missing)


def test_uids_are_unique_and_lesson_files_are_numbered_in_order(real_library):
    uids = [lesson.uid for lesson in real_library.lessons]
    assert len(uids) == len(set(uids))
    problems = []
    for track in real_library.tracks:
        positions = [lesson.position for lesson in track.lessons]
        if len(positions) != len(set(positions)):
            problems.append(f"{track.slug}: two lessons share a number")
    assert not problems, shortfalls(problems)


@pytest.mark.django_db
def test_the_real_library_syncs_and_every_link_between_lessons_resolves(real_library, client):
    report = library_sync(library=real_library)
    assert len(report.lessons_created) == len(real_library.lessons)
    assert Track.objects.active().count() == len(real_library.tracks)
    assert library_sync(library=load_library(ROOT)).changed is False

    links = sorted({link for lesson in real_library.lessons for link in lesson.links})
    broken = [link for link in links if client.get(link).status_code != 200]
    assert not broken, shortfalls(broken)
    for lesson in Lesson.objects.select_related("track"):
        assert client.get(lesson.get_absolute_url()).status_code == 200, lesson.source_path
    assert "AutoMod" in client.get("/guides/glossary/").content.decode()
