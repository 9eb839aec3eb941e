"""The health check and the error pages. (The home page is the ``home`` app's: it reads
from apps above this one.)"""

from __future__ import annotations

import logging
import sys
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.core import database_away

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health check: database unreachable")
        return False
    finally:
        # This runs on the checker's own thread, outside any request: nothing else would ever
        # close its connection.
        connection.close()


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "inline"
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=DEADLINE_SECONDS)
        return "ok"
    except Exception:
        logger.exception("health check: broker unreachable")
        return "unreachable"


def _cache_state() -> str:
    from portal.core.cache import ResilientRedisCache

    cache = caches["default"]
    if not isinstance(cache, ResilientRedisCache):
        return "local"
    if cache.is_paused():
        return "unreachable"  # it failed moments ago; pages are served from memory meanwhile
    try:
        cache._cache.get_client(write=False).ping()
        return "ok"
    except Exception:
        logger.exception("health check: cache unreachable")
        return "unreachable"


# A load balancer waits about a second; a part that has not answered by then is reported as
# such, so a hung Redis or broker can never hang the health check with it.
DEADLINE_SECONDS = 0.8
_CHECKS = {"database": _database_ok, "broker": _broker_state, "cache": _cache_state}
_checker = ThreadPoolExecutor(max_workers=len(_CHECKS), thread_name_prefix="healthz")


def _run_checks() -> dict[str, object]:
    futures = {name: _checker.submit(check) for name, check in _CHECKS.items()}
    wait(futures.values(), timeout=DEADLINE_SECONDS)
    return {
        name: future.result() if future.done() else "no answer within 0.8 s"
        for name, future in futures.items()
    }


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and people: are the database, the broker and the cache reachable?
    Each is asked at once, in parallel, and the answer comes within a second.

    Only a dead database makes the site unhealthy (503): without the broker pages still serve
    and mail waits in the outbox, and without the cache each process uses its own memory, so
    those are reported, not fatal.
    """
    parts = _run_checks()
    healthy = parts["database"] is True
    return JsonResponse(
        {"status": "ok" if healthy else "error", **parts}, status=200 if healthy else 503
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception, so it is at hand: a database that
    # cannot answer gets its own page, which gives a sent form back (portal/core/database_away.py).
    exc = sys.exc_info()[1]
    if database_away.is_outage(exc):
        return database_away.answer(request, exc)
    # No context processors' data beyond the request: the error may be in any of them.
    return render(request, "500.html", status=500)
