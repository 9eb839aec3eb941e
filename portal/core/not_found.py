"""The styled "page not found" while developing, too.

With DEBUG on (``make run``), Django answers a missing page with its technical 404, which is
not what a person trying the portal should meet, and hides how the real page looks. This
middleware gives the site's own 404.html instead, for a view's Http404 and for an address no
URL matches, the same page production shows through ``handler404``. Off with DEBUG off, and
off when ``DEBUG_TECHNICAL_404`` is set, for a developer who wants Django's page back (the
runserver log names every missing address either way).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse


def _wanted() -> bool:
    return settings.DEBUG and not getattr(settings, "DEBUG_TECHNICAL_404", False)


class StyledNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No URL matched: the resolver's 404 never reaches process_exception.
        if (
            response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and _wanted()
        ):
            return self._page(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404) and _wanted():
            return self._page(request, exception)
        return None

    @staticmethod
    def _page(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        from portal.core.views import error_404

        return error_404(request, exception)
