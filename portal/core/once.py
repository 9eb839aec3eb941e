"""Things a person does once (report an opening, apply to it, give a reaction, invite
someone, report a post) stay done once when the same request arrives twice at once.

Each such service first checks whether it is already done, which answers the ordinary repeat;
but two identical requests a few milliseconds apart (a double click, a retried submit) both
pass that check, and the second insert then breaks the table's unique constraint: an
IntegrityError, which was a 500. Only the constraint sees both requests, so it decides:
``insert_once`` saves the row in a savepoint and reads a broken unique constraint as "already
done", which the service answers exactly as it answers the repeat (``AlreadyDone``, or
quietly for a reaction given twice). On PostgreSQL the second insert waits for the first
request's transaction: it is already done if that commits, and goes in if that rolls back.

A savepoint rather than a row lock: a lock would have to be on some row both requests know
before either inserts, different for every kind of write, and it would make every request
wait, where the savepoint costs two statements and only the loser of a race ever waits.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

# How each database names a broken unique constraint (PostgreSQL's SQLSTATE; the SQLite
# error names of Python's sqlite3 module). Any other integrity error is a bug, not a repeat.
_UNIQUE_VIOLATIONS = {"23505", "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}


class AlreadyDone(ValidationError):
    """The person has already done this (earlier, or in the same request sent twice at once).
    Views answer it as they answer a repeat: as a success, with its message, not as an
    error in the form; ``done`` is what they did, when the view leads there."""

    def __init__(
        self, message, code: str = "already_done", params=None, *, done: models.Model | None = None
    ) -> None:
        super().__init__(message, code=code, params=params)
        self.done = done


def is_unique_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    return (
        getattr(cause, "sqlstate", None) in _UNIQUE_VIOLATIONS
        or getattr(cause, "sqlite_errorname", None) in _UNIQUE_VIOLATIONS
    )


def insert_once(row: models.Model) -> bool:
    """Insert ``row`` unless a row with the same unique key is already there; whether it went
    in. Call it inside the service's transaction, after the service's own checks."""
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
        row.pk = None  # it was never saved
        return False
    return True
