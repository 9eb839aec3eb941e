"""Whole pages for anonymous visitors, kept for a minute: Discourse's anonymous cache.

Every visitor without a session sees the same page for the same address, so the first one's
rendering is kept in the shared cache under the full path and served to everyone else for
``LIFETIME_SECONDS``. Nothing else keeps it right: no site-wide generation, nothing a write
moves or deletes. A new reply reaches anonymous readers within the lifetime, which is the
trade Discourse makes too; signed-in people never get a kept page, so they see every write
at once.

Only a plain 200 to a GET or HEAD is kept, and never one that sets a cookie (including
those the outer middleware set after this one: the CSRF token the page used, a session the
view started, a flash message), nor one that says something about caching itself or lives
under a private prefix. Kept pages go out with ``Cache-Control: public, max-age=…`` (what is
left of their minute), ``Vary: Cookie`` and an ETag computed once when the page is kept, so a
browser or a CDN in front can reuse them, and ``ConditionalGetMiddleware`` answers a matching
``If-None-Match`` with a 304. A response to someone with a session is marked ``private``.

It sits innermost in MIDDLEWARE, so the security headers (CSP, HSTS, frame options) are
added to kept pages too. ``ANONYMOUS_PAGE_CACHE=false`` turns all of it off.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

# Long enough that a busy page is rendered about once a minute whatever the crowd; short
# enough that a new reply or a closed opening reaches visitors soon.
LIFETIME_SECONDS = 60
# Pages about the visitor's own session or for staff: never kept.
PRIVATE_PREFIXES = ("/accounts/", "/admin/", "/email/", "/digests/", "/healthz")
# Set again on every response, by this middleware or the outer ones.
_NOT_KEPT_HEADERS = {"content-length", "set-cookie", "vary", "cache-control"}


def _has_session(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _shareable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not _has_session(request)
        and "messages" not in request.COOKIES
        and not request.path.startswith(PRIVATE_PREFIXES)
    )


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    # Cookies that outer middleware will set on the way out: the CSRF token the page used,
    # a session the view started, a flash message queued.
    session = getattr(request, "session", None)
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not queued
        and not response.has_header("Cache-Control")
        and not request.user.is_authenticated
    )


def page_key(full_path: str) -> str:
    """Where the page for this address (path and query string) is kept."""
    digest = hashlib.blake2b(full_path.encode(), digest_size=16).hexdigest()
    return f"anonymous-page:{digest}"


def _public(response: HttpResponse, *, max_age: int) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=max_age)
    patch_vary_headers(response, ["Cookie"])
    return response


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.ANONYMOUS_PAGE_CACHE or not _shareable(request):
            response = self.get_response(request)
            if _has_session(request):
                # A page for one person: no shared cache on the way may keep it.
                patch_cache_control(response, private=True)
            return response

        key = page_key(request.get_full_path())
        kept = cache.get(key)
        if kept is not None:
            content, headers, kept_at = kept
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            left = int(kept_at + LIFETIME_SECONDS - time.time())
            return _public(response, max_age=max(left, 0))

        response = self.get_response(request)
        if not _keepable(request, response):
            return response
        set_response_etag(response)  # once here, not on every hit
        headers = [(n, v) for n, v in response.items() if n.lower() not in _NOT_KEPT_HEADERS]
        cache.set(key, (response.content, headers, time.time()), LIFETIME_SECONDS)
        return _public(response, max_age=LIFETIME_SECONDS)
