"""Reading the guide library from its files: parse and validate everything, write nothing.

``sync_guides`` must never half-apply a broken library, so loading is split in two: this
module turns the folder into plain data (with the HTML already rendered) or raises one
LibraryError that lists every problem beside the file it is in; only then does sync.py write,
in one transaction. The format is documented for writers in guides/README.md, and the
messages here are written for them: each says what is wrong and what to write instead.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from portal.accounts.roles import ROLE_SLUGS
from portal.core.progress import progress
from portal.markup import MarkupTooLong, render_markdown, render_markdown_with_toc

START_HERE = "start-here"
TRACK_ROLES = [START_HERE, *ROLE_SLUGS]
# Paths under /guides/ that are pages, not tracks (urls.py): a folder may not take them.
RESERVED_TRACK_SLUGS = {
    "search", "find-your-role", "feedback", "certificates", "journal", "glossary",
}  # fmt: skip
# The library's top-level Markdown files that are pages of their own (models.LibraryPage),
# by their address under /guides/; each is required, since every lesson page links to it.
LIBRARY_PAGES = {"glossary": "GLOSSARY.md"}
PAGE_TITLE = re.compile(r"\A#[ \t]+(?P<title>[^\n]+)\n")
# Likewise under /guides/<track>/, where the track's checklist and check live.
RESERVED_LESSON_SLUGS = {"check", "checklist"}

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LESSON_FILE = re.compile(r"^(?P<position>\d+)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n---[ \t]*(?:\n|\Z)(?P<body>.*)\Z", re.S)
INTERNAL_LINK = re.compile(r'href="(/guides/[^"#?]*)')

TRACK_KEYS = {"title", "role", "order", "summary", "audience", "checklist", "questions"}
TRACK_REQUIRED = ["title", "role", "order", "summary", "audience"]
LESSON_KEYS = {
    "uid", "title", "summary", "minutes", "last_reviewed", "review_every_days",
    "checklist", "questions", "reflection",
}  # fmt: skip
LESSON_REQUIRED = ["uid", "title", "summary", "minutes", "last_reviewed", "review_every_days"]

# The columns a sync writes from the files (sync.py updates exactly these).
TRACK_FIELDS = ["title", "order", "summary", "audience", "checklist", "questions", "questions_hash"]
LESSON_FIELDS = [
    "slug", "position", "source_path", "title", "summary", "minutes", "last_reviewed",
    "review_every_days", "review_due", "checklist", "questions", "questions_hash",
    "reflection", "body_html", "body_text", "toc",
]  # fmt: skip


def default_root() -> Path:
    return Path(getattr(settings, "GUIDES_DIR", settings.BASE_DIR / "guides"))


def _hash(data: Any) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


# Stored beside a question for showing it, but worked out from another file (a lesson's
# title): a retitled lesson does not make the track's questions new ones.
DERIVED_QUESTION_KEYS = {"lesson_title"}


def _questions_hash(questions: list[dict]) -> str:
    if not questions:
        return ""
    return _hash(
        [{k: v for k, v in q.items() if k not in DERIVED_QUESTION_KEYS} for q in questions]
    )


def checklist_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def inline_html(text: str) -> str:
    """A short Markdown phrase (a question, a choice, a checklist item) as sanitized inline
    HTML: `code` and **bold** render, and no <p> wraps it, since it sits inside a label."""
    html_text = render_markdown(text)
    if html_text.startswith("<p>") and html_text.endswith("</p>") and html_text.count("<p>") == 1:
        html_text = html_text[3:-4]
    return html_text


def stored_html(value: str) -> SafeString:
    """Mark HTML that this module stored as safe to show: everything in it went through
    portal/markup.py's sanitizer at sync time, never straight from a file."""
    return mark_safe(value)  # noqa: S308 (sanitized by nh3 in portal/markup.py at sync)


def plain_text(body_html: str) -> str:
    """The lesson as plain text: what search matches and snippets quote."""
    return re.sub(r"\s+", " ", html.unescape(strip_tags(body_html))).strip()


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


