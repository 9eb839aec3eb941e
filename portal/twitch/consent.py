"""Asking Twitch for one more permission, for one job, and coming back.

The person presses a button on Modhall; they go to Twitch's consent page asking only for the
job's scopes (models.SCOPES); Twitch sends them back to one address here (``callback``) with a
code, or with "access_denied" when they said no. The state that ties the two together is
random, kept in the session, and used once. The code is kept as a grant and exchanged by the
job's task, never in this request: a slow Twitch cannot hold up the page.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from portal.twitch import client
from portal.twitch.models import SCOPES, Purpose, TwitchGrant
from portal.twitch.selectors import twitch_user_id_of
from portal.twitch.services import grant_record

SESSION_KEY = "twitch_consent"


def callback_address(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("twitch:callback"))


def consent_redirect(
    request: HttpRequest, *, purpose: Purpose, done: str, channel_id: int | None = None
) -> HttpResponse:
    """Send the person to Twitch's consent page for ``purpose``; they come back to ``done``.
    Where Twitch login is not set up there is nothing to ask (404, like the login)."""
    if not settings.TWITCH_LOGIN_ENABLED:
        raise Http404("Twitch is not set up here.")
    if not twitch_user_id_of(request.user):
        messages.error(
            request,
            "Connect your Twitch account first (Connected accounts, then Twitch); Modhall "
            "then asks Twitch about that account only.",
        )
        return redirect(done)
    state = secrets.token_urlsafe(32)
    request.session[SESSION_KEY] = {
        "state": state,
        "purpose": str(purpose),
        "channel_id": channel_id,
        "done": done,
    }
    return HttpResponseRedirect(
        client.authorize_address(
            redirect_uri=callback_address(request), scopes=SCOPES[purpose], state=state
        )
    )


def callback(request: HttpRequest) -> HttpResponse:
    asked = request.session.pop(SESSION_KEY, None)
    state = request.GET.get("state", "")
    if not asked or not state or not secrets.compare_digest(asked.get("state", ""), state):
        return HttpResponse(
            "This answer from Twitch does not match a request from this browser; start again "
            "from Modhall.",
            status=400,
            content_type="text/plain",
        )
    done = asked.get("done") or reverse("twitch:account")
    if not url_has_allowed_host_and_scheme(done, allowed_hosts={request.get_host()}):
        done = reverse("twitch:account")
    code = request.GET.get("code", "")
    if request.GET.get("error") or not code:
        messages.info(request, "You did not give Modhall the permission; nothing was read.")
        return redirect(done)
    twitch_user_id = twitch_user_id_of(request.user)
    if not twitch_user_id:
        raise Http404("No Twitch account is connected.")
    grant = grant_record(
        user=request.user,
        purpose=Purpose(asked["purpose"]),
        code=code[:200],
        redirect_uri=callback_address(request),
        twitch_user_id=twitch_user_id,
        channel_id=asked.get("channel_id"),
    )
    # Where tasks run inline (a laptop) the job is already over, its grant gone: saying
    # "asking now" above a result, or above "reconnect", would contradict the page.
    if TwitchGrant.objects.filter(pk=grant.pk).exists():
        messages.success(
            request,
            "Thank you. Modhall is asking Twitch now; this page shows the answer when it is in.",
        )
    else:
        messages.success(request, "Thank you. Twitch has answered; this page shows what it said.")
    return redirect(done)
