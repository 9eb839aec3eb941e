"""What text people type may hold: the one set of rules for forms, feeds, emails and addresses.

A control character (U+0000–U+001F except tab, line feed and carriage return; and U+007F) has
no meaning in anything a person writes here, and one of them can break a page for everybody
else: XML feeds cannot carry it, PostgreSQL refuses NUL, an email header refuses a line break.
So forms refuse them with a message beside the field (``portal/core/forms.py``), single-line
fields refuse line breaks too, and whatever still reaches a feed or an email (from the admin,
an import or an old row) is cleaned on the way out rather than failing.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# Tab, line feed and carriage return are ordinary in a paragraph; nothing else below 0x20 is.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def refuse_control_characters(value: str) -> None:
    # A NUL already has Django's own message ("Null characters are not allowed."): one is enough.
    if isinstance(value, str) and "\x00" not in value and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            "This contains an invisible control character (often pasted by accident). "
            "Please retype it.",
            code="control_character",
        )


def refuse_line_breaks(value: str) -> None:
    if isinstance(value, str) and LINE_BREAKS.search(value):
        raise ValidationError("Please keep this on one line.", code="line_break")


def cleaned(text: str) -> str:
    """``text`` without control characters: for paragraphs on their way to a feed or email."""
    return CONTROL_CHARACTERS.sub("", text or "")


def one_line(text: str) -> str:
    """``text`` without control characters and with its line breaks as spaces: for a title,
    a name or an email subject."""
    return LINE_BREAKS.sub(" ", cleaned(text)).strip()


def clean_stored_text(apps, schema_editor, *, app_label: str) -> None:
    """For a data migration: clean what an app already stored before forms refused control
    characters: its short text fields (names, titles) to one line, its long ones (bodies,
    descriptions) without control characters. Only rows that hold one are read and written."""
    from django.db import models

    for model in apps.get_app_config(app_label).get_models():
        for field in model._meta.concrete_fields:
            # From \x01: PostgreSQL stores no NUL in text, and refuses \x00 in a pattern.
            if isinstance(field, models.TextField):
                pattern, fix = r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]", cleaned
            elif isinstance(field, models.CharField) and not field.choices:
                pattern, fix = r"[\x01-\x1f\x7f\u2028\u2029]", one_line
            else:
                continue
            rows = model._default_manager.filter(**{f"{field.attname}__regex": pattern})
            for row in rows.only("pk", field.attname).iterator():
                setattr(row, field.attname, fix(getattr(row, field.attname)))
                row.save(update_fields=[field.attname])


def whole_number(text: str, *, most_digits: int = 18) -> int | None:
    """The whole number a typed or addressed value spells in ASCII digits (an id, a level, a
    mark), or None. ``str.isdigit()`` alone is not the test: it is true for "²" and other
    Unicode digits that ``int()`` then refuses (a 500 where a page meant to ignore the value),
    and an id longer than 18 digits is past what a database key holds."""
    if not (text.isascii() and text.isdigit()) or len(text) > most_digits:
        return None
    return int(text)
