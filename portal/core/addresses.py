"""Addresses that cannot be right are refused before any view sees them.

A control character (U+0000–U+001F, U+007F) has no business in a path or in a query value:
no page, filter or search of ours takes one. Yet one NUL in ``/people/%00/`` or in
``?role=`` reached PostgreSQL, which refuses NUL in text, and the visitor got a 500. Checking
each view's arguments would need a guard per view and per filter, and the next page would
miss it; refusing such an address once, here, covers every URL pattern, new ones included.
So is an address too long for any page of ours (414).
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from portal.core.text import CONTROL_CHARACTERS

# The longest address served, path and query together: what RFC 9110 asks every server to
# take (8,000 octets) and about what a proxy in front passes (nginx: 8 KB). Longer ones only
# come from a script, and a megabyte search reached the admin's lists, where SQLite refuses
# a LIKE pattern that long (a 500).
LONGEST_ADDRESS = 8000

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
        if len(request.path) + len(request.META.get("QUERY_STRING", "")) > LONGEST_ADDRESS:
            return HttpResponse(
                f"This address is longer than {LONGEST_ADDRESS:,} characters, "
                "so it cannot be a page of ours.",
                status=414,
                content_type="text/plain; charset=utf-8",
            )
        reason = refusal(request)
        if reason is not None:
            return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
