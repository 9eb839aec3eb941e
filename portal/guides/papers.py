"""Which questions one attempt at a knowledge check asks, and in which order their choices stand.

Issue 15 found that a check could be passed without reading: the right answer was usually the
first choice, and a failed track check could be retried on the very same questions. So every
attempt is a *paper*:

- each question's choices are shown in an order of their own for that person and that
  attempt: position carries no clue, and the order in the file no longer matters;
- a track's check asks a subset of the track's questions (models.attempt_size), drawn
  afresh for each person and attempt, from a pool at least 1.5 times as large.

A paper is worked out, not stored: it is a pure function of the person, the check, each
question's identity and the attempt's number, hashed with SHA-256. Reloading the page shows
the same paper; sending answers rebuilds it from the same inputs to grade them; and nothing is
written until the reader sends their answers. What is stored then (services.check_submit) is
the file's view of the attempt: the keys of the questions asked and, for each, the index in
the file of the choice picked, so grading and results never depend on the order shown.

SHA-256 rather than ``random.Random(seed)``: its output is fixed by the standard, where
``random``'s algorithms may change between Python versions, which would reshuffle a paper
between showing it and grading it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from portal.guides.models import Lesson, Track, attempt_size, pass_mark


def _rank(*parts: object) -> bytes:
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).digest()


@dataclass(frozen=True)
class PaperQuestion:
    question: dict  # as stored on the Track or Lesson (library.py's _question)
    order: tuple[int, ...]  # the file's choice indexes, in the order this paper shows them

    @property
    def key(self) -> str:
        return self.question["key"]

    @property
    def drawn(self) -> str:
        """Which question, its choices in which order, e.g. "3f…c2:2,0,1": with the check's
        questions hash and the question's place on the paper, the key of its blank copy,
        the same for every reader who draws it there (it holds no one's identity)."""
        return f"{self.key}:{','.join(map(str, self.order))}"

    @property
    def shown(self) -> dict:
        """The question as CheckForm draws it: its choices in this paper's order."""
        choices = self.question["choices_html"]
        return {
            "question_html": self.question["question_html"],
            "choices_html": [choices[index] for index in self.order],
            "drawn": self.drawn,
        }


@dataclass(frozen=True)
class CheckPaper:
    """One attempt's questions, numbered from 1 for each person and check."""

    number: int
    questions: tuple[PaperQuestion, ...]

    def __len__(self) -> int:
        return len(self.questions)

    @property
    def keys(self) -> list[str]:
        return [question.key for question in self.questions]

    @property
    def pass_mark(self) -> int:
        return pass_mark(len(self.questions))

    @property
    def shown(self) -> list[dict]:
        return [question.shown for question in self.questions]

    @property
    def signature(self) -> str:
        """The choices' orders, e.g. "2,0,1.1,2,0": the same for everyone who draws this
        order (it holds no one's identity)."""
        return ".".join(",".join(map(str, question.order)) for question in self.questions)

    def answers(self, positions: list[int]) -> list[int]:
        """The positions picked on the page as the file's choice indexes (what is graded and
        stored). Raises ValueError for a position the question does not have."""
        if len(positions) != len(self.questions):
            raise ValueError("An answer is needed for every question of the check.")
        answers = []
        for question, position in zip(self.questions, positions, strict=True):
            if not 0 <= position < len(question.order):
                raise ValueError("That choice is not one of the question's.")
            answers.append(question.order[position])
        return answers


def check_id(*, track: Track, lesson: Lesson | None) -> str:
    """The check's stable identity: lessons by uid (kept when a file moves), tracks by slug."""
    return f"lesson:{lesson.uid}" if lesson is not None else f"track:{track.slug}"


def check_paper(
    *, person: int | None, track: Track, lesson: Lesson | None, number: int
) -> CheckPaper:
    """Attempt ``number`` of a person's (``person`` is their id) at a lesson's check, or at the
    track's when ``lesson`` is None. A signed-out visitor (None) gets one fixed paper: they can
    read the questions but not answer them."""
    owner = lesson if lesson is not None else track
    check = check_id(track=track, lesson=lesson)
    seed = ("visitor" if person is None else person, check, number)
    questions = list(owner.questions)
    if lesson is None:
        # The track's draw: every question ranked by its hash, the first few taken, then
        # asked in the file's order (writers order them as the track's lessons go).
        ranked = sorted(range(len(questions)), key=lambda i: _rank(*seed, questions[i]["key"]))
        chosen = sorted(ranked[: attempt_size(len(questions))])
        questions = [questions[i] for i in chosen]
    return CheckPaper(
        number=number,
        questions=tuple(
            PaperQuestion(
                question=question,
                order=tuple(
                    sorted(
                        range(len(question["choices"])),
                        key=lambda index, key=question["key"]: _rank(*seed, key, index),
                    )
                ),
            )
            for question in questions
        ),
    )
