"""Pages answer GET, HEAD and POST; any other method is a 405 before a view runs.

Modhall is HTML pages and forms, and a browser's form sends only GET or POST, so no page
accepts PUT, PATCH, DELETE or anything else. Most views were written as "POST does the
action, anything else shows the page", so a signed-in ``DELETE /`` with a CSRF token used to
render the home page (200), or a form's page its errors. One check here covers every URL
pattern, the admin's and allauth's included, and every view added later, without a
decorator to forget; views that take only GET or only POST still say so with Django's
``require_GET``/``require_POST``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

ACCEPTED = ("GET", "HEAD", "POST")


class AcceptedMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ACCEPTED:
            return HttpResponseNotAllowed(ACCEPTED)
        return self.get_response(request)
