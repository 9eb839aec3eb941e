"""The debriefs' pages: the team's list, writing one (anyone on the team), reading one with
its follow-ups and notes, and adding a note. Private to the team like every team page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.core.forms import add_refusal
from portal.teams import debrief_selectors as selectors
from portal.teams.debrief_forms import DebriefForm, NoteForm
from portal.teams.models.debrief import QUOTING_GUIDANCE
from portal.teams.permissions import team_for_member
from portal.teams.services import debrief_note_add, debrief_write


@require_GET
@login_required
def debriefs(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    return render(
        request,
        "teams/debriefs/list.html",
        {
            "team": team,
            "channel": team.channel,
            "membership": membership,
            "debriefs": selectors.debrief_list(team=team),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def write(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    form = DebriefForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                debrief = debrief_write(
                    team=team,
                    author=request.user,
                    title=data["title"],
                    happened_on=data["happened_on"],
                    what_happened=data["what_happened"],
                    what_we_did=data["what_we_did"],
                    what_worked=data["what_worked"],
                    what_we_would_change=data["what_we_would_change"],
                    follow_ups=data["follow_ups"],
                    rulebook_change=data["rulebook_change"],
                )
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, "Your debrief is written; the team is told.")
                return redirect(debrief)
        status = 400
    return render(
        request,
        "teams/debriefs/write.html",
        {
            "team": team,
            "channel": team.channel,
            "membership": membership,
            "form": form,
            "guidance": QUOTING_GUIDANCE,
        },
        status=status,
    )


def _page(request, team, membership, debrief, note_form, status=200) -> HttpResponse:
    return render(
        request,
        "teams/debriefs/debrief.html",
        {
            "team": team,
            "channel": team.channel,
            "membership": membership,
            "debrief": debrief,
            "note_form": note_form,
            "guidance": QUOTING_GUIDANCE,
        },
        status=status,
    )


@require_GET
@login_required
def debrief(request: HttpRequest, slug: str, debrief_id: int) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    found = selectors.debrief_page(team=team, debrief_id=debrief_id)
    return _page(request, team, membership, found, NoteForm(prefix="note"))


@require_POST
@login_required
def note(request: HttpRequest, slug: str, debrief_id: int) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    found = selectors.debrief_page(team=team, debrief_id=debrief_id)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            debrief_note_add(debrief=found, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_refusal(form, exc, "body")
        else:
            messages.success(request, "Your note is added.")
            return redirect(found)
    return _page(request, team, membership, found, form, status=400)
