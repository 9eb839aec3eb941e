"""What people typed into a search box, read once for every kind of search.

Every search (guides, forums, openings, people) reads the words the same way:
- words in double quotes are an exact phrase; the other words must all be there, in any form
  ("backseating" finds "backseater": PostgreSQL's English stemming; on SQLite a rough stem);
- the last word, when nothing follows it, may still be being typed, so it also matches as a
  prefix ("moder" finds "moderator");
- a word a little misspelt still finds a title (PostgreSQL's pg_trgm, see ``typo_words``).

Only letters and digits reach PostgreSQL's query syntax (``tsquery_text``), so nothing people
type can be read as an operator. Snippets are built here too: plain text from the stored HTML,
the matched words in <mark>, everything else escaped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, F, Func, Q, QuerySet, Subquery
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

# Fewer letters than this is no search (one letter matches everything): the page helps instead.
MIN_QUERY_CHARS = 2
MAX_WORDS = 8  # a bound on the work one search costs
PREFIX_MIN_CHARS = 3  # a word being typed matches as a prefix from its third letter
TYPO_MIN_CHARS = 4  # shorter words are too alike for a typo match to mean anything
MOST_PARTS_FROM = 3  # from three words on, a match may miss one of them (ranked lower)

_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class SearchTerms:
    """The words of a query: single words, exact phrases (each a list of words), and whether
    the last single word may still be being typed."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    last_is_prefix: bool = False

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def all_words(self) -> tuple[str, ...]:
        return self.words + tuple(word for phrase in self.phrases for word in phrase)


def _lower_words(text: str) -> tuple[str, ...]:
    return tuple(word.lower() for word in _WORD.findall(text))


def parse_query(query: str) -> SearchTerms:
    """``query`` as SearchTerms: quoted phrases, the other words, lower-cased and bounded."""
    query = (query or "").strip()
    # A quoted single word is a phrase of one: exact, never a prefix.
    phrases = [words for inside in _PHRASE.findall(query) if (words := _lower_words(inside))]
    outside = _PHRASE.sub(" ", query)
    # An unclosed quote is read as words (people leave them open while typing).
    words = _lower_words(outside.replace('"', " "))
    # At most MAX_WORDS words in all, phrases first (quoting them was deliberate).
    budget, kept = MAX_WORDS, []
    for phrase in phrases:
        if budget <= 0:
            break
        kept.append(phrase[:budget])
        budget -= len(kept[-1])
    phrases, words = kept, words[: max(0, budget)]
    last_is_prefix = bool(
        words
        and len(words[-1]) >= PREFIX_MIN_CHARS
        and not query.endswith('"')
        and query.lower().rstrip().endswith(words[-1])
    )
    return SearchTerms(words=words, phrases=tuple(phrases), last_is_prefix=last_is_prefix)


def is_too_short(query: str) -> bool:
    """Nothing worth searching for: empty, punctuation, or a single letter."""
    return len("".join(_WORD.findall(query or ""))) < MIN_QUERY_CHARS


def tsquery_text(terms: SearchTerms, *, weight: str = "", all_parts: bool = True) -> str:
    """PostgreSQL ``to_tsquery`` input for the terms (``search_type="raw"``): every word and
    phrase required, phrases as ``<->`` chains, the last word also as a prefix (its exact form
    counting twice, so it ranks above words that merely start with it). ``weight`` ("A")
    matches only lexemes of that weight (a title). With ``all_parts=False`` a query of three
    or more words and phrases may miss any one of them (people add words the text does not
    use: "hate raid alone at night"). Only \\w characters are passed on, so no operator can
    come from the query."""
    label = weight  # "word:A" matches the word in weight-A text only

    def lexeme(word: str, prefix: bool = False) -> str:
        marks = ("*" if prefix else "") + label
        return f"{word}:{marks}" if marks else word

    parts = []
    for index, word in enumerate(terms.words):
        if terms.last_is_prefix and index == len(terms.words) - 1:
            parts.append(f"({lexeme(word)} | {lexeme(word, prefix=True)})")
        else:
            parts.append(lexeme(word))
    parts += [
        "(" + " <-> ".join(lexeme(word) for word in phrase) + ")"
        if len(phrase) > 1
        else lexeme(phrase[0])
        for phrase in terms.phrases
    ]
    if all_parts or len(parts) < MOST_PARTS_FROM:
        return " & ".join(parts)
    # Every part but one, for each part left out.
    return " | ".join("(" + " & ".join(parts[:i] + parts[i + 1 :]) + ")" for i in range(len(parts)))


def typo_words(terms: SearchTerms) -> tuple[str, ...]:
    """Single words long enough for a misspelling of them to be found by trigram similarity."""
    return tuple(word for word in terms.words if len(word) >= TYPO_MIN_CHARS)


