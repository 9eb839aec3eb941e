"""The home page (see this app's docstring for why it is not in ``core``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.accounts.models import Profile


def home(request: HttpRequest) -> HttpResponse:
    context = {}
    user = request.user
    if user.is_authenticated:
        # The greeting and whether to ask for roles in one query: the profile joined to its
        # roles, first row (a role's id, or None when it has none). It stands for
        # ``user.display_name`` and ``user.profile.roles.exists``, which take two.
        rows = Profile.objects.filter(user=user).values_list("display_name", "roles")[:1]
        display_name, a_role = next(iter(rows), ("", None))
        context = {"display_name": display_name or user.username, "has_roles": a_role is not None}
    return render(request, "home/home.html", context)