@dataclass
class ParsedTrack:
    slug: str
    source_path: str
    title: str
    role_slug: str
    order: int
    summary: str
    audience: str
    checklist: list[dict]
    questions: list[dict]
    lessons: list[ParsedLesson] = field(default_factory=list)

    @property
    def questions_hash(self) -> str:
        return _questions_hash(self.questions)

    def stored_fields(self) -> dict[str, Any]:
        """What a Track row holds (besides its role, keyed by slug here)."""
        return {name: getattr(self, name) for name in TRACK_FIELDS}

    @property
    def content_hash(self) -> str:
        return _hash({"role": self.role_slug, **self.stored_fields()})


@dataclass
class ParsedLesson:
    uid: str
    track_slug: str
    slug: str
    position: int
    source_path: str
    title: str
    summary: str
    minutes: int
    last_reviewed: date
    review_every_days: int
    checklist: list[dict]
    questions: list[dict]
    # The prompt shown in its own box after the lesson ("" when the lesson has none).
    reflection: str
    body_html: str
    body_text: str
    toc: list[dict]
    links: list[str]

    @property
    def review_due(self) -> date:
        return self.last_reviewed + timedelta(days=self.review_every_days)

    @property
    def questions_hash(self) -> str:
        return _questions_hash(self.questions)

    @property
    def word_count(self) -> int:
        return len(self.body_text.split())

    def stored_fields(self) -> dict[str, Any]:
        """What a Lesson row holds, besides its track (keyed by slug here)."""
        return {name: getattr(self, name) for name in LESSON_FIELDS}

    @property
    def content_hash(self) -> str:
        # The rendered HTML is part of the hash, so a change to the renderer (markup.py)
        # reaches the stored lessons on the next sync, not only a change to the files.
        return _hash({"track": self.track_slug, **self.stored_fields()})


@dataclass
class ParsedPage:
    """A top-level page of the library (LIBRARY_PAGES), such as the glossary."""

    slug: str
    source_path: str
    title: str
    body_html: str
    toc: list[dict]
    links: list[str]

    def stored_fields(self) -> dict[str, Any]:
        return {
            "source_path": self.source_path,
            "title": self.title,
            "body_html": self.body_html,
            "toc": self.toc,
        }

    @property
    def content_hash(self) -> str:
        return _hash({"slug": self.slug, **self.stored_fields()})


