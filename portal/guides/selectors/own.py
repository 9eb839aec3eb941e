"""A reader's own rows on a lesson, track or track check page, each page's in one statement.

Every signed-in view of those pages reads what the reader has done there (progress, last
attempt, feedback, note, badge). As querysets that is three or four queries whose building
and compiling costs more than the rest of the reads; here each page's is one hand-written
statement of outer joins from a one-row table (so it returns a row even when the reader has
done nothing), with the table names taken from the models and every value a parameter.

Benchmark (large data, ``modhall_bench_large``, demo_mod given a row of each kind in a
transaction rolled back afterwards; PostgreSQL on this machine, in-process, median of 300
runs; December 2026, issue 13):

- lesson page: the four rows as querysets (``.first()`` each): 2.06 ms; progress, feedback
  and note as the lesson's FilteredRelations (one ``.values()`` query) plus the last
  attempt: 2.01 ms; ``LESSON_SQL``, its values converted into model instances: 0.21 ms.
- track page: lesson progress, track progress and badge as three querysets: 1.54 ms;
  ``TRACK_SQL``, converted: 0.27 ms.
- track check page: last attempt, track progress and badge as three querysets: 1.60 ms;
  ``TRACK_CHECK_SQL``, converted: 0.18 ms.

The ORM is 5 to 10 times slower for the same rows, so these stay SQL (ARCHITECTURE.md,
"Reading fast, simply"). Values are converted as the ORM converts them (``instance``), so
the pages see the same model instances on every database.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.db import connection
from django.db.models import Model

from portal.guides.models import (
    Badge,
    CheckAttempt,
    JournalEntry,
    Lesson,
    LessonFeedback,
    LessonProgress,
    TrackProgress,
)

# The columns read of each model, the primary key first (a NULL one: no such row).
PROGRESS = ("id", "lesson_id", "completed_at", "checklist_done", "check_passed_at")
ATTEMPT = ("id", "number", "question_keys", "answers", "score", "total", "passed", "questions_hash")
FEEDBACK = ("id", "helpful", "reason", "comment", "updated_at")
NOTE = ("id", "body", "body_html", "updated_at")
TRACK_PROGRESS = ("id", "checklist_done", "check_passed_at")
BADGE = ("id", "awarded_at", "code")


def _columns(alias: str, model: type[Model], names: tuple[str, ...]) -> str:
    return ", ".join(f"{alias}.{model._meta.get_field(name).column}" for name in names)


# Table and column names from the models, the columns read as the tuples above list them.
_NAMES = {
    "lesson": Lesson._meta.db_table,
    "progress": LessonProgress._meta.db_table,
    "track_progress": TrackProgress._meta.db_table,
    "attempt": CheckAttempt._meta.db_table,
    "feedback": LessonFeedback._meta.db_table,
    "journal": JournalEntry._meta.db_table,
    "badge": Badge._meta.db_table,
    "p_columns": _columns("p", LessonProgress, PROGRESS),
    "a_columns": _columns("a", CheckAttempt, ATTEMPT),
    "f_columns": _columns("f", LessonFeedback, FEEDBACK),
    "j_columns": _columns("j", JournalEntry, NOTE),
    "t_columns": _columns("t", TrackProgress, TRACK_PROGRESS),
    "b_columns": _columns("b", Badge, BADGE),
}

# The last attempt is the one with the highest number, found through the index of its unique
# constraint (lesson_attempt_number_once; track_attempt_number_once for a track's check).
LESSON_SQL = """
SELECT {p_columns}, {a_columns}, {f_columns}, {j_columns}
FROM (SELECT 1 AS one) me
LEFT JOIN {progress} p ON p.user_id = %(user)s AND p.lesson_id = %(lesson)s
LEFT JOIN {attempt} a ON a.id = (
  SELECT id FROM {attempt} WHERE user_id = %(user)s AND track_id = %(track)s
  AND lesson_id = %(lesson)s ORDER BY number DESC LIMIT 1)
LEFT JOIN {feedback} f ON f.user_id = %(user)s AND f.lesson_id = %(lesson)s
LEFT JOIN {journal} j ON j.user_id = %(user)s AND j.lesson_id = %(lesson)s
""".format(**_NAMES)  # noqa: S608 (names from the models; every value is a parameter)

# One row per lesson of the track the reader has progress in (or one row without), each with
# their progress in the track as a whole and their badge.
TRACK_SQL = """
SELECT {t_columns}, {b_columns}, {p_columns}
FROM (SELECT 1 AS one) me
LEFT JOIN {track_progress} t ON t.user_id = %(user)s AND t.track_id = %(track)s
LEFT JOIN {badge} b ON b.user_id = %(user)s AND b.track_id = %(track)s
LEFT JOIN {progress} p ON p.user_id = %(user)s
  AND p.lesson_id IN (SELECT id FROM {lesson} WHERE track_id = %(track)s)
""".format(**_NAMES)  # noqa: S608

TRACK_CHECK_SQL = """
SELECT {a_columns}, {t_columns}, {b_columns}
FROM (SELECT 1 AS one) me
LEFT JOIN {attempt} a ON a.id = (
  SELECT id FROM {attempt} WHERE user_id = %(user)s AND track_id = %(track)s
  AND lesson_id IS NULL ORDER BY number DESC LIMIT 1)
LEFT JOIN {track_progress} t ON t.user_id = %(user)s AND t.track_id = %(track)s
LEFT JOIN {badge} b ON b.user_id = %(user)s AND b.track_id = %(track)s
""".format(**_NAMES)  # noqa: S608


def fetch(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def instance[M: Model](model: type[M], names: tuple[str, ...], values: Sequence) -> M | None:
    """The ``model`` row whose columns ``names`` were read by hand as ``values``, each
    converted as the ORM converts it (a JSON column is text on every database, a date and
    time is text on SQLite); the other columns deferred. None when the join found no row."""
    if values[0] is None:
        return None
    given = {}
    for (name, column, converters), value in zip(
        _converters(model, names, connection.vendor), values, strict=True
    ):
        for convert in converters if value is not None else ():
            value = convert(value, column, connection)
        given[name] = value
    read = [field.attname for field in model._meta.concrete_fields if field.attname in given]
    return model.from_db(connection.alias, read, [given[name] for name in read])


@cache
def _converters(model: type[Model], names: tuple[str, ...], vendor: str) -> list[tuple]:
    """Each column's converters on this kind of database (the same for every row)."""
    found = []
    for name in names:
        column = model._meta.get_field(name).get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column)
        found.append((name, column, converters + column.get_db_converters(connection)))
    return found


def split(row: Sequence, *parts: Sequence[str]) -> list[Sequence]:
    """``row`` cut into consecutive pieces as long as each of ``parts``."""
    pieces, start = [], 0
    for names in parts:
        pieces.append(row[start : start + len(names)])
        start += len(names)
    return pieces
