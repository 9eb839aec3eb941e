"""The rulebook's pages: the version in force (with "I've read it", and for leads who has
not), its history, any past version, what changed in a version, and publishing a new one
(owner and lead moderators only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.core.forms import add_refusal
from portal.teams import rulebook_selectors as selectors
from portal.teams.permissions import require_lead, team_for_member
from portal.teams.rulebook_diff import versions_diff
from portal.teams.rulebook_forms import AcknowledgeForm, PublishForm, ladder_formset
from portal.teams.services import rulebook_acknowledge, rulebook_publish


@require_GET
@login_required
def rulebook(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    version = selectors.latest_version(team=team)
    context = {"team": team, "channel": team.channel, "membership": membership, "version": version}
    if version is not None:
        context["has_read"] = selectors.has_read(version=version, user=request.user)
        if membership.leads:
            context["readers"] = selectors.readers_of(version=version, team=team)
    return render(request, "teams/rulebook/rulebook.html", context)


@require_GET
@login_required
def history(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    return render(
        request,
        "teams/rulebook/history.html",
        {
            "team": team,
            "channel": team.channel,
            "membership": membership,
            "versions": selectors.version_history(team=team),
        },
    )


@require_GET
@login_required
def version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    shown = selectors.version_numbered(team=team, number=number)
    latest = selectors.latest_version(team=team)
    return render(
        request,
        "teams/rulebook/version.html",
        {
            "team": team,
            "channel": team.channel,
            "membership": membership,
            "version": shown,
            "latest": latest,
        },
    )


@require_GET
@login_required
def changes(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    shown = selectors.version_numbered(team=team, number=number)
    earlier = selectors.version_before(version=shown)
    return render(
        request,
        "teams/rulebook/changes.html",
        {
            "team": team,
            "channel": team.channel,
            "membership": membership,
            "version": shown,
            "earlier": earlier,
            "sections": versions_diff(earlier, shown),
            "has_read": selectors.has_read(version=shown, user=request.user),
            "is_latest": selectors.latest_version(team=team).number == shown.number,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    require_lead(membership, "publish the rulebook")
    latest = selectors.latest_version(team=team)
    follow_ups = selectors.open_rulebook_follow_ups(team=team)
    if request.method == "POST":
        form = PublishForm(request.POST, follow_ups=follow_ups)
        ladder = ladder_formset(data=request.POST)
        if form.is_valid() and ladder.is_valid():
            data = form.cleaned_data
            try:
                published = rulebook_publish(
                    team=team,
                    author=request.user,
                    public_rules=data["public_rules"],
                    team_rules=data["team_rules"],
                    ladder=[spec for f in ladder.forms if (spec := f.spec()) is not None],
                    ladder_is_public=data["ladder_is_public"],
                    change_note=data["change_note"],
                    answers=data.get("answers") or [],
                )
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(
                    request, f"Version {published.number} is published; the team is told."
                )
                return redirect("teams:rulebook", slug=team.slug)
        status = 400
    else:
        initial = {}
        if latest is not None:
            initial = {
                "public_rules": latest.public_rules,
                "team_rules": latest.team_rules,
                "ladder_is_public": latest.ladder_is_public,
            }
        form = PublishForm(initial=initial, follow_ups=follow_ups)
        ladder = ladder_formset(steps=list(latest.steps.all()) if latest else None)
        status = 200
    return render(
        request,
        "teams/rulebook/publish.html",
        {
            "team": team,
            "channel": team.channel,
            "membership": membership,
            "form": form,
            "ladder": ladder,
            "latest": latest,
        },
        status=status,
    )


@require_POST
@login_required
def acknowledge(request: HttpRequest, slug: str) -> HttpResponse:
    team, _ = team_for_member(request.user, slug)
    form = AcknowledgeForm(request.POST)
    latest = selectors.latest_version(team=team)
    if latest is None or not form.is_valid():
        messages.error(request, "That was not a version of this rulebook.")
        return redirect("teams:rulebook", slug=team.slug)
    if form.cleaned_data["number"] != latest.number:
        messages.warning(
            request,
            f"Version {latest.number} was published since you opened the page: read it, "
            "then say so.",
        )
        return redirect("teams:rulebook", slug=team.slug)
    if rulebook_acknowledge(version=latest, user=request.user):
        messages.success(request, f"Noted: you've read version {latest.number}.")
    else:
        messages.info(request, f"You had already said you've read version {latest.number}.")
    return redirect("teams:rulebook", slug=team.slug)
