"""Profile pages: the public page and the owner's edit form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from portal.accounts.forms import ProfileForm
from portal.accounts.selectors import profile_for_viewer
from portal.accounts.services import profile_update
from portal.core.schedule import windows_in_timezone


def profile_detail(request: HttpRequest, username: str) -> HttpResponse:
    profile = profile_for_viewer(username=username, viewer=request.user)
    reader_tz = request.user.profile.timezone if request.user.is_authenticated else profile.timezone
    return render(
        request,
        "accounts/profile_detail.html",
        {
            "profile": profile,
            "person": profile.user,
            "is_owner": request.user.is_authenticated and request.user.pk == profile.user_id,
            "windows": windows_in_timezone(profile.windows, profile.timezone, reader_tz),
            "reader_tz": reader_tz,
        },
    )


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = request.user.profile
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            profile_update(
                profile=profile,
                display_name=data["display_name"],
                bio=data["bio"],
                twitch_login=data["twitch_login"],
                roles=data["roles"],
                languages=data["languages"],
                timezone=data["timezone"],
                hours_per_week=data["hours_per_week"],
                windows=data["availability"],
                channels_moderated=data["channels_moderated"],
                moderating_since=data["moderating_since"],
                open_to_moderating=data["open_to_moderating"],
                is_public=data["is_public"],
                under_18=data["under_18"],
            )
            messages.success(request, "Your profile is saved.")
            return redirect(profile)
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(profile))
    return render(request, "accounts/profile_edit.html", {"form": form, "profile": profile})
