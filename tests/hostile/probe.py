"""Requests that leave no trace: each runs inside a savepoint that is rolled back, so every
spoiled submission meets the same world, and the rows of every table are counted before and
after it (in one query) to catch a refused request that wrote something anyway."""

from __future__ import annotations

import copy
import sys
import traceback
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client

# Sessions are the visitor's own cookie state (a refused sign-in may still start one), not a
# record anybody wrote.
_NOT_RECORDS = {"django_session"}


def _count_sql() -> tuple[str, list[str]]:
    """One query counting every table's rows: counting model by model would cost some eighty
    queries a request. The names are the models' own tables, quoted; nothing typed reaches it."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
        - _NOT_RECORDS
    )
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    return f"SELECT {counts}", tables


def row_counts() -> dict[str, int]:
    sql, tables = _count_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _where(exc: BaseException) -> str:
    """The frames of our own code (and the last two) and the exception: enough to find it."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for i, f in enumerate(frames) if "/portal/" in f.filename or i >= len(frames) - 2]
    lines = traceback.format_list(ours) + traceback.format_exception_only(exc)
    return "".join(lines)


class _Undo(Exception):
    pass


@dataclass
class Outcome:
    status: int
    refused: bool
    written: dict[str, int] = field(default_factory=dict)
    error: str = ""
    response: HttpResponse | None = None


def looks_refused(response: HttpResponse) -> bool:
    """A 4xx, or a page that shows a form's errors (beside a field, in the summary above the
    form, or allauth's list)."""
    if response.status_code >= 400:
        return True
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return False
    body = response.content
    return any(
        mark in body for mark in (b'class="error"', b"error-summary", b"form-errors", b"errorlist")
    )


def settled(client: Client) -> Client:
    """Count the rows once the client's person is signed in: every request after it is
    undone, so the counts before each of them are these (and cost no query each)."""
    client.rows_before = row_counts()
    return client


def send(client: Client, method: str, path: str, data=None, *, count: bool = False) -> Outcome:
    """One request, undone afterwards. An exception in the view is a 500. The rows it wrote
    are counted when it was refused, or when ``count`` asks."""
    # Rate limits and kept pages start afresh: a hostile value must reach the form, not a 429
    # earned by the values before it.
    cache.clear()
    before = getattr(client, "rows_before", None) or row_counts()
    # The cookies too are put back: a sign-out (or a sign-in as someone else) must not turn
    # the rest of the walk into an anonymous visitor's.
    cookies = copy.deepcopy(client.cookies)
    outcome: Outcome
    try:
        with transaction.atomic():
            try:
                response = client.generic(method, *_request(method, path, data))
            except Exception:
                outcome = Outcome(500, False, error=_where(sys.exc_info()[1]))
                raise _Undo from None
            refused = looks_refused(response)
            written = {}
            if refused or count:
                after = row_counts()
                written = {t: after[t] - before[t] for t in after if after[t] != before[t]}
            outcome = Outcome(response.status_code, refused, written, response=response)
            raise _Undo
    except _Undo:
        pass
    finally:
        client.cookies = cookies
    return outcome


def _request(method: str, path: str, data) -> tuple:
    """The path and body of a request sending ``data`` as a browser's form would."""
    if data is None:
        return (path,)
    pairs = [
        (name, value)
        for name, values in data.items()
        for value in (values if isinstance(values, list) else [values])
    ]
    if method in ("GET", "HEAD"):
        return (path.split("?")[0] + "?" + urlencode(pairs),)
    return (path, urlencode(pairs), "application/x-www-form-urlencoded")
