"""A reader's reflection journal: their own notes on lessons' reflection prompts.

Private by construction: every read starts from ``JournalEntry.objects.of(user)`` with the
signed-in person, so no address, id or role (staff included) reaches anyone else's notes.
"""

from __future__ import annotations

from django.db.models import QuerySet

from portal.accounts.models import User
from portal.guides.models import JournalEntry

# What the journal page shows of a note and its lesson (not the Markdown source, not the rest
# of the lesson row with its HTML).
_SHOWN = [
    "prompt", "body_html", "created_at", "updated_at", "lesson__slug", "lesson__title",
    "lesson__is_retired", "lesson__track__slug", "lesson__track__title",
    "lesson__track__is_retired",
]  # fmt: skip


def journal_entries(*, user: User) -> QuerySet[JournalEntry]:
    """The reader's notes, the most recently written first, with their lessons' addresses:
    a page of them costs its count and one query, however many notes or lessons there are."""
    return (
        JournalEntry.objects.of(user)
        .select_related("lesson__track")
        .only(*_SHOWN)
        .order_by("-updated_at", "-pk")
    )
