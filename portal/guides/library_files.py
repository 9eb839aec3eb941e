"""Reading values out of the guide library's files, for library.py: YAML parsed with the line
of every key noted, and small typed readers that record a problem (file, line, what is wrong,
what to write instead) rather than raise, so a writer sees every problem at once."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from portal.markup import render_markdown

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def checklist_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def inline_html(text: str) -> str:
    """A short Markdown phrase (a question, a choice, a checklist item) as sanitized inline
    HTML: `code` and **bold** render, and no <p> wraps it, since it sits inside a label."""
    html_text = render_markdown(text)
    if html_text.startswith("<p>") and html_text.endswith("</p>") and html_text.count("<p>") == 1:
        html_text = html_text[3:-4]
    return html_text


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    line: int | None = None  # the file's line the value starts on, where one is to blame

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class _Loader(yaml.SafeLoader):
    """YAML as writers mean it, with one difference: a date stays text until the library reads
    it, so an impossible one (2026-02-30) is a problem named with its file and line rather
    than an exception from deep inside the YAML parser."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class LibraryError(Exception):
    """The library has problems; nothing was written. ``problems`` names each file."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        count = len(problems)
        lines = [f"The guide library has {count} problem{'s' if count != 1 else ''}:"]
        lines += [f"  {problem}" for problem in problems]
        lines.append("Nothing was changed. Fix these and run sync_guides again.")
        super().__init__("\n".join(lines))


class FileReader:
    """Collects problems while reading, so a writer sees all of them at once."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        # (file, key) → the file's line number of that key; ("questions", n) for a question.
        self.lines: dict[tuple[Path, Any], int] = {}

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def problem(self, path: Path, message: str, key: Any = None) -> None:
        self.problems.append(Problem(self.rel(path), message, self.lines.get((path, key))))

    # --- small typed readers; each returns None after recording a problem ---------------

    def text(self, path: Path, data: dict, key: str, *, max_length: int = 0) -> str | None:
        if key not in data:
            return None  # keys() has said it is missing
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(path, f"“{key}” must be some text.", key)
            return None
        value = " ".join(value.split())  # folded YAML keeps stray newlines otherwise
        if max_length and len(value) > max_length:
            self.problem(path, f"“{key}” is {len(value)} characters; keep it to {max_length}.", key)
            return None
        return value

    def integer(self, path: Path, data: dict, key: str, *, minimum: int) -> int | None:
        if key not in data:
            return None  # keys() has said it is missing
        value = data.get(key)
        # bool is an int in Python; "minutes: yes" is a mistake, not 1.
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.problem(path, f"“{key}” must be a whole number of at least {minimum}.", key)
            return None
        if value > 32_767:
            self.problem(path, f"“{key}” is too large.", key)
            return None
        return value

    def a_date(self, path: Path, data: dict, key: str) -> date | None:
        if key not in data:
            return None  # keys() has said it is missing
        value = data.get(key)
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(path, f"“{key}” must be a real date written YYYY-MM-DD, like 2026-11-20.", key)
        return None

    def keys(self, path: Path, data: dict, *, known: set[str], required: list[str]) -> bool:
        ok = True
        for key in required:
            if key not in data:
                self.problem(path, f"“{key}” is missing (required).")
                ok = False
        for key in sorted(set(data) - known):
            known_keys = ", ".join(sorted(known))
            self.problem(path, f"“{key}” is not a key we know (known: {known_keys}).", key)
            ok = False
        return ok

    def checklist(self, path: Path, data: dict) -> list[dict] | None:
        items = data.get("checklist")
        if items is None:
            return []
        if not isinstance(items, list) or not all(
            isinstance(item, str) and item.strip() for item in items
        ):
            self.problem(path, "“checklist” must be a list of short sentences.", "checklist")
            return None
        texts = [" ".join(item.split()) for item in items]
        if len(set(texts)) != len(texts):
            self.problem(path, "“checklist” has the same item twice.", "checklist")
            return None
        return [
            {"key": checklist_key(text), "text": text, "html": inline_html(text)} for text in texts
        ]

    def questions(self, path: Path, data: dict, *, of_track: bool = False) -> list[dict] | None:
        """A check's questions; a track's may each name the lesson that teaches their point
        (``lesson``), which load_library checks once the track's lessons are read."""
        items = data.get("questions")
        if items is None:
            return []
        if not isinstance(items, list):
            self.problem(path, "“questions” must be a list of questions.", "questions")
            return None
        questions: list[dict] = []
        ok = True
        first_of: dict[str, int] = {}
        for number, item in enumerate(items, start=1):
            question = self._question(path, number, item, of_track=of_track)
            if question is None:
                ok = False
                continue
            # A question's identity (its key) shuffles its choices and draws it for an
            # attempt (papers.py), so two questions of one check must not share it.
            if question["key"] in first_of:
                first = first_of[question["key"]]
                self.problem(
                    path, f"question {number} repeats question {first}.", ("questions", number)
                )
                ok = False
            first_of.setdefault(question["key"], number)
            questions.append(question)
        return questions if ok else None

    def _question(self, path: Path, number: int, item: Any, *, of_track: bool) -> dict | None:
        where = f"question {number}"
        at = ("questions", number)
        if not isinstance(item, dict):
            self.problem(path, f"{where} must have “question”, “choices” and “explanation”.", at)
            return None
        if "lesson" in item and not of_track:
            self.problem(
                path,
                f"{where}: “lesson” is for a track's questions; a lesson's own check already "
                "points readers back to the lesson.",
                (*at, "lesson"),
            )
            return None
        unknown = sorted(set(item) - {"question", "choices", "explanation", "lesson"})
        if unknown:
            self.problem(path, f"{where}: “{unknown[0]}” is not a key we know.", at)
            return None
        lesson = item.get("lesson", "")
        if "lesson" in item and (not isinstance(lesson, str) or not SLUG.match(lesson)):
            self.problem(
                path,
                f"{where}: “lesson” names the lesson to re-read by its slug, the file name "
                "without number and .md (“warn-timeout-ban” for 01-warn-timeout-ban.md).",
                (*at, "lesson"),
            )
            return None
        text = item.get("question")
        explanation = item.get("explanation")
        choices = item.get("choices")
        if not isinstance(text, str) or not text.strip():
            self.problem(path, f"{where} has no “question” text.", at)
            return None
        if not isinstance(choices, list) or len(choices) < 2:
            self.problem(path, f"{where} needs at least two “choices”.", at)
            return None
        choice_texts: list[str] = []
        correct: list[int] = []
        for index, choice in enumerate(choices):
            if (
                not isinstance(choice, dict)
                or not isinstance(choice.get("text"), str)
                or not choice["text"].strip()
                or set(choice) - {"text", "correct"}
                or not isinstance(choice.get("correct", False), bool)
            ):
                self.problem(
                    path,
                    f"{where}, choice {index + 1}: write “- text: …” and, on the right one "
                    "only, “correct: true”.",
                    at,
                )
                return None
            choice_texts.append(" ".join(choice["text"].split()))
            if choice.get("correct"):
                correct.append(index)
        if len(correct) != 1:
            found = "none is" if not correct else f"{len(correct)} are"
            self.problem(
                path, f"{where} needs exactly one choice with “correct: true” ({found}).", at
            )
            return None
        if not isinstance(explanation, str) or not explanation.strip():
            self.problem(path, f"{where} needs an “explanation”, shown after answering.", at)
            return None
        text = " ".join(text.split())
        question = {
            # Its identity in papers.py (the same short hash as a checklist item's key):
            # rewording a question makes it a new one, moving it does not.
            "key": checklist_key(text),
            "question": text,
            "question_html": inline_html(text),
            "choices": choice_texts,
            "choices_html": [inline_html(choice) for choice in choice_texts],
            "correct": correct[0],
            "explanation": " ".join(explanation.split()),
            "explanation_html": inline_html(" ".join(explanation.split())),
        }
        if of_track:
            # The lesson a reader who missed the question is sent back to (its title is
            # added by load_library, from the lesson's file); "" sends them to the track.
            question["lesson"] = lesson
        return question


def load_yaml(reader: FileReader, path: Path, text: str, *, first_line: int = 1) -> dict | None:
    """The YAML ``text`` (which starts on the file's line ``first_line``) as data, noting in
    the reader the line of each top-level key and of each question, for its messages."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + first_line})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "it is not valid YAML"
        reader.problem(path, f"the YAML cannot be read{where}: {problem}.")
        return None
    finally:
        loader.dispose()
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            reader.lines[(path, key_node.value)] = key_node.start_mark.line + first_line
            if key_node.value == "questions" and isinstance(value_node, yaml.SequenceNode):
                for number, item in enumerate(value_node.value, start=1):
                    reader.lines[(path, ("questions", number))] = item.start_mark.line + first_line
                    if isinstance(item, yaml.MappingNode):
                        for question_key, _ in item.value:
                            at = (path, ("questions", number, question_key.value))
                            reader.lines[at] = question_key.start_mark.line + first_line
    if not isinstance(data, dict):
        reader.problem(path, "expected “key: value” lines (a YAML mapping).")
        return None
    return data
