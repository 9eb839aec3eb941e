"""Small guide libraries written to tmp_path, the same library loaded into the database, and
right (or wrong) answers to its checks, wherever a reader's paper places them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from django.db.models import Max

from portal.guides import services
from portal.guides.library import load_library
from portal.guides.models import CheckAttempt, Lesson, Track
from portal.guides.papers import check_paper
from portal.guides.sync import library_sync

BODY = """## Why it matters

Moderation is {word} work. Reminders come first, then warnings, then timeouts.

### A worked scenario

> **viewer**: hello chat

The moderator greets them and moves on.

## After your next stream

Note what you did and why.
"""


def question(text="What does a timeout do by default?", correct=0, choices=3):
    return {
        "question": text,
        "choices": [
            {"text": f"Choice {i}", **({"correct": True} if i == correct else {})}
            for i in range(choices)
        ],
        "explanation": "Because the platform says so.",
    }


def write_track(root: Path, slug: str = "chat-enforcer", **overrides) -> Path:
    data = {
        "title": slug.replace("-", " ").title(),
        "role": slug,
        "order": 2,
        "summary": f"What the {slug} track teaches.",
        "audience": "Moderators new to the role.",
        "checklist": ["Read the rules.", "Find the mod tools.", "Say hello to the team."],
        "questions": [question(), question("Where do held messages wait?", correct=1)],
    }
    data.update(overrides)
    data = {key: value for key, value in data.items() if value is not None}
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "track.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def write_lesson(
    root: Path, track: str, name: str, *, body: str | None = None, **overrides
) -> Path:
    slug = name.split("-", 1)[1].removesuffix(".md")
    front = {
        "uid": f"{track}-{slug}",
        "title": slug.replace("-", " ").capitalize(),
        "summary": f"A lesson about {slug.replace('-', ' ')}.",
        "minutes": 5,
        "last_reviewed": date(2026, 11, 1),
        "review_every_days": 180,
    }
    front.update(overrides)
    front = {key: value for key, value in front.items() if value is not None}
    path = root / track / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n\n"
    path.write_text(text + (body if body is not None else BODY.format(word=slug)), "utf-8")
    return path


LADDER_REFLECTION = "After your next stream, note one timeout you would now make shorter."
GLOSSARY = """# Glossary

The words this library uses.

## T

**Timeout**: removes a chatter from chat for a while (`/timeout name 600`). See
[the ladder](/guides/chat-enforcer/warn-timeout-ban/).
"""


def write_glossary(root: Path, text: str = GLOSSARY) -> Path:
    path = root / "GLOSSARY.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_small_library(root: Path) -> Path:
    """Two tracks: "Start here" (two lessons) and "Chat Enforcer" (two lessons, the first
    with a checklist, a one-question check and a reflection prompt; the track has a
    two-question check), and a glossary."""
    write_glossary(root)
    write_track(root, "start-here", role="start-here", title="Start here", order=1, questions=[])
    write_lesson(root, "start-here", "01-what-moderators-do.md")
    link = "\nSee [the ladder](/guides/chat-enforcer/warn-timeout-ban/).\n"
    write_lesson(root, "start-here", "02-channel-rules.md", body=BODY.format(word="rules") + link)
    write_track(root, "chat-enforcer", title="Chat Enforcer")
    write_lesson(
        root,
        "chat-enforcer",
        "01-warn-timeout-ban.md",
        title="Warn, time out, ban",
        checklist=["Find the timeout button.", "Write a moderator note."],
        questions=[question("What comes first?", correct=2)],
        reflection=LADDER_REFLECTION,
    )
    write_lesson(root, "chat-enforcer", "02-held-message-queue.md", title="The held queue")
    return root


def sync(root: Path, **kwargs):
    return library_sync(library=load_library(root), **kwargs)


@pytest.fixture
def library_dir(tmp_path) -> Path:
    return write_small_library(tmp_path / "guides")


@pytest.fixture
def library(db, library_dir):
    """The small library, loaded: a namespace of its tracks and lessons by slug."""
    sync(library_dir)

    class Loaded:
        dir = library_dir
        start_here = Track.objects.get(slug="start-here")
        enforcer = Track.objects.get(slug="chat-enforcer")
        ladder = Lesson.objects.get(uid="chat-enforcer-warn-timeout-ban")
        queue = Lesson.objects.get(uid="chat-enforcer-held-message-queue")
        basics = Lesson.objects.get(uid="start-here-what-moderators-do")
        rules = Lesson.objects.get(uid="start-here-channel-rules")

    return Loaded


def next_attempt(person, *, track, lesson=None) -> int:
    latest = CheckAttempt.objects.filter(user=person, track=track, lesson=lesson).aggregate(
        number=Max("number")
    )["number"]
    return (latest or 0) + 1


def positions(paper, *, right: bool = True) -> list[int]:
    """Where on ``paper`` each question's right choice stands (or a wrong one's)."""
    found = []
    for question in paper.questions:
        correct = question.question["correct"]
        found.append(next(p for p, i in enumerate(question.order) if (i == correct) == right))
    return found


def answer_sheet(person, *, track, lesson=None, right: bool = True, number=None) -> dict:
    """The form data a reader sends for their next attempt (or attempt ``number``), with
    every answer right, or every answer wrong."""
    number = number or next_attempt(person, track=track, lesson=lesson)
    paper = check_paper(person=person.pk, track=track, lesson=lesson, number=number)
    data = {f"check-q{n}": str(p) for n, p in enumerate(positions(paper, right=right))}
    return {"check-attempt": str(number), **data}


def submit(person, *, track, lesson=None, right: bool = True):
    """services.check_submit for the reader's next attempt, every answer right (or wrong)."""
    number = next_attempt(person, track=track, lesson=lesson)
    paper = check_paper(person=person.pk, track=track, lesson=lesson, number=number)
    return services.check_submit(
        user=person,
        track=track,
        lesson=lesson,
        number=number,
        positions=positions(paper, right=right),
    )
