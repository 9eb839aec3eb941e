"""The guide library's figures, printed by ``sync_guides --check`` for its writers and editors.

A knowledge check is only honest if position and length carry no clue and each fact is asked
once or twice, not six times; a lesson is only useful if a 16-year-old reading in a second
language can follow it. These figures make both visible on every check of the library, so an
editor sees a drift before readers do. They describe; they do not refuse (the aims are in
guides/README.md).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

import textstat

from portal.guides.library import Library, ParsedLesson
from portal.guides.models import MIN_ATTEMPT_QUESTIONS, attempt_size

# Words that say nothing about which fact a right answer states.
_FILLER_WORDS = (
    "a an the and or but of to in on at for with from by as is are be it its this that these "
    "those they them their you your yours he she his her we our not no do does did can will "
    "would should may might must if then than so into out up about over after before when "
    "what who whom which how why all any each every some more most one two first just only "
    "also there here have has had been being was were very"
)
_FILLER = frozenset(_FILLER_WORDS.split(" "))
# The smallest pool that is 1.5 times an attempt of MIN_ATTEMPT_QUESTIONS (8).
SMALLEST_POOL = -(-MIN_ATTEMPT_QUESTIONS * 3 // 2)
# Two right answers that share this much of their wording state the same fact.
SAME_FACT_OVERLAP = 0.5


@dataclass(frozen=True)
class Question:
    where: str  # "chat-enforcer/01-warn-timeout-ban.md, question 2"
    text: str
    choices: tuple[str, ...]
    correct: int


@dataclass(frozen=True)
class LessonFigures:
    path: str
    words: int
    reading_ease: float  # Flesch reading ease: 60–70 is plain English, higher is easier


@dataclass(frozen=True)
class Figures:
    tracks: int
    lessons: int
    words: int
    questions: int
    # How many right answers sit at each position (1st, 2nd, …) in the files' order.
    answer_positions: dict[int, int]
    # Questions whose right answer is strictly the longest choice.
    longest_is_right: int
    # Groups of questions (more than two) whose right answers state the same fact.
    repeated_facts: list[list[Question]]
    per_lesson: list[LessonFigures]
    # Track checks whose pool is less than 1.5 times one attempt (models.attempt_size): a
    # retry there asks mostly the questions just failed. (path, pool, asked per attempt)
    small_pools: list[tuple[str, int, int]]

    @property
    def longest_share(self) -> float:
        return self.longest_is_right / self.questions if self.questions else 0.0

    @property
    def median_reading_ease(self) -> float:
        return statistics.median(f.reading_ease for f in self.per_lesson) if self.per_lesson else 0

    def lines(self) -> list[str]:
        positions = ", ".join(
            f"{position}: {count}" for position, count in sorted(self.answer_positions.items())
        )
        lines = [
            f"{self.tracks} tracks, {self.lessons} lessons, {self.words:,} words.",
            f"{self.questions} questions; right answer by position: {positions}.",
            f"Right answer is the longest choice in {self.longest_is_right} of {self.questions} "
            f"({self.longest_share:.0%}; aim: at most a third).",
            f"Facts asked more than twice: {len(self.repeated_facts)}.",
        ]
        for group in self.repeated_facts:
            lines.append(f"  asked {len(group)} times: “{_right(group[0])}”")
            lines += [f"    {question.where}" for question in group]
        lines.append(
            f"Track checks whose pool is under 1.5 times an attempt: {len(self.small_pools)}."
        )
        lines += [
            f"  {path}: {pool} questions, {asked} per attempt (aim: at least {SMALLEST_POOL})"
            for path, pool, asked in self.small_pools
        ]
        lines.append(
            f"Reading ease (Flesch; 60+ is plain English): median {self.median_reading_ease:.0f}."
        )
        for lesson in sorted(self.per_lesson, key=lambda f: f.reading_ease):
            lines.append(f"  {lesson.reading_ease:5.1f}  {lesson.words:5,} words  {lesson.path}")
        return lines


def _right(question: Question) -> str:
    return question.choices[question.correct]


def _questions(library: Library) -> list[Question]:
    found = []
    for track in library.tracks:
        sources = [(track.source_path, track.questions)]
        sources += [(lesson.source_path, lesson.questions) for lesson in track.lessons]
        for path, questions in sources:
            for number, question in enumerate(questions, start=1):
                found.append(
                    Question(
                        where=f"{path}, question {number}",
                        text=question["question"],
                        choices=tuple(question["choices"]),
                        correct=question["correct"],
                    )
                )
    return found


def _fact_words(question: Question) -> frozenset[str]:
    words = re.findall(r"[a-z0-9']+", _right(question).lower())
    return frozenset(word for word in words if word not in _FILLER and len(word) > 2)


def _same_fact(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= SAME_FACT_OVERLAP


def repeated_facts(questions: list[Question]) -> list[list[Question]]:
    """Groups of more than two questions whose right answers share most of their words:
    questions joined through a chain of such pairs are one group."""
    words = [_fact_words(question) for question in questions]
    group_of = list(range(len(questions)))

    def root(index: int) -> int:
        while group_of[index] != index:
            group_of[index] = group_of[group_of[index]]
            index = group_of[index]
        return index

    for i in range(len(questions)):
        for j in range(i + 1, len(questions)):
            if _same_fact(words[i], words[j]):
                group_of[root(j)] = root(i)
    groups: dict[int, list[Question]] = {}
    for index, question in enumerate(questions):
        groups.setdefault(root(index), []).append(question)
    return [group for group in groups.values() if len(group) > 2]


def _lesson_figures(lesson: ParsedLesson) -> LessonFigures:
    return LessonFigures(
        path=lesson.source_path,
        words=lesson.word_count,
        reading_ease=float(textstat.flesch_reading_ease(lesson.body_text)),
    )


def library_figures(library: Library) -> Figures:
    questions = _questions(library)
    longest = 0
    for question in questions:
        lengths = [len(choice) for choice in question.choices]
        right = lengths[question.correct]
        if all(right > length for i, length in enumerate(lengths) if i != question.correct):
            longest += 1
    lessons = library.lessons
    return Figures(
        tracks=len(library.tracks),
        lessons=len(lessons),
        words=sum(lesson.word_count for lesson in lessons),
        questions=len(questions),
        answer_positions=dict(Counter(question.correct + 1 for question in questions)),
        longest_is_right=longest,
        repeated_facts=repeated_facts(questions),
        per_lesson=[_lesson_figures(lesson) for lesson in lessons],
        small_pools=[
            (track.source_path, len(track.questions), attempt_size(len(track.questions)))
            for track in library.tracks
            if track.questions and 2 * len(track.questions) < 3 * attempt_size(len(track.questions))
        ],
    )
