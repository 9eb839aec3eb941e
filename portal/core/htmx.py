"""A redirect answering an htmx request takes the whole page there.

The forms that update their part of a page in place (htmx, through django-htmx) are answered
with that part; anything else they meet is a redirect: the log-in page when the session ended
in another tab, or a view that only knows how to redirect. The browser would follow it inside
the request and htmx would put the page it leads to where the part belonged (a log-in page in
the middle of a post). Turned into htmx's own client-side redirect (``HX-Redirect``), the
browser goes there as it would have without JavaScript.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseRedirectBase
from django_htmx.http import HttpResponseClientRedirect


class HtmxRedirectsMiddleware:
    """Sits after django-htmx's middleware (``request.htmx``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "htmx", False) and isinstance(response, HttpResponseRedirectBase):
            return HttpResponseClientRedirect(response["Location"])
        return response
