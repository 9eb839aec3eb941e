"""Joining and shaping a team: the offered person's page (accept or decline), a lead's
direct offer from the directory, changing a member's place, a trial's outcome and
withdrawing an offer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.forms import add_refusal, refusal_response
from portal.teams import selectors, services
from portal.teams.hiring_forms import MemberForm, OfferAnswerForm, OfferForm, TrialOutcomeForm
from portal.teams.models import OFFER_DAYS, Level, Membership, Offer
from portal.teams.permissions import require_lead, team_for_member


@require_http_methods(["GET", "POST"])
@login_required
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    """The offer of a place, for the person offered only (404 to anyone else)."""
    found = selectors.offer_for(user=request.user, pk=pk)
    if found is None:
        raise Http404("No such offer.")
    if request.method == "POST":
        form = OfferAnswerForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest("Answer with Accept or Decline.")
        try:
            if form.cleaned_data["answer"] == "accept":
                membership = services.offer_accept(offer=found, user=request.user)
            else:
                services.offer_decline(offer=found, user=request.user)
                membership = None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            if getattr(exc, "code", None) == "expired":
                return redirect(found)  # its page says so, with nothing left to answer
            return redirect("teams:mine")
        if membership is not None:
            messages.success(request, f"Welcome to the mod team of {found.team.channel.name}.")
            return redirect(found.team)
        messages.success(request, "You declined the offer; the team's leads are told.")
        return redirect("teams:mine")
    return render(
        request,
        "teams/offer.html",
        {"offer": found, "channel": found.team.channel, "offer_days": OFFER_DAYS},
    )


def _member(team, member_id: int) -> Membership:
    member = (
        Membership.objects.current()
        .select_related("user__profile")
        .prefetch_related("roles")
        .filter(team=team, pk=member_id)
        .exclude(level=Level.OWNER)
        .first()
    )
    if member is None:
        raise Http404("No such member.")
    member.team = team
    return member


@require_http_methods(["GET", "POST"])
@login_required
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    """A lead offers someone a place directly (from the moderator directory)."""
    team, membership = team_for_member(request.user, slug)
    require_lead(membership, "offer places on the team")
    initial = {"username": request.GET.get("username", "")[:150]}
    form = OfferForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = services.offer_make(
                    team=team,
                    user=data["username"],
                    actor=request.user,
                    level=Level(data["level"]),
                    roles=data["roles"],
                    trial_ends_on=data["trial_ends_on"],
                )
            except ValidationError as exc:
                add_refusal(form, exc, "username")
            else:
                messages.success(
                    request, f"We told {made.user.display_name} of your offer; they decide."
                )
                return redirect(team)
    page = render(
        request,
        "teams/invite.html",
        {"team": team, "channel": team.channel, "form": form},
        status=status,
    )
    return refusal_response(page, form)


@require_POST
@login_required
def offer_withdraw(request: HttpRequest, slug: str, offer_id: int) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    require_lead(membership, "withdraw offers")
    found = Offer.objects.waiting().filter(team=team, pk=offer_id).select_related("user").first()
    if found is None:
        raise Http404("No such open offer.")
    found.team = team
    try:
        services.offer_withdraw(offer=found, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"You withdrew the offer to {found.user.display_name}.")
    return redirect(team)


@require_http_methods(["GET", "POST"])
@login_required
def member_edit(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    """A lead changes a member's level, roles and trial end date."""
    team, membership = team_for_member(request.user, slug)
    require_lead(membership, "change a member's place")
    member = _member(team, member_id)
    initial = {
        "level": member.level,
        "roles": list(member.roles.all()),
        "trial_ends_on": member.trial_ends_on,
    }
    form = MemberForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.membership_change(
                    membership=member,
                    actor=request.user,
                    level=Level(data["level"]),
                    roles=data["roles"],
                    trial_ends_on=data["trial_ends_on"],
                )
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, f"{member.user.display_name}'s place is saved.")
                return redirect(team)
    page = render(
        request,
        "teams/member_edit.html",
        {"team": team, "channel": team.channel, "member": member, "form": form},
        status=status,
    )
    return refusal_response(page, form)


@require_http_methods(["GET", "POST"])
@login_required
def trial(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    """A lead records how a trial went: keep the member, or end it."""
    team, membership = team_for_member(request.user, slug)
    require_lead(membership, "record a trial's outcome")
    member = _member(team, member_id)
    if member.level != Level.TRIAL:
        raise Http404("This member is not on trial.")
    form = TrialOutcomeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.trial_outcome_record(
                    membership=member, actor=request.user, outcome=form.cleaned_data["outcome"]
                )
            except ValidationError as exc:
                add_refusal(form, exc, "outcome")
            else:
                messages.success(request, f"{member.user.display_name}'s trial is recorded.")
                return redirect(team)
    page = render(
        request,
        "teams/trial.html",
        {"team": team, "channel": team.channel, "member": member, "form": form},
        status=status,
    )
    return refusal_response(page, form)
