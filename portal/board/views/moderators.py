"""Find moderators: the directory of people open to moderating, and inviting one of them
to apply to one's opening."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from portal.accounts.models import Profile, User
from portal.board import selectors, services
from portal.board.filter_forms import DirectoryFilterForm
from portal.board.forms import InviteForm
from portal.board.reference import reference
from portal.board.views.common import page_of, tz_of_reader
from portal.core.forms import add_refusal, refusal_response
from portal.core.weeks import week_of, windows_for_reader


def moderators(request: HttpRequest) -> HttpResponse:
    openings = selectors.invitable_openings(owner=request.user)
    ref = reference()
    form = DirectoryFilterForm(
        request.GET,
        roles=ref.roles,
        languages=ref.languages,
        tracks=selectors.badge_tracks(),
        openings=openings,
        signed_in=request.user.is_authenticated,
    )
    profiles = selectors.moderator_directory(
        filters=form.filters(), reader=request.user, reader_openings=openings
    )
    page = page_of(request, profiles)
    badges = selectors.guide_badges_for([p.user_id for p in page])
    reader_tz = tz_of_reader(request, "UTC")
    cards = [
        {
            "profile": profile,
            "badges": badges.get(profile.user_id, []),
            "windows": windows_for_reader(profile.windows, profile.timezone, reader_tz, week_of()),
        }
        for profile in page
    ]
    return render(
        request,
        "board/moderators.html",
        {
            "form": form,
            "page": page,
            "cards": cards,
            "can_invite": bool(openings),
            "reader_tz": reader_tz,
        },
    )


@login_required
def invite(request: HttpRequest, username: str) -> HttpResponse:
    profile = get_object_or_404(
        Profile.objects.open_to_moderating().select_related("user"), user__username=username
    )
    invitee: User = profile.user
    openings = selectors.invitable_openings(owner=request.user)
    if not openings:
        raise PermissionDenied("Post an opening first: invitations are to apply to one.")
    form = InviteForm(request.POST or None, openings=openings)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.invitation_send(
                    opening=form.cleaned_data["opening"],
                    invitee=invitee,
                    invited_by=request.user,
                    message=form.cleaned_data["message"],
                )
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, f"We emailed {invitee.display_name} your invitation.")
                return redirect("board:moderators")
    page = render(
        request,
        "board/invite.html",
        {"invitee": invitee, "profile": profile, "form": form},
        status=status,
    )
    return refusal_response(page, form)
