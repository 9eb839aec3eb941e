"""Reads about people that pages share, each at a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from portal.accounts.models import Profile, User


def profile_for_viewer(*, username: str, viewer: User) -> Profile:
    """The profile page's profile, or 404 when the viewer may not see it.

    A private profile is visible to its owner and to staff only; to everyone else it does not
    exist (404, not 403, so a private profile's username is not confirmed).
    """
    profile = (
        Profile.objects.select_related("user")
        .prefetch_related("roles", Prefetch("languages"))
        .filter(user__username=username, user__is_active=True)
        .first()
    )
    if profile is None:
        raise Http404("No such person.")
    is_owner = viewer.is_authenticated and viewer.pk == profile.user_id
    if not profile.is_public and not is_owner and not viewer.is_staff:
        raise Http404("No such person.")
    return profile
