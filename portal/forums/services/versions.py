"""Saving a changed row of the forums and moving its version in the same statement.

Categories, topics and posts carry a ``version`` that pages key their cached fragments on
(forums/models/__init__.py): every write that changes one of these rows goes through
``save_changed``, so the fragments of exactly the rows it changed are rendered afresh."""

from __future__ import annotations

from django.db.models import F

from portal.forums.models import Category, Post, Topic


def save_changed(row: Category | Topic | Post, *fields: str) -> None:
    """Save the changed fields and move the row's version in the same UPDATE: the fragments
    pages cached of this row get new keys, and no other row's do."""
    row.version = F("version") + 1
    # Django reads the new version back in the same statement (RETURNING).
    row.save(update_fields=[*fields, "version"])
