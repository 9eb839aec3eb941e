"""The team space's front pages: the teams a person is on, a team's home (its roster and
what happened lately), and leaving or removing a member. The sections (onboarding,
rulebook, coverage, debriefs, discussion) have their own views modules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from portal.teams import selectors, services
from portal.teams.models import Level, Membership
from portal.teams.permissions import require_lead, team_for_member


@require_GET
@login_required
def my_teams(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "teams/my_teams.html",
        {
            "memberships": selectors.teams_of(user=request.user),
            "offers": selectors.open_offers_of(user=request.user),
        },
    )


@require_GET
@login_required
def home(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    return render(
        request,
        "teams/home.html",
        {
            "team": team,
            "channel": team.channel,
            "membership": membership,
            "members": selectors.roster(team=team),
            "events": selectors.recent_events(team=team, membership=membership),
            "onboarding": selectors.onboarding_of(membership=membership),
            "pending_offers": selectors.pending_offers(team=team) if membership.leads else [],
            "trials_ending": selectors.trials_ending(team=team) if membership.leads else [],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    if membership.level == Level.OWNER:
        messages.error(request, "The channel's owner stays on its team.")
        return redirect(team)
    if request.method == "POST":
        services.membership_remove(membership=membership, actor=request.user)
        messages.success(request, f"You left the mod team of {team.channel.name}.")
        return redirect("teams:mine")
    return render(request, "teams/leave.html", {"team": team, "channel": team.channel})


@require_http_methods(["GET", "POST"])
@login_required
def remove(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    require_lead(membership, "remove members")
    member = (
        Membership.objects.current()
        .select_related("user__profile")
        .filter(team=team, pk=member_id)
        .exclude(level=Level.OWNER)
        .first()
    )
    if member is None or member.pk == membership.pk:
        raise Http404("No such member.")
    if request.method == "POST":
        services.membership_remove(membership=member, actor=request.user)
        messages.success(
            request, f"{member.user.display_name} is off the team; their access ended now."
        )
        return redirect(team)
    return render(
        request, "teams/remove.html", {"team": team, "channel": team.channel, "member": member}
    )
