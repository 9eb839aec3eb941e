"""EXPLAIN ANALYZE of the search's main query for a few words, saved beside the results.

Run inside Django (bench/run.py calls ``python -m bench.explain`` with each server's
environment): prints Markdown. For each word it runs the forum search as an anonymous visitor,
notes every statement the search sends (``connection.execute_wrapper``), and explains the one
that finds and ranks the matches (the statement reading ``search_vector`` with a rank) with
the same words and in the same way as the page does (planned for its words:
portal/core/plans.py). A common word, a rare one, a misspelt one and one still being typed,
so a plan that only suits one kind shows.
"""

from __future__ import annotations

import os
import time

import django

WORDS = ("first", "backseating", "timout", "spoil")


def _statements(run) -> list[tuple[str, tuple]]:
    from django.db import connection

    seen: list[tuple[str, tuple]] = []

    def note(execute, sql, params, many, context):
        seen.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        run()
    return seen


def _main_statement(statements: list[tuple[str, tuple]]) -> tuple[str, tuple] | None:
    ranked = [s for s in statements if "search_vector" in s[0] and "ts_rank" in s[0]]
    return ranked[0] if ranked else None


def explain_searches() -> str:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from portal.core.plans import planned_for_its_words
    from portal.forums.selectors import search_posts

    lines = ["# The search's main query, explained", ""]
    if connection.vendor != "postgresql":
        return "\n".join([*lines, "SQLite: the laptop's simpler search; nothing to explain.", ""])
    for word in WORDS:
        started = time.perf_counter()
        statements = _statements(
            lambda word=word: search_posts(viewer=AnonymousUser(), query=word, number=1)
        )
        took = (time.perf_counter() - started) * 1000
        lines += [f"## Forum search for “{word}”", ""]
        lines.append(f"{len(statements)} statements, {took:.1f} ms in all (cold).")
        main = _main_statement(statements)
        if main is None:
            lines += ["", "No ranking statement was sent.", ""]
            continue
        sql, params = main
        with planned_for_its_words(), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        lines += ["", "```", plan, "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    print(explain_searches())
