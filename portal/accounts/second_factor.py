"""Site staff and forum moderators must sign in with a second factor to use their tools.

Their accounts act on other people's communities (removing openings, reading applications
through a report, hiding posts, suspending members), so a phished or reused password alone
must not be enough to do that. The rule lives here, applied in one place: the pages named in
``settings.SECOND_FACTOR_TOOLS`` (a URL name, or a whole namespace such as the admin) are
refused by ``SecondFactorForToolsMiddleware`` to anyone who holds such a power and has no
second factor, with a page saying why and how to set one up. A tool that shares its page with
everyone else (staff reading applications through a report, on the owner's review page)
calls ``require_second_factor`` at the point the power is used, and gets the same page.

Members who hold no power are left to the views, which refuse them as before: they are not
told to set up a second factor for a tool they could not use anyway.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import ResolverMatch


class SecondFactorRequired(PermissionDenied):
    """Raised where a power is used by someone without a second factor; answered with the
    page that explains (the middleware's ``process_exception``)."""


def holds_tools(user) -> bool:
    """Whether the person holds a power over others: staff, a superuser, or a member of one of
    ``settings.SECOND_FACTOR_GROUPS`` (the forum moderators). One query for a member who is
    neither staff nor superuser, asked only on a tool's page."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.filter(name__in=settings.SECOND_FACTOR_GROUPS).exists()


def lacks_second_factor(user) -> bool:
    return holds_tools(user) and not user.profile.has_second_factor


def require_second_factor(user) -> None:
    if lacks_second_factor(user):
        raise SecondFactorRequired("Set up two-factor login to use this.")


def is_tool(match: ResolverMatch | None) -> bool:
    if match is None:
        return False
    tools = settings.SECOND_FACTOR_TOOLS
    return match.view_name in tools or any(ns in tools for ns in match.namespaces)


def refusal(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/second_factor_required.html",
        {"next": request.get_full_path()},
        status=403,
    )
