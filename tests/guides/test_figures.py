"""The library's figures that sync_guides --check prints for writers and editors."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from portal.guides.figures import library_figures
from portal.guides.library import load_library
from tests.guides.conftest import write_lesson, write_track


def choice_question(text: str, choices: list[str], correct: int) -> dict:
    return {
        "question": text,
        "choices": [
            {"text": choice, **({"correct": True} if i == correct else {})}
            for i, choice in enumerate(choices)
        ],
        "explanation": "Why the better call is better.",
    }


AUTOMOD = "Holds the message so a moderator can Allow or Deny it."


def test_the_figures_count_positions_longest_answers_and_repeated_facts(library_dir):
    write_track(
        library_dir,
        "chat-enforcer",
        title="Chat Enforcer",
        questions=[
            choice_question("What does AutoMod do?", [AUTOMOD, "Bans."], 0),
            choice_question(
                "A held message?",
                ["Deletes it.", "Holds it for a moderator to Allow or Deny.", "Nothing"],
                1,
            ),
            choice_question("Why does a message wait?", ["It is spam.", "Lag.", AUTOMOD], 2),
            choice_question("Timeout length?", ["Ten minutes.", "One hour, unless changed."], 0),
        ],
    )
    figures = library_figures(load_library(library_dir))

    # Three from the track, one from the small library's lesson (its right answer third).
    assert figures.questions == 5
    assert figures.answer_positions == {1: 2, 2: 1, 3: 2}
    # The first three right answers are longer than every other choice; the fourth is not.
    assert figures.longest_is_right == 3
    [group] = figures.repeated_facts
    assert sorted(question.where for question in group) == [
        "chat-enforcer/track.yaml, question 1",
        "chat-enforcer/track.yaml, question 2",
        "chat-enforcer/track.yaml, question 3",
    ]
    assert figures.lessons == 4 and figures.tracks == 2


def test_a_fact_asked_twice_is_not_reported(library_dir):
    write_track(
        library_dir,
        "chat-enforcer",
        title="Chat Enforcer",
        questions=[
            choice_question("What does AutoMod do?", [AUTOMOD, "Bans."], 0),
            choice_question("Why does a message wait?", ["It is spam.", AUTOMOD], 1),
        ],
    )
    assert library_figures(load_library(library_dir)).repeated_facts == []


def test_plainer_text_reads_easier(library_dir):
    write_lesson(
        library_dir,
        "start-here",
        "01-what-moderators-do.md",
        body="## Plain\n\nMods keep chat kind. They help people. They stop spam.\n",
    )
    write_lesson(
        library_dir,
        "start-here",
        "02-channel-rules.md",
        body="## Dense\n\nConsequential institutional considerations necessitate "
        "comprehensive organisational documentation of moderation methodologies.\n",
    )
    by_path = {f.path: f for f in library_figures(load_library(library_dir)).per_lesson}
    plain = by_path["start-here/01-what-moderators-do.md"].reading_ease
    dense = by_path["start-here/02-channel-rules.md"].reading_ease
    assert plain > 60 > dense


def test_check_prints_the_figures_without_writing(library_dir, db):
    out = StringIO()
    call_command("sync_guides", "--path", str(library_dir), "--check", stdout=out)
    printed = out.getvalue()
    assert "2 tracks, 4 lessons" in printed
    assert "right answer by position: 1: 1, 2: 1, 3: 1." in printed
    assert "Reading ease" in printed and "start-here/01-what-moderators-do.md" in printed


def test_a_track_check_whose_pool_is_too_small_for_fresh_retries_is_named(library_dir, db):
    questions = [choice_question(f"Q{n}?", ["Yes.", "No."], n % 2) for n in range(6)]
    write_track(library_dir, "chat-enforcer", title="Chat Enforcer", questions=questions)
    figures = library_figures(load_library(library_dir))
    assert figures.small_pools == [("chat-enforcer/track.yaml", 6, 5)]
    out = StringIO()
    call_command("sync_guides", "--path", str(library_dir), "--check", stdout=out)
    assert "Track checks whose pool is under 1.5 times an attempt: 1." in out.getvalue()
    assert "chat-enforcer/track.yaml: 6 questions, 5 per attempt (aim: at least 8)" in (
        out.getvalue()
    )

    questions += [choice_question(f"Q{n}?", ["Yes.", "No."], n % 2) for n in range(6, 8)]
    write_track(library_dir, "chat-enforcer", title="Chat Enforcer", questions=questions)
    assert library_figures(load_library(library_dir)).small_pools == []
