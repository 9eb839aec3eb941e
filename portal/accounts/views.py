"""Profile pages (the public page and the owner's edit form), the colours page and the sessions
page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_POST

from portal.accounts.avatars import profile_avatar_remove, profile_avatar_set
from portal.accounts.forms import AvatarForm, ProfileForm, ThemeForm
from portal.accounts.models import User
from portal.accounts.selectors import blocked_ids, blocks_of, profile_for_viewer, signed_in_sessions
from portal.accounts.services import (
    block_create,
    block_delete,
    profile_theme_set,
    profile_update,
    session_end,
    session_end_others,
)
from portal.accounts.theme import reader_timezone_remember, theme_remember
from portal.core.weeks import week_of, windows_for_reader


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
            # Whether the reader blocks this person (their "Block" or "Unblock" button).
            "blocks_them": request.user.is_authenticated
            and request.user.pk != profile.user_id
            and profile.user_id in blocked_ids(user=request.user),
            "windows": windows_for_reader(profile.windows, profile.timezone, reader_tz, week_of()),
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
                age_group=data["age_group"],
            )
            reader_timezone_remember(request, data["timezone"])  # the forum's times follow
            messages.success(request, "Your profile is saved.")
            return redirect(profile)
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(profile))
    return render(request, "accounts/profile_edit.html", {"form": form, "profile": profile})


@login_required
def avatar(request: HttpRequest) -> HttpResponse:
    """The person's own picture: upload one (checked and cleaned by AvatarForm) or go back
    to their initials."""
    profile = request.user.profile
    form = AvatarForm()
    if request.method == "POST":
        if "remove" in request.POST:
            profile_avatar_remove(profile=profile)
            messages.success(request, "Your picture is removed: your initials show instead.")
            return redirect("accounts:avatar")
        form = AvatarForm(request.POST, request.FILES)
        if form.is_valid():
            profile_avatar_set(profile=profile, picture=form.cleaned_data["picture"])
            messages.success(request, "Your picture is saved.")
            return redirect("accounts:avatar")
    return render(request, "accounts/avatar.html", {"form": form, "profile": profile})


@login_required
def appearance(request: HttpRequest) -> HttpResponse:
    """Light, dark, or as the device says: kept on the profile, and in the session so every
    page can follow it (portal/accounts/theme.py)."""
    profile = request.user.profile
    if request.method == "POST":
        form = ThemeForm(request.POST)
        if form.is_valid():
            profile_theme_set(profile=profile, theme=form.cleaned_data["theme"])
            theme_remember(request, profile.theme)
            messages.success(request, "Your theme is saved.")
            return redirect("accounts:appearance")
    else:
        form = ThemeForm(initial={"theme": profile.theme})
    return render(request, "accounts/appearance.html", {"form": form})


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    """Where the person is signed in (allauth's user sessions), with "sign out" for each
    other one and for all of them at once."""
    current_key = request.session.session_key
    if request.method == "POST":
        ended = session_end_others(user=request.user, current_key=current_key)
        messages.success(
            request,
            f"Signed out of {ended} other session{pluralize(ended)}."
            if ended
            else "You were signed in nowhere else.",
        )
        return redirect("usersessions_list")
    return render(
        request,
        "usersessions/usersession_list.html",
        {"sessions": signed_in_sessions(user=request.user, current_key=current_key)},
    )


@login_required
@require_POST
def session_sign_out(request: HttpRequest, pk: int) -> HttpResponse:
    if not session_end(user=request.user, session_id=pk, current_key=request.session.session_key):
        raise Http404("No such session.")
    messages.success(request, "That session is signed out.")
    return redirect("usersessions_list")


# --- Blocking ----------------------------------------------------------------------------------


@login_required
def blocks(request: HttpRequest) -> HttpResponse:
    """The people the member blocks, each with "Unblock"."""
    return render(request, "accounts/blocks.html", {"blocks": blocks_of(user=request.user)})


@login_required
@require_POST
def block(request: HttpRequest, username: str) -> HttpResponse:
    """Block a member (the profile page's "Block"). They are not told."""
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise Http404("No such member.")
    if person.pk == request.user.pk:
        messages.error(request, "You can't block yourself.")
        return redirect("accounts:profile", username=username)
    block_create(blocker=request.user, blocked=person)
    messages.success(
        request,
        f"You blocked {person.username}. They can't start a conversation with you, mention "
        "you, invite you or apply to your openings, and their forum posts are folded away for "
        "you. They are not told.",
    )
    return redirect("accounts:blocks")


@login_required
@require_POST
def unblock(request: HttpRequest, username: str) -> HttpResponse:
    person = User.objects.filter(username=username).first()
    if person is not None and block_delete(blocker=request.user, blocked_id=person.pk):
        messages.success(request, f"You unblocked {person.username}.")
    return redirect("accounts:blocks")
