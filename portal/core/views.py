"""The health check and the error pages. (The home page is the ``home`` app's: it reads
from apps above this one.)"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health check: database unreachable")
        return False


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "inline"
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:
        logger.exception("health check: broker unreachable")
        return "unreachable"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and people: is the database up, is the broker reachable?

    Only a dead database makes the site unhealthy (503); without the broker pages still serve
    and mail waits in the outbox of whatever enqueued it, so it is reported, not fatal.
    """
    database = _database_ok()
    broker = _broker_state()
    return JsonResponse(
        {"status": "ok" if database else "error", "database": database, "broker": broker},
        status=200 if database else 503,
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors' data beyond the request: the error may be in any of them.
    return render(request, "500.html", status=500)