@dataclass
class Library:
    root: Path
    tracks: list[ParsedTrack]
    pages: list[ParsedPage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def lessons(self) -> list[ParsedLesson]:
        return [lesson for track in self.tracks for lesson in track.lessons]

    def lesson_paths(self) -> set[str]:
        return {f"/guides/{lesson.track_slug}/{lesson.slug}/" for lesson in self.lessons}

    def track_paths(self) -> set[str]:
        return {"/guides/", *(f"/guides/{track.slug}/" for track in self.tracks)}

    def broken_links(self) -> list[tuple[ParsedLesson | ParsedPage, str]]:
        """Links to /guides/… pages that are not in this library (or the site's own pages)."""
        known = self.lesson_paths() | self.track_paths()
        known |= {f"/guides/{slug}/" for slug in RESERVED_TRACK_SLUGS}
        return [
            (source, link)
            for source in [*self.lessons, *self.pages]
            for link in source.links
            if link not in known
        ]


class _Reader:
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


def _load_yaml(reader: _Reader, path: Path, text: str, *, first_line: int = 1) -> dict | None:
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


def _read_track(reader: _Reader, folder: Path) -> ParsedTrack | None:
    path = folder / "track.yaml"
    slug = folder.name
    if not SLUG.match(slug):
        reader.problem(folder, "a track folder's name is its URL: lowercase words and dashes.")
        return None
    if slug in RESERVED_TRACK_SLUGS:
        reader.problem(folder, f"“{slug}” is the address of a page on /guides/; rename it.")
        return None
    if not path.is_file():
        reader.problem(folder, "this track folder has no track.yaml.")
        return None
    data = _load_yaml(reader, path, path.read_text(encoding="utf-8"))
    if data is None:
        return None
    keys_ok = reader.keys(path, data, known=TRACK_KEYS, required=TRACK_REQUIRED)
    title = reader.text(path, data, "title", max_length=120)
    summary = reader.text(path, data, "summary")
    audience = reader.text(path, data, "audience")
    order = reader.integer(path, data, "order", minimum=0)
    role = data.get("role")
    if role not in TRACK_ROLES:
        known = ", ".join(TRACK_ROLES)
        reader.problem(path, f"“role: {role}” is not a role we know (use one of: {known}).", "role")
        role = None
    checklist = reader.checklist(path, data)
    questions = reader.questions(path, data, of_track=True)
    values = (title, summary, audience, order, role, checklist, questions)
    if not keys_ok or any(value is None for value in values):
        return None
    return ParsedTrack(
        slug=slug,
        source_path=reader.rel(path),
        title=title,
        role_slug=role,
        order=order,
        summary=summary,
        audience=audience,
        checklist=checklist,
        questions=questions,
    )


def _read_lesson(reader: _Reader, path: Path, track_slug: str) -> ParsedLesson | None:
    name = LESSON_FILE.match(path.name)
    if not name:
        reader.problem(path, "name lessons NN-slug.md: a number, a dash, lowercase words.")
        return None
    if name["slug"] in RESERVED_LESSON_SLUGS:
        reader.problem(path, f"“{name['slug']}” is the address of a track page; rename it.")
        return None
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if not match:
        reader.problem(path, "the file must start with front matter between two “---” lines.")
        return None
    data = _load_yaml(reader, path, match["yaml"], first_line=2)  # after the opening "---"
    if data is None:
        return None
    keys_ok = reader.keys(path, data, known=LESSON_KEYS, required=LESSON_REQUIRED)
    uid = data.get("uid")
    if not isinstance(uid, str) or not SLUG.match(uid) or len(uid) > 100:
        if "uid" in data:
            reader.problem(path, "“uid” must be lowercase words and dashes (100 at most).")
        uid = None
    title = reader.text(path, data, "title", max_length=200)
    summary = reader.text(path, data, "summary")
    minutes = reader.integer(path, data, "minutes", minimum=1)
    last_reviewed = reader.a_date(path, data, "last_reviewed")
    review_every_days = reader.integer(path, data, "review_every_days", minimum=1)
    checklist = reader.checklist(path, data)
    questions = reader.questions(path, data)
    reflection = ""
    if "reflection" in data:
        reflection = reader.text(path, data, "reflection", max_length=1000)

    body = match["body"].strip()
    body_html, toc, links = "", [], []
    if not body:
        reader.problem(path, "the lesson has no text after its front matter.")
        body = None
    else:
        try:
            body_html, headings = render_markdown_with_toc(body)
        except MarkupTooLong as exc:
            reader.problem(path, str(exc))
            body = None
        else:
            if "<h1" in body_html:
                reader.problem(path, "headings start at “##”: the page supplies the “#” title.")
                body = None
            toc = [{"level": h.level, "anchor": h.anchor, "title": h.title} for h in headings]
            links = INTERNAL_LINK.findall(body_html)

    values = (
        uid, title, summary, minutes, last_reviewed, review_every_days, checklist, reflection
    )  # fmt: skip
    if not keys_ok or body is None or questions is None or any(v is None for v in values):
        return None
    return ParsedLesson(
        uid=uid,
        track_slug=track_slug,
        slug=name["slug"],
        position=int(name["position"]),
        source_path=reader.rel(path),
        title=title,
        summary=summary,
        minutes=minutes,
        last_reviewed=last_reviewed,
        review_every_days=review_every_days,
        checklist=checklist,
        questions=questions,
        reflection=reflection,
        body_html=body_html,
        body_text=plain_text(body_html),
        toc=toc,
        links=links,
    )


def _read_page(reader: _Reader, slug: str, path: Path) -> ParsedPage | None:
    """A top-level page: Markdown whose first line is its “# Title”, headings below it from
    “##” (they make its table of contents, and anchors lessons can link to)."""
    if not path.is_file():
        reader.problem(path, "this file is missing: every lesson page links to it.")
        return None
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    title = PAGE_TITLE.match(text)
    if not title:
        reader.problem(path, "start the file with its title, as “# Title” on the first line.")
        return None
    if len(title["title"].strip()) > 200:
        reader.problem(path, "the title is too long; keep it to 200 characters.")
        return None
    body = text[title.end() :].strip()
    if not body:
        reader.problem(path, "the file has no text after its title.")
        return None
    try:
        body_html, headings = render_markdown_with_toc(body)
    except MarkupTooLong as exc:
        reader.problem(path, str(exc))
        return None
    if "<h1" in body_html:
        reader.problem(path, "only the title is a “#” heading; the others start at “##”.")
        return None
    return ParsedPage(
        slug=slug,
        source_path=reader.rel(path),
        title=" ".join(title["title"].split()),
        body_html=body_html,
        toc=[{"level": h.level, "anchor": h.anchor, "title": h.title} for h in headings],
        links=INTERNAL_LINK.findall(body_html),
    )


def _link_questions_to_lessons(
    reader: _Reader,
    track: ParsedTrack,
    lessons: dict[tuple[str, str], ParsedLesson],
    file_slugs: set[tuple[str, str]],
) -> None:
    """Check that each track question's ``lesson`` is a lesson of that track, and store the
    lesson's title beside it for the "re-read" link of a failed check."""
    path = reader.root / track.source_path
    for number, question in enumerate(track.questions, start=1):
        question["lesson_title"] = ""
        if not question["lesson"]:
            continue
        lesson = lessons.get((track.slug, question["lesson"]))
        if lesson is not None:
            question["lesson_title"] = lesson.title
        elif (track.slug, question["lesson"]) not in file_slugs:
            names = ", ".join(sorted(slug for folder, slug in file_slugs if folder == track.slug))
            reader.problem(
                path,
                f"question {number}: “lesson: {question['lesson']}” is not a lesson of this "
                f"track (its lessons: {names or 'none yet'}).",
                ("questions", number, "lesson"),
            )


def load_library(root: Path | None = None) -> Library:
    """Read and check the whole library; raise LibraryError listing every problem found."""
    root = Path(root or default_root())
    reader = _Reader(root)
    if not root.is_dir():
        raise LibraryError([Problem(str(root), "there is no guide library folder here.")])
    # Folders starting with "." or "_" are the writers' own (drafts, editor files).
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    files = [(folder, path) for folder in folders for path in sorted(folder.glob("*.md"))]

    tracks: dict[str, ParsedTrack | None] = {
        folder.name: _read_track(reader, folder) for folder in folders
    }
    pages = [_read_page(reader, slug, root / name) for slug, name in LIBRARY_PAGES.items()]
    lessons: list[ParsedLesson] = []
    for folder, path in progress(files, total=len(files), desc="guides"):
        lesson = _read_lesson(reader, path, folder.name)
        if lesson is not None:
            lessons.append(lesson)

    seen_uids: dict[str, ParsedLesson] = {}
    seen_slugs: dict[tuple[str, str], ParsedLesson] = {}
    # Every lesson file's address, read or not: a track question naming a lesson whose file
    # has a problem of its own is not a second problem.
    file_slugs = {
        (folder.name, name["slug"])
        for folder, path in files
        if (name := LESSON_FILE.match(path.name))
    }
    for lesson in lessons:
        if lesson.uid in seen_uids:
            first = seen_uids[lesson.uid]
            reader.problem(
                root / lesson.source_path,
                f"uid “{lesson.uid}” is already used by {first.source_path}; every lesson "
                "needs its own.",
            )
        seen_uids.setdefault(lesson.uid, lesson)
        address = (lesson.track_slug, lesson.slug)
        if address in seen_slugs:
            reader.problem(
                root / lesson.source_path,
                f"{seen_slugs[address].source_path} has the same slug “{lesson.slug}”.",
            )
        seen_slugs.setdefault(address, lesson)
        track = tracks.get(lesson.track_slug)
        if track is not None:
            track.lessons.append(lesson)

    for track in tracks.values():
        if track is not None:
            _link_questions_to_lessons(reader, track, seen_slugs, file_slugs)

    if reader.problems:
        raise LibraryError(reader.problems)

    parsed = [track for track in tracks.values() if track is not None]
    for track in parsed:
        track.lessons.sort(key=lambda lesson: (lesson.position, lesson.slug))
    parsed.sort(key=lambda track: (track.order, track.title))
    library = Library(root=root, tracks=parsed, pages=[page for page in pages if page])
    library.warnings = [
        f"{source.source_path}: the link {link} goes to no lesson in the library."
        for source, link in library.broken_links()
    ]
    return library
