"""Pages for tests/core/test_page_cache.py: each answers a new number on every rendering, so a
test sees whether a second visit was rendered again or served a kept page."""

from itertools import count

from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.cache import cache_control

_renderings = count()


def _page(request) -> HttpResponse:
    return HttpResponse(f"rendering {next(_renderings)}")


def plain(request):
    return _page(request)


def sets_a_cookie(request):
    response = _page(request)
    response.set_cookie("seen", "yes")
    return response


def uses_a_csrf_token(request):
    get_token(request)  # what {% csrf_token %} does: the CSRF cookie is set on the way out
    return _page(request)


def starts_a_session(request):
    request.session["seen"] = True
    return _page(request)


def flashes_a_message(request):
    messages.info(request, "Saved.")
    return _page(request)


def not_found(request):
    response = _page(request)
    response.status_code = 404
    return response


@cache_control(private=True)
def says_private(request):
    return _page(request)


urlpatterns = [
    path("plain/", plain),
    path("sets-a-cookie/", sets_a_cookie),
    path("uses-a-csrf-token/", uses_a_csrf_token),
    path("starts-a-session/", starts_a_session),
    path("flashes-a-message/", flashes_a_message),
    path("not-found/", not_found),
    path("says-private/", says_private),
    path("email/plain/", plain),
    path("accounts/plain/", plain),
]
