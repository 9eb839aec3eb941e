import itertools
import os

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path
from django.views.decorators.cache import never_cache

from bench.uncached import WRAPPED

_served = itertools.count()


@never_cache
def trivial(request):
    """The baseline: the whole middleware stack but any page cache (bench/uncached.py), no
    database, no template. The body changes on every request, so a cache answering in its
    place would show (bench/run.py checks); the header names the caches it skipped."""
    response = HttpResponse(f"ok {os.getpid()} {next(_served)}", content_type="text/plain")
    response["X-Bench-Skipped"] = ", ".join(WRAPPED) or "none"
    return response


def floor(request):
    """The least any portal page does: the site's layout (for a signed-in person that loads
    the session and the user, and counts unread notifications for the header) around an
    empty page. No key page can be cheaper, so its ratio bounds what any page can reach."""
    return render(request, "base.html")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/floor/", floor),
    path("", include("portal.urls")),
]
