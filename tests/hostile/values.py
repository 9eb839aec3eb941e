"""What a hostile visitor types: a fixed catalogue for each kind of field, always tried, and
Hypothesis strategies that draw more of the same kind (their number is bounded by the
profile, see tests/hostile/conftest.py).

The catalogue holds the values that broke pages before (control characters, NUL) and those
that break code that trusts its input: a megabyte of text, text that reverses or hides
itself, emoji made of several code points, numbers past any column's range, dates and zones
that do not exist.
"""

from __future__ import annotations

from hypothesis import strategies as st

MEGABYTE = "moderation " * (1_000_000 // 11)

TEXT = [
    "a\x01b\x1fc",  # control characters
    "nul\x00byte",
    MEGABYTE,
    "\u202eevil.exe\u202c and \u05e9\u05dc\u05d5\u05dd",  # right-to-left override, Hebrew
    "\u200b\u200c\u200d\ufeff",  # zero-width only: looks empty, is not
    "👩🏽‍💻🛡️🏳️‍🌈 mods",  # emoji of several code points each
    "   ",
    "line one\r\nline two",
    "<script>alert(1)</script>' OR 1=1 --",
    "\uffff\ufffe\U0010ffff",  # noncharacters
    # Digits that str.isdigit() accepts: "²" int() refuses, "٣" int() reads as 3 but a
    # database cast does not; an id or a number from an address goes through whole_number().
    "²",
    "٣",
]

NUMBER = [
    "-1",
    "0",
    "99999999999999999999",
    "-99999999999999999999",
    "1e309",
    "NaN",
    "1.5",
    "١٢",  # Arabic-Indic digits
    "²",  # a digit to str.isdigit(), not to int()
    "abc",
]

DATE = [
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "99999-01-01",
    "-0001-01-01",
    "1900-01-01",
    "yesterday",
]

TIME = ["25:61", "24:00", "-1:00", "12:00:99", "noon"]

DATETIME = [
    "2026-02-30T10:00",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "2026-03-29T02:30",  # a local time that does not exist in Europe
    "now",
]

CHOICE = [
    "",
    "not-one-of-them",
    "-1",
    "99999999999999999999",
    "Mars/Olympus_Mons",  # a time zone that does not exist
    "../../etc/passwd",
    "Europe/London\u200b",
    "²",  # a choice that is an id: a digit to str.isdigit(), not to int()
    "٣",
]

# Of each kind, by the <input> type (or tag) the page gave the field.
CATALOGUE = {
    "text": TEXT,
    "number": NUMBER,
    "date": DATE,
    "time": TIME,
    "datetime": DATETIME,
    "choice": CHOICE,
}


def kind_of(control) -> str:
    if control.kind in ("select", "radio", "checkbox", "button"):
        return "choice"
    if control.kind in ("number", "range"):
        return "number"
    if control.kind in ("date", "month", "week"):
        return "date"
    if control.kind == "time":
        return "time"
    if control.kind == "datetime-local":
        return "datetime"
    return "text"


# Text a person could type, any script, plus the categories the catalogue is made of.
_any_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=300
)
_numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
_dates = st.tuples(st.integers(-9999, 99999), st.integers(-1, 14), st.integers(-1, 40)).map(
    lambda ymd: f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}"
)

STRATEGIES = {
    "text": _any_text,
    "number": st.one_of(_numbers, _any_text),
    "date": st.one_of(_dates, _any_text),
    "time": st.tuples(st.integers(-5, 99), st.integers(-5, 99)).map(
        lambda hm: f"{hm[0]}:{hm[1]:02d}"
    ),
    "datetime": st.tuples(_dates, st.integers(-5, 99)).map(lambda dh: f"{dh[0]}T{dh[1]:02d}:00"),
    "choice": st.one_of(_any_text, _numbers),
}


# The admin's forms (Django's own code over our models) get the sharpest value of each kind,
# the ones that have broken something before: NUL and a megabyte, a number past any column,
# a date that does not exist.
ADMIN_CATALOGUE = {
    "text": ["nul\x00byte", MEGABYTE],
    "number": ["99999999999999999999", "-1"],
    "date": ["2026-02-30"],
    "time": ["25:61"],
    "datetime": ["2026-02-30T10:00"],
    "choice": ["99999999999999999999", "not-one-of-them"],
}