def rough_stem(word: str) -> str:
    """A rough English stem for SQLite's substring search ("backseating" and "backseater" both
    look for "backseat"): common endings cut while four letters remain. PostgreSQL stems
    properly; this only needs to be a prefix of the usual forms."""
    for ending in ("ings", "ing", "ers", "er", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def words_filter(
    terms: SearchTerms,
    *,
    title: str,
    stored_text: str,
    related: tuple[tuple[str, QuerySet, str], ...] = (),
) -> tuple[Q, Q]:
    """The simple search, for any database: (every word, roughly stemmed, and every phrase in
    the row's ``stored_text`` or in a related row's field; every one of them in the
    ``title``). ``stored_text`` is a lower-case column the database keeps from the row's own
    text (a generated column), so the words, already lower case, are compared with it as they
    are. Each of ``related`` is (the row's foreign key, the related rows, their field): a
    channel's name, a person's username, compared ignoring case. Used where a list is short:
    openings and people."""
    everywhere, in_title = Q(), Q()
    for text in [rough_stem(w) for w in terms.words] + [" ".join(p) for p in terms.phrases]:
        anywhere = Q(**{f"{stored_text}__contains": text})
        for key, rows, field in related:
            anywhere |= _among(key, rows.filter(**{f"{field}__icontains": text}).values("pk"))
        everywhere &= anywhere
        in_title &= Q(**{f"{title}__icontains": text})
    return everywhere, in_title


class _IsAmong(Func):
    """``key = ANY(ARRAY(subquery))``, PostgreSQL's spelling of "the key is one of these ids"
    that an index can answer inside an OR: with ``IN (subquery)`` PostgreSQL tests each row
    against the list, so a search for a word in the text or the channel's name read every
    opening (3 to 6 ms on 3,000 of them), where a bitmap of the text's trigram index and of
    the channel's key takes 0.4 to 0.6 ms."""

    arg_joiner = " = ANY(ARRAY"
    template = "%(expressions)s)"
    output_field = BooleanField()


def _among(key: str, ids: QuerySet) -> Q:
    if settings.IS_POSTGRES:
        return Q(_IsAmong(F(key), Subquery(ids)))
    return Q(**{f"{key}__in": ids})


def compiled_condition(queryset: QuerySet, *, tables: set[str]) -> tuple[str, list]:
    """``queryset``'s WHERE as SQL and its parameters, for a search statement written out over
    the same ``tables``, so who may see what is stated once, in the models' querysets. The ORM
    names a table's first appearance by the table's own name; a filter that came to need any
    other table must fail here, not quietly widen a search."""
    query = queryset.query
    used = {alias for alias in query.alias_map if query.alias_refcount[alias]}
    if used != tables:
        raise ValueError(f"Expected a query over {sorted(tables)}, not {sorted(used)}")
    sql, params = query.get_compiler(using=queryset.db).compile(query.where)
    return sql, list(params)


def nearness_sql(column: str, words: tuple[str, ...]) -> tuple[str, list]:
    """How nearly the text in ``column`` holds every one of ``words`` (pg_trgm's word
    similarity, 0 to 1; the weakest word decides, since one word far off is no match), as SQL
    and its parameters, for the written-out searches."""
    similarities = ", ".join(f"word_similarity(%s, {column})" for _ in words)
    return f"LEAST({similarities})", list(words)


# --- Snippets --------------------------------------------------------------------------------

SNIPPET_CHARS = 240
_START, _STOP = "\x02", "\x03"  # never in stored text (core/text.py refuses control chars)
_SPACES = re.compile(r"\s+")


def html_to_text(stored_html: str) -> str:
    """What a reader sees of stored, sanitized HTML, as one line of plain text."""
    return _SPACES.sub(" ", html.unescape(strip_tags(stored_html.replace("<", " <")))).strip()


def _match_pattern(terms: SearchTerms) -> re.Pattern[str] | None:
    """Words of the text that a search for the terms matched: each word's rough stem at the
    start of a word, whatever follows ("backseat…", "moder…")."""
    stems = sorted({rough_stem(word) for word in terms.all_words if word}, key=len, reverse=True)
    if not stems:
        return None
    alternatives = "|".join(re.escape(stem) for stem in stems)
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def snippet(text: str, terms: SearchTerms, *, chars: int = SNIPPET_CHARS) -> SafeString:
    """An extract of plain ``text`` around its first match, matched words in <mark>, the rest
    escaped, with an ellipsis where it is cut. Never Markdown or HTML source: callers pass
    text (``html_to_text`` of the stored HTML)."""
    pattern = _match_pattern(terms)
    first = pattern.search(text) if pattern else None
    start = max(0, (first.start() if first else 0) - chars // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < (first.start() if first else len(text)) else start
    end = min(len(text), start + chars)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    extract = text[start:end]
    if pattern:
        extract = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", extract)
    extract = ("… " if start else "") + extract + (" …" if end < len(text) else "")
    escaped = html.escape(extract, quote=False)
    return mark_safe(  # noqa: S308 (escaped above; only our own <mark> tags are added)
        escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")
    )


def highlight(text: str, terms: SearchTerms) -> SafeString:
    """All of a short plain ``text`` (a title) with the matched words in <mark>, escaped."""
    return snippet(text, terms, chars=max(len(text), 1))
