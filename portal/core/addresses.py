"""Addresses that cannot be right are refused before any view sees them.

A control character (U+0000–U+001F, U+007F) has no business in a path or in a query value:
no page, filter or search of ours takes one. Yet one NUL in ``/people/%00/`` or in
``?role=`` reached PostgreSQL, which refuses NUL in text, and the visitor got a 500. Checking
each view's arguments would need a guard per view and per filter, and the next page would
miss it; refusing such an address once, here, covers every URL pattern, new ones included.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from portal.core.text import CONTROL_CHARACTERS

# Tab, line feed and carriage return are allowed in query values (a search pasted from a
# document may carry them, and they are harmless there), but in no path.
_IN_PATH = re.compile(r"[\x00-\x1f\x7f]")


def refusal(request: HttpRequest) -> str | None:
    """Why this address cannot be served, or None."""
    if _IN_PATH.search(request.path):
        return "This address contains a control character, so it cannot be a page of ours."
    for name, values in request.GET.lists():
        if _IN_PATH.search(name) or any(CONTROL_CHARACTERS.search(value) for value in values):
            return f"The “{name[:40]}” value in this address contains a control character."
    return None


class RefuseImpossibleAddressesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reason = refusal(request)
        if reason is not None:
            return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
