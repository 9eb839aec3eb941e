"""Hold for review: the forums' AutoMod.

Modelled on the platform's AutoMod (see DOMAIN.md) so that the rules moderators learn in the
guides are the rules the portal applies to them:

- Eight categories, each with a level from 0 (off) to 4 (strictest), set per forum category
  (``Category.hold_<category>`` fields). The issue's four groups map onto them: discrimination
  (disability; sexuality, sex or gender; misogyny; race, ethnicity or religion), sexual
  content (sex-based terms), hostility (aggression, bullying) and profanity (swearing).
- Each category's word list is a data file in ``wordlists/<category>.txt``: one term a line,
  after the lowest level that holds it ("2 punch you": held at levels 2, 3 and 4). Staff
  extend the lists by adding lines there (reviewed like code) or, privately, as filter terms
  with a category and a level, which forum moderators edit on their holding rules page.
- Site-wide blocked terms (same page) hold a post at any level; site-wide permitted terms
  override both blocked terms and the word lists.
- Terms are written the way moderators write them on the platform: ``*`` at the start or end
  of a word is a wildcard ("grr*" matches "grrr"), and a term of several words matches a
  text containing all of those words, in any order and anywhere.

"Permitted overrides blocked" works word by word: a word of the text that a permitted term
covers can no longer make a blocked term match. So permitting "scrap*" lets "scrapbook"
through a blocked "*crap*", without letting through another word in the same post.

A filter only holds: like AutoMod it never rejects or punishes; a person decides.
Keyword filters both miss abuse and catch harmless text (DOMAIN.md cites the audit), which is
why a match means "a moderator looks", never "removed".

This module is pure: it parses and matches. Loading the database's terms is ``terms_from_db``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

from portal.core.text import whole_number

# (key, the platform's name for it); the key names the word list file and the model field.
HOLD_CATEGORIES: list[tuple[str, str]] = [
    ("disability", "Disability"),
    ("sexuality", "Sexuality, sex or gender"),
    ("misogyny", "Misogyny"),
    ("race", "Race, ethnicity or religion"),
    ("sex_terms", "Sex-based terms"),
    ("aggression", "Aggression"),
    ("bullying", "Bullying"),
    ("swearing", "Swearing"),
]
HOLD_CATEGORY_KEYS = [key for key, _ in HOLD_CATEGORIES]
HOLD_CATEGORY_NAMES = dict(HOLD_CATEGORIES)

# The four groups, as the platform's categories.
HOLD_GROUPS: dict[str, tuple[str, ...]] = {
    "Discrimination": ("disability", "sexuality", "misogyny", "race"),
    "Sexual content": ("sex_terms",),
    "Hostility": ("aggression", "bullying"),
    "Profanity": ("swearing",),
}

MAX_LEVEL = 4
# The platform's overall level 3, the one DOMAIN.md documents: every category at 3 except
# bullying at 2 and swearing at 0. The seeded forum categories start here (adults swear; they
# should not bully or discriminate); forum moderators tune each one on their holding rules page.
OVERALL_LEVEL_3 = dict.fromkeys(HOLD_CATEGORY_KEYS, 3) | {"bullying": 2, "swearing": 0}

WORDLISTS_DIR = Path(__file__).resolve().parent / "wordlists"

_WORD = re.compile(r"\w+")
_TERM_WORD = re.compile(r"^\*?\w+\*?$")


def normalise(text: str) -> str:
    # NFKC folds look-alike forms (full-width letters, ligatures) into plain ones; casefold
    # is lower() for every script.
    return unicodedata.normalize("NFKC", text).casefold()


def words_of(text: str) -> set[str]:
    return set(_WORD.findall(normalise(text)))


@dataclass(frozen=True)
class WordPattern:
    stem: str
    starts_wild: bool  # "*stem": any word ending in stem
    ends_wild: bool  # "stem*": any word starting with stem

    def matches(self, word: str) -> bool:
        if self.starts_wild and self.ends_wild:
            return self.stem in word
        if self.starts_wild:
            return word.endswith(self.stem)
        if self.ends_wild:
            return word.startswith(self.stem)
        return word == self.stem


@dataclass(frozen=True)
class Term:
    """One blocked or permitted term, parsed. ``level`` and ``category`` matter only for word
    list terms (a site-wide blocked term holds at any level)."""

    text: str
    words: tuple[WordPattern, ...]
    category: str = ""
    level: int = 1

    def covered(self, words: Iterable[str]) -> set[str] | None:
        """The text's words this term covers, or None when the term does not match (some of
        its words are missing)."""
        covered: set[str] = set()
        for pattern in self.words:
            hits = {word for word in words if pattern.matches(word)}
            if not hits:
                return None
            covered |= hits
        return covered

    @property
    def label(self) -> str:
        if self.category:
            return f"{HOLD_CATEGORY_NAMES[self.category]} (level {self.level}): “{self.text}”"
        return f"blocked term “{self.text}”"


def parse_term(text: str, *, category: str = "", level: int = 1) -> Term:
    """Parse a term as a moderator writes it; raise ValidationError saying what is wrong."""
    cleaned = " ".join(normalise(text).split())
    if not cleaned:
        raise ValidationError("Write a word or a few words.", code="empty")
    patterns = []
    for word in cleaned.split(" "):
        if not _TERM_WORD.match(word):
            raise ValidationError(
                f"“{word}”: use letters and digits, with * only at the start or end of a "
                "word (“grr*”, “*bot”).",
                code="bad_term",
            )
        stem = word.strip("*")
        if len(stem) < 2 and word != stem:
            raise ValidationError(
                f"“{word}”: a wildcard needs at least two letters beside it, or it would "
                "match almost everything.",
                code="too_wild",
            )
        patterns.append(WordPattern(stem, word.startswith("*"), word.endswith("*")))
    return Term(text=cleaned, words=tuple(patterns), category=category, level=level)


def parse_wordlist(text: str, *, category: str, source: str = "") -> list[Term]:
    """``<level> <term>`` per line; blank lines and ``#`` comments are skipped."""
    terms = []
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        level_text, _, term_text = line.partition(" ")
        level = whole_number(level_text, most_digits=1)
        if level is None or not 1 <= level <= MAX_LEVEL:
            raise ImproperlyConfigured(
                f"{source or category} line {line_no}: start with a level from 1 to 4, then "
                f"the term (“2 some term”), not “{raw.strip()}”."
            )
        try:
            terms.append(parse_term(term_text, category=category, level=level))
        except ValidationError as exc:
            raise ImproperlyConfigured(
                f"{source or category} line {line_no}: {exc.messages[0]}"
            ) from exc
    return terms


