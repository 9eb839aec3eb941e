from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path


def trivial(request):
    """The baseline: the whole middleware stack, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


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
