"""Whole-page cache for anonymous visitors.

Every anonymous visitor sees the same page for the same address, so the rendered page is
kept in the shared cache and served again without touching the database. Correctness comes
from a site-wide *generation* number in the key: every successful write (any POST, PUT,
PATCH or DELETE that does not fail) and every loader (sync_guides, seed_demo) moves it on,
so the next reader after a new post, an edit or a moderation decision gets a fresh page at
once. Only signed-in people's writes move it: visitors' POSTs (logging in, signing up,
unsubscribing) change nothing a page shows, and counting them would let anyone empty the
cache at will. A short lifetime bounds what changes with time alone (an opening passing its closing
date, a background job's work).

Only plain successful GETs from visitors with no session are kept, and never a response
that sets a cookie or carries a flash message. It sits innermost in MIDDLEWARE, so the
security headers (CSP, HSTS, frame options) are still added to every cached page.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "page-cache:generation"
LIFETIME_SECONDS = 60
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Pages about the visitor's own session or for staff: never shared.
PRIVATE_PREFIXES = ("/accounts/", "/admin/", "/email/", "/healthz", "/digests/")
_SKIPPED_HEADERS = {"content-type", "content-length", "set-cookie", "vary"}


def _move_on() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set (evicted, flushed) or the cache is unreachable
        _start()


def _start() -> None:
    # A number no earlier run of the cache used: after the key is lost, pages kept under the
    # old numbers can never match again.
    cache.set(GENERATION_KEY, time.time_ns(), None)


def content_changed() -> None:
    """Move the generation on: every cached page and shared part is stale from now. Called
    inside a transaction, it moves on again after commit, so a reader who rendered the old
    rows under the new number in between is not kept."""
    _move_on()
    transaction.on_commit(_move_on)


def generation() -> int:
    """The current generation, started afresh if the cache has lost it."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        current = cache.get(GENERATION_KEY)
    return current or 0


def _shareable(request: HttpRequest) -> bool:
    return (
        settings.ANONYMOUS_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(PRIVATE_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in UNSAFE_METHODS:
            response = self.get_response(request)
            # Only signed-in people change what pages show; a failed login or a stranger's
            # POST would otherwise let anyone empty every cached page at will.
            if response.status_code < 400 and request.user.is_authenticated:
                content_changed()
            return response
        if not _shareable(request):
            return self.get_response(request)

        key = f"page-cache:{generation()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response

        response = self.get_response(request)
        queued = getattr(getattr(request, "_messages", None), "_queued_messages", None)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not queued
            and not request.user.is_authenticated
        ):
            headers = [(n, v) for n, v in response.items() if n.lower() not in _SKIPPED_HEADERS]
            headers.append(("Content-Type", response["Content-Type"]))
            cache.set(key, (response.content, headers), LIFETIME_SECONDS)
        return response
