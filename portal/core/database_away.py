"""What a person gets while the database cannot answer: a 503 that says so, asks them to try
again shortly (``Retry-After``), and, for a form they sent, gives back what they typed.

A database that is down, restarting or failing over makes every query raise
``OperationalError`` (or ``InterfaceError`` on a connection that died), wherever the query
was: in a view, a middleware loading the person, a template. Each of those ends in Django's
500 handler (``portal/core/views.py``), so that one place turns them into this answer rather
than a guard per view. A query that is wrong (``ProgrammingError``, ``DataError``,
``IntegrityError``) is not an outage and stays a 500.

The answer is a page of its own, rendered without context processors or the base layout:
both read the database. Its form posts the same fields to the same address, so once the
database is back one click sends the submission again (the CSRF token is the cookie's, which
needs no database). Passwords are never written back into a page.

Admins are told (logger ``portal.outage``, emailed to ``ADMINS``), at most once every
ten minutes per process: an outage answers every request with this page, and one email per
request would bury the one that matters.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger("portal.outage")

RETRY_AFTER_SECONDS = 30
TELL_EVERY_SECONDS = 10 * 60
_told_at: float | None = None

# Values a person typed (words, sentences) are shown in boxes they can read and copy; short
# tokens (a choice, an id, a flag) travel in hidden fields, as the page sent them.
_TYPED = re.compile(r"\s|[^\w.@:+-]")
_NEVER_SHOWN = ("csrfmiddlewaretoken",)


@dataclass(frozen=True)
class SentValue:
    name: str
    value: str
    typed: bool
    long: bool


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, (OperationalError, InterfaceError))


def sent_values(request: HttpRequest) -> list[SentValue]:
    """What the person sent, in order, without the CSRF token or any password."""
    try:
        data = request.POST
    except Exception:  # an unreadable body: there is nothing to give back
        return []
    values = []
    for name, items in data.lists():
        if name in _NEVER_SHOWN or "password" in name.lower():
            continue
        for value in items:
            typed = bool(_TYPED.search(value)) or len(value) > 40
            values.append(SentValue(name, value, typed, "\n" in value or len(value) > 80))
    return values


def tell_admins(exc: BaseException) -> None:
    global _told_at
    now = time.monotonic()
    if _told_at is None or now - _told_at >= TELL_EVERY_SECONDS:
        _told_at = now
        logger.error("The database is not answering: %s", exc, exc_info=exc)
    else:
        logger.warning("The database is still not answering: %s", exc)


def answer(request: HttpRequest, exc: BaseException) -> HttpResponse:
    tell_admins(exc)
    is_form = request.method == "POST"
    context = {
        "is_form": is_form,
        "action": request.get_full_path(),
        "values": sent_values(request) if is_form else [],
        "csrf_token": get_token(request) if is_form else "",
        "retry_after": RETRY_AFTER_SECONDS,
    }
    response = HttpResponse(loader.get_template("503.html").render(context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # Told above, once in a while; Django would otherwise log (and email) every 5xx answer.
    response._has_been_logged = True
    return response
