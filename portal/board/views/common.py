"""What every board page shares: the page size of its lists, the reader's timezone and the
staff-only guard. (A service's refusal goes on its form with core/forms.py's helpers.)"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest

from portal.board import selectors

PAGE_SIZE = selectors.PAGE_SIZE  # every list of the board pages as the board itself


def page_of(request: HttpRequest, items, size: int = PAGE_SIZE):
    """The page of ``items`` the address asks for (``?page=``, junk read as page 1)."""
    return Paginator(items, size).get_page(request.GET.get("page"))


def tz_of_reader(request: HttpRequest, fallback: str) -> str:
    return request.user.profile.timezone if request.user.is_authenticated else fallback


def staff_required(view):
    """Staff only: anonymous visitors go to the login page, other people get a 403."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("Only Modhall staff can do that.")
        return view(request, *args, **kwargs)

    return wrapper