def wordlists_dir() -> Path:
    # Tests point this at their own folder; production uses the shipped files.
    return Path(getattr(settings, "FORUMS_WORDLISTS_DIR", WORDLISTS_DIR))


@lru_cache(maxsize=4)
def load_wordlists(directory: Path) -> dict[str, tuple[Term, ...]]:
    """Every ``<category>.txt`` in the folder, parsed once per process. A file whose name is
    not a category is an error, not silently ignored: a typo would switch a list off."""
    lists: dict[str, tuple[Term, ...]] = dict.fromkeys(HOLD_CATEGORY_KEYS, ())
    for path in sorted(directory.glob("*.txt")):
        if path.stem not in lists:
            raise ImproperlyConfigured(
                f"{path.name}: word lists are named after a category "
                f"({', '.join(HOLD_CATEGORY_KEYS)})."
            )
        lists[path.stem] = tuple(
            parse_wordlist(path.read_text(encoding="utf-8"), category=path.stem, source=path.name)
        )
    return lists


@dataclass
class Verdict:
    reasons: list[str] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True)
class Rules:
    """Everything the filter needs besides the text: the levels of the forum category, the
    word lists, and the site-wide terms."""

    levels: dict[str, int]
    wordlists: dict[str, tuple[Term, ...]]
    blocked: tuple[Term, ...] = ()
    permitted: tuple[Term, ...] = ()

    def check(self, text: str) -> Verdict:
        words = words_of(text)
        for term in self.permitted:
            covered = term.covered(words)
            if covered:
                words -= covered
        verdict = Verdict()
        if not words:
            return verdict
        for term in self.blocked:
            if term.covered(words) is not None:
                verdict.reasons.append(term.label)
        for category, terms in self.wordlists.items():
            level = self.levels.get(category, 0)
            for term in terms:
                if term.level <= level and term.covered(words) is not None:
                    verdict.reasons.append(term.label)
        return verdict


def terms_from_db() -> tuple[tuple[Term, ...], tuple[Term, ...], dict[str, list[Term]]]:
    """The database's terms: (site-wide blocked, permitted, word-list additions by category).
    One query."""
    from portal.forums.models import FilterTerm

    blocked: list[Term] = []
    permitted: list[Term] = []
    extra: dict[str, list[Term]] = {}
    for row in FilterTerm.objects.all():
        term = row.as_term()
        if row.action == FilterTerm.Action.PERMIT:
            permitted.append(term)
        elif row.category:
            extra.setdefault(row.category, []).append(term)
        else:
            blocked.append(term)
    return tuple(blocked), tuple(permitted), extra


def rules_for(levels: dict[str, int]) -> Rules:
    blocked, permitted, extra = terms_from_db()
    shipped = load_wordlists(wordlists_dir())
    wordlists = {key: shipped[key] + tuple(extra.get(key, ())) for key in HOLD_CATEGORY_KEYS}
    return Rules(levels=levels, wordlists=wordlists, blocked=blocked, permitted=permitted)
