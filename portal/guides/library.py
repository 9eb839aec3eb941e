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

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from portal.accounts.roles import ROLE_SLUGS
from portal.core.progress import progress
from portal.guides.library_files import (
    SLUG,
    FileReader,
    LibraryError,
    Problem,
    load_yaml,
)
from portal.markup import MarkupTooLong, render_markdown_with_toc

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


def stored_html(value: str) -> SafeString:
    """Mark HTML that this module stored as safe to show: everything in it went through
    portal/markup.py's sanitizer at sync time, never straight from a file."""
    return mark_safe(value)  # noqa: S308 (sanitized by nh3 in portal/markup.py at sync)


def plain_text(body_html: str) -> str:
    """The lesson as plain text: what search matches and snippets quote."""
    return re.sub(r"\s+", " ", html.unescape(strip_tags(body_html))).strip()


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


def _read_track(reader: FileReader, folder: Path) -> ParsedTrack | None:
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
    data = load_yaml(reader, path, path.read_text(encoding="utf-8"))
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


def _read_lesson(reader: FileReader, path: Path, track_slug: str) -> ParsedLesson | None:
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
    data = load_yaml(reader, path, match["yaml"], first_line=2)  # after the opening "---"
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


def _read_page(reader: FileReader, slug: str, path: Path) -> ParsedPage | None:
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
    reader: FileReader,
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
    reader = FileReader(root)
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
