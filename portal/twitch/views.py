"""The person's Twitch page (/account/twitch/): their verified moderation history, how to ask
for it, refresh it or remove it, and which of its channels others may see."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.twitch import consent, services
from portal.twitch.models import Purpose, Status
from portal.twitch.selectors import history_for_reader, twitch_user_id_of


def _choice(request: HttpRequest, name: str) -> bool | None:
    return {"1": True, "0": False}.get(request.POST.get(name, ""))


def _bad(reason: str) -> HttpResponse:
    return HttpResponse(reason, status=400, content_type="text/plain")


@require_GET
@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "twitch/account.html",
        {
            "view": history_for_reader(person=request.user, reader=request.user),
            "connected": bool(twitch_user_id_of(request.user)),
            "twitch_enabled": settings.TWITCH_LOGIN_ENABLED,
            "Status": Status,
        },
    )


@require_POST
@login_required
def history_verify(request: HttpRequest) -> HttpResponse:
    """Verify (or check again) where I moderate: off to Twitch's consent page."""
    return consent.consent_redirect(
        request, purpose=Purpose.MODERATION_HISTORY, done=reverse("twitch:account")
    )


@require_GET
@login_required
def callback(request: HttpRequest) -> HttpResponse:
    return consent.callback(request)


@require_http_methods(["GET", "POST"])
@login_required
def history_remove(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if services.moderation_history_remove(user=request.user):
            messages.success(
                request, "Your moderation history is removed: the list and any token are deleted."
            )
        return redirect("twitch:account")
    if history_for_reader(person=request.user, reader=request.user) is None:
        raise Http404("There is no moderation history to remove.")
    return render(request, "twitch/remove.html")


@require_POST
@login_required
def history_show(request: HttpRequest) -> HttpResponse:
    show = _choice(request, "show")
    if show is None:
        return _bad("Say show=1 to show your channels on your profile, or show=0 to hide them.")
    services.moderation_history_show(user=request.user, show=show)
    messages.success(
        request,
        "Your channels are shown on your profile, except those you hide."
        if show
        else "Your channels are no longer shown; others see the count and the date only.",
    )
    return redirect("twitch:account")


@require_POST
@login_required
def channel_hide(request: HttpRequest, pk: int) -> HttpResponse:
    hidden = _choice(request, "hidden")
    if hidden is None:
        return _bad("Say hidden=1 to hide this channel, or hidden=0 to show it.")
    if not services.moderated_channel_hide(user=request.user, channel_id=pk, hidden=hidden):
        raise Http404("No such channel in your history.")
    return redirect("twitch:account")
