"""A reader's reflection journal: their own notes on lessons' reflection prompts.

Private by construction: every read starts from ``JournalEntry.objects.of(user)`` with the
signed-in person, so no address, id or role (staff included) reaches anyone else's notes.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.utils import timezone

from portal.accounts.models import User
from portal.guides.models import JournalEntry

# What the journal page shows of a note and its lesson (not the Markdown source, not the rest
# of the lesson row with its HTML), read as plain values, by the names the page uses: a page of
# notes builds no model instances.
_SHOWN = {
    "pk": "pk",
    "prompt": "prompt",
    "body_html": "body_html",
    "created_at": "created_at",
    "updated_at": "updated_at",
    "lesson_id": "lesson_id",
    "lesson_slug": "lesson__slug",
    "lesson_title": "lesson__title",
    "lesson_is_retired": "lesson__is_retired",
    "track_slug": "lesson__track__slug",
    "track_title": "lesson__track__title",
    "track_version": "lesson__track__version",
    "track_is_retired": "lesson__track__is_retired",
}


def journal_page(*, user: User, number: object, per_page: int) -> Page:
    """Page ``number`` of the reader's notes, the most recently written first: each a dict
    of ``_SHOWN`` and ``changed_later`` (last changed on a later day than written, in the
    reader's time zone). The count (of the notes alone, no joins) and one query, however
    many notes or lessons there are; only the count when there are none."""
    notes = JournalEntry.objects.of(user).order_by("-updated_at", "-pk")
    page = Paginator(notes, per_page).get_page(number)
    rows = []
    if page.paginator.count:
        rows = notes.values_list(*_SHOWN.values())[page.start_index() - 1 : page.end_index()]
    page.object_list = [_note(dict(zip(_SHOWN, row, strict=True))) for row in rows]
    return page


def _note(note: dict) -> dict:
    written, changed = (
        timezone.localdate(note["created_at"]),
        timezone.localdate(note["updated_at"]),
    )
    return {**note, "changed_later": changed != written}
