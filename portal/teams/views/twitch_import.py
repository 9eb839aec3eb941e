"""The owner's "Import from Twitch" page: read the channel's moderators and VIPs from Twitch,
offer a place to those on Modhall, and a sign-up link for the others."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from portal.teams.models import Level, TwitchImport
from portal.teams.permissions import team_for_member
from portal.teams.twitch_import import IMPORT_LEVELS, imported_people, twitch_import_invite
from portal.twitch.consent import consent_redirect
from portal.twitch.models import Purpose, Status
from portal.twitch.selectors import twitch_user_id_of


def _owner_only(membership) -> None:
    if membership.level != Level.OWNER:
        raise PermissionDenied(
            "Only the owner of the channel can import its mod team: Twitch gives a channel's "
            "moderators and VIPs to its broadcaster alone."
        )


def signup_link(request: HttpRequest, channel) -> str:
    """The invitation for someone not on Modhall yet: sign up, then land on the channel's
    page. It names the channel; it matches nobody by login."""
    query = urlencode({"next": channel.get_absolute_url()}, safe="/")
    return request.build_absolute_uri(f"{reverse('account_signup')}?{query}")


@require_http_methods(["GET", "POST"])
@login_required
def twitch_import(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    _owner_only(membership)
    channel = team.channel
    found = TwitchImport.objects.filter(team=team).first()
    error, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "read":
            if not channel.is_verified:
                raise PermissionDenied("Verify the channel first: log in with its Twitch account.")
            return consent_redirect(
                request,
                purpose=Purpose.TEAM_IMPORT,
                channel_id=channel.pk,
                done=reverse("teams:twitch_import", kwargs={"slug": slug}),
            )
        if action != "invite" or found is None:
            return HttpResponse(
                "Choose read (ask Twitch) or invite (offer the ticked people a place).",
                status=400,
                content_type="text/plain",
            )
        level = request.POST.get("level", Level.MODERATOR)
        chosen = set(request.POST.getlist("people"))
        people = {str(p.user.pk): p for p in imported_people(twitch_import=found) if p.user}
        ticked = [people[pk] for pk in chosen if pk in people]
        if level not in IMPORT_LEVELS:
            error = "Choose a moderator's or a trial place."
        elif not ticked:
            error = "Tick at least one person on Modhall to offer a place to."
        else:
            made, refused = [], []
            for person in ticked:
                try:
                    twitch_import_invite(
                        team=team, user=person.user, actor=request.user, level=Level(level)
                    )
                    made.append(person.user.display_name)
                except ValidationError as refusal:
                    refused.append(f"{person.user.display_name}: {' '.join(refusal.messages)}")
            if made:
                messages.success(request, f"Offered a place to {', '.join(made)}.")
            for line in refused:
                messages.error(request, line)
            return redirect("teams:twitch_import", slug=slug)
        status = 400
    people = imported_people(twitch_import=found) if found else []
    return render(
        request,
        "teams/twitch_import.html",
        {
            "team": team,
            "channel": channel,
            "membership": membership,
            "found": found,
            "people_here": [p for p in people if p.user],
            "people_elsewhere": [p for p in people if not p.user],
            "Status": Status,
            "error": error,
            "levels": [(level, Level(level).label) for level in IMPORT_LEVELS],
            "twitch_enabled": settings.TWITCH_LOGIN_ENABLED,
            "connected": bool(twitch_user_id_of(request.user)),
            "signup_link": signup_link(request, channel),
        },
        status=status,
    )
