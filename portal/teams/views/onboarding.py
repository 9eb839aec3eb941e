"""Onboarding pages: a member's own onboarding list (assigned guide tracks, the channel's
checklist to tick), the leads' view of members' progress on assigned tracks only with the
checklist to keep, and a lead assigning tracks to a member."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.forms import add_refusal, refusal_response
from portal.teams import selectors, services
from portal.teams.models import ChecklistItem, Level, Membership
from portal.teams.onboarding_forms import AssignForm, ChecklistItemForm, TickForm
from portal.teams.permissions import require_lead, team_for_member


def _page(request, team, membership, form=None, status=200) -> HttpResponse:
    context = {
        "team": team,
        "channel": team.channel,
        "membership": membership,
        "mine": selectors.onboarding_of(membership=membership),
        "form": form,
    }
    if membership.leads:
        context["board"], context["items"] = selectors.onboarding_board(team=team)
        context["form"] = form or ChecklistItemForm()
    page = render(request, "teams/onboarding.html", context, status=status)
    return refusal_response(page, context["form"]) if form is not None else page


@require_http_methods(["GET"])
@login_required
def onboarding(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    return _page(request, team, membership)


@require_POST
@login_required
def tick(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    form = TickForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Tick a step of the checklist.")
    item = ChecklistItem.objects.filter(team=team, pk=form.cleaned_data["item"]).first()
    if item is None:
        raise Http404("No such step.")
    services.checklist_tick(membership=membership, item=item, done=form.cleaned_data["done"])
    return redirect(reverse("teams:onboarding", kwargs={"slug": team.slug}) + "#checklist")


@require_POST
@login_required
def checklist_add(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    require_lead(membership, "change the onboarding checklist")
    form = ChecklistItemForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_item_add(
                team=team, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_refusal(form, exc, "text")
        else:
            messages.success(request, "The step is on the checklist.")
            return redirect(reverse("teams:onboarding", kwargs={"slug": team.slug}))
    return _page(request, team, membership, form=form, status=400)


@require_POST
@login_required
def checklist_remove(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    require_lead(membership, "change the onboarding checklist")
    item = ChecklistItem.objects.filter(team=team, pk=item_id).first()
    if item is None:
        raise Http404("No such step.")
    item.team = team
    services.checklist_item_remove(item=item, actor=request.user)
    messages.success(request, "The step is off the checklist.")
    return redirect(reverse("teams:onboarding", kwargs={"slug": team.slug}))


@require_http_methods(["GET", "POST"])
@login_required
def assign(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    """A lead chooses the guide tracks a member works through."""
    team, membership = team_for_member(request.user, slug)
    require_lead(membership, "assign guide tracks")
    member = (
        Membership.objects.current()
        .select_related("user__profile")
        .filter(team=team, pk=member_id)
        .exclude(level=Level.OWNER)
        .first()
    )
    if member is None:
        raise Http404("No such member.")
    member.team = team
    initial = {"tracks": list(member.track_assignments.values_list("track_id", flat=True))}
    # Bound on any POST: unticking every track sends no field at all.
    form = AssignForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.tracks_assign(
                    membership=member, tracks=form.cleaned_data["tracks"], actor=request.user
                )
            except ValidationError as exc:
                add_refusal(form, exc, "tracks")
            else:
                messages.success(request, f"{member.user.display_name}'s guide tracks are saved.")
                return redirect(reverse("teams:onboarding", kwargs={"slug": team.slug}))
    page = render(
        request,
        "teams/assign.html",
        {"team": team, "channel": team.channel, "member": member, "form": form},
        status=status,
    )
    return refusal_response(page, form)
