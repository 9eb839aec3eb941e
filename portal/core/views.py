"""The health check, the staff page of failed emails, and the error pages. (The home page is
the ``home`` app's: it reads from apps above this one.)"""

from __future__ import annotations

import logging
import sys
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.core import database_away
from portal.core.mail import failed_email_send_again
from portal.core.models import FailedEmail

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


# Emails given up on within this long make the health check say so.
MAIL_FAILURES_WINDOW = timedelta(hours=24)


def _mail_state() -> str:
    """ "ok", or how many emails were given up on lately and wait for staff to send again."""
    try:
        failed = (
            FailedEmail.objects.waiting()
            .filter(failed_at__gte=timezone.now() - MAIL_FAILURES_WINDOW)
            .count()
        )
    except Exception:
        logger.exception("health check: could not count failed emails")
        return "unknown"
    finally:
        connection.close()  # the checker's own thread, as for the database check
    if not failed:
        return "ok"
    return f"{failed} failed in the last 24 hours (see /email/failed/)"


# A load balancer waits about a second; a part that has not answered by then is reported as
# such, so a hung Redis or broker can never hang the health check with it.
DEADLINE_SECONDS = 0.8
_CHECKS = {
    "database": _database_ok,
    "broker": _broker_state,
    "cache": _cache_state,
    "mail": _mail_state,
}
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
    """For load balancers and people: are the database, the broker and the cache reachable,
    and has mail been given up on lately? Each is asked at once, in parallel, and the answer
    comes within a second.

    Only a dead database makes the site unhealthy (503): without the broker pages still serve
    and mail waits in the outbox, without the cache each process uses its own memory, and a
    failed email waits for staff at /email/failed/, so those are reported, not fatal.
    """
    parts = _run_checks()
    healthy = parts["database"] is True
    return JsonResponse(
        {"status": "ok" if healthy else "error", **parts}, status=200 if healthy else 503
    )


FAILED_EMAILS_PAGE_SIZE = 50


def _staff_only(request: HttpRequest) -> None:
    # Who failed to get which email is private: the page does not exist for anyone else.
    if not (request.user.is_authenticated and request.user.is_staff):
        raise Http404


@require_GET
def failed_emails(request: HttpRequest) -> HttpResponse:
    """For staff: the emails given up on, newest first, each with "send again"."""
    _staff_only(request)
    emails = FailedEmail.objects.waiting().select_related("person")
    page = Paginator(emails, FAILED_EMAILS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/failed_emails.html", {"page": page})


@require_POST
def failed_email_send(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    failed_email = get_object_or_404(FailedEmail, pk=pk)
    if failed_email_send_again(failed_email=failed_email, staff=request.user):
        messages.success(request, "The email is queued again; if it fails again it is back here.")
    else:
        messages.error(request, "That email cannot be sent again (sent already, or never built).")
    return redirect("failed_emails")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers, feed readers and bookmarks ask for whatever the page's
    <link rel="icon"> says: the site's icon. A temporary redirect, since the icon's address
    carries its content hash and changes with it; kept a day."""
    response = redirect(static("img/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def error_500(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception, so it is at hand: a database that
    # cannot answer gets its own page, which gives a sent form back (portal/core/database_away.py).
    exc = sys.exc_info()[1]
    if database_away.is_outage(exc):
        return database_away.answer(request, exc)
    # No context processors' data beyond the request: the error may be in any of them.
    return render(request, "500.html", status=500)
