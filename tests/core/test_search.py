"""How every search reads what people type, and how it shows what it found."""

from portal.core.search import (
    MAX_WORDS,
    html_to_text,
    is_too_short,
    parse_query,
    snippet,
    tsquery_text,
)


def test_words_phrases_and_the_word_being_typed():
    terms = parse_query('Unban "ban evasion" moder')
    assert terms.words == ("unban", "moder") and terms.phrases == (("ban", "evasion"),)
    assert terms.last_is_prefix
    assert tsquery_text(terms) == "unban & (moder | moder:*) & (ban <-> evasion)"
    assert not parse_query('"hate raid"').last_is_prefix  # a phrase is exact


def test_nothing_people_type_becomes_a_query_operator():
    text = tsquery_text(parse_query("raid:* & !ban | (x) <-> 'y'"))
    assert text == "raid & ban & x & y"


def test_a_long_query_is_bounded_and_may_miss_one_word():
    terms = parse_query(" ".join(f"w{i}" for i in range(20)))
    assert len(terms.words) == MAX_WORDS
    most = tsquery_text(parse_query("hate raid alone."), all_parts=False)
    assert most == "(raid & alone) | (hate & alone) | (hate & raid)"


def test_too_short_is_empty_punctuation_or_one_letter():
    assert all(is_too_short(q) for q in ("", "  ", "?!", "a", '""'))
    assert not is_too_short("ab")


def test_a_snippet_is_escaped_text_with_the_words_marked():
    text = html_to_text(
        "<p><strong>Bold</strong> advice &amp; a <code>&lt;script&gt;alert(1)&lt;/script&gt;</code>"
        " about backseaters.</p>"
    )
    assert text == "Bold advice & a <script>alert(1)</script> about backseaters."
    shown = str(snippet(text, parse_query("backseating")))
    assert "&lt;script&gt;" in shown and "<script>" not in shown
    assert "<mark>backseaters</mark>" in shown  # a word form of what was asked
