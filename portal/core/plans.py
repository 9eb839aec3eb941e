"""Planning a search for the words it was given, not for words in general.

With DATABASE_PREPARED_STATEMENTS (psycopg's server-side prepares), a statement run five times
on a connection is prepared, and after five more runs PostgreSQL may keep one *generic* plan
for it, chosen without knowing the value of its parameters. That suits the pages' reads,
whose parameters are ids, and is why they are prepared. It does not suit a full-text search:
how many rows a word matches is everything to its plan (read down the newest-posts index for
a common word, ask the GIN index for a rare one), and the generic plan guesses the same for
every word. The forum search's database time went from about 40 ms to about 600 ms per
search on the large data once the generic plan was chosen, and the benchmark hid it by
repeating one word.

``planned_for_its_words()`` runs a search's statements in a transaction whose
``plan_cache_mode`` is ``force_custom_plan``: the statements stay prepared (parsed once), but
are planned for each run's words. The same statement sets how alike a misspelt word and a
title's word must be for pg_trgm's ``%>`` operator (``TYPO_SIMILARITY``: "timout" is 0.5 like
"timeout"), and turns sequential scans off: a search reads through its indexes, and a
sequential scan is only ever chosen on a guess that matches are common enough to stop early
(PostgreSQL guesses two words' matches together from each one's, and "stream slow", common
words never together, read every one of 309,000 posts to find none). It costs one statement
per search, and nothing on SQLite, whose planner has no generic plans. Nor parallel workers:
a search is small work, and on a busy server the cores are serving other people.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

TYPO_SIMILARITY = 0.5  # pg_trgm's word_similarity_threshold is 0.6 by default


@contextmanager
def planned_for_its_words() -> Iterator[None]:
    """Statements run inside are planned for their own parameters (PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield
        return
    # savepoint=False: inside an outer transaction (a test's) a savepoint would add two
    # statements; SET LOCAL then lasts until that outer transaction ends, which is harmless.
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            # set_config(…, true) is SET LOCAL: it ends with the transaction. A setting of
            # pg_trgm may be set before the extension is loaded in this session.
            cursor.execute(
                "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
                " set_config('enable_seqscan', 'off', true),"
                " set_config('max_parallel_workers_per_gather', '0', true),"
                " set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [str(TYPO_SIMILARITY)],
            )
        yield
