"""What every board page shares: the page size of its lists, putting a service's refusal
beside the form, the HTTP status a refusal earns, and the staff-only guard."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest

from portal.board import selectors

PAGE_SIZE = selectors.PAGE_SIZE  # every list of the board pages as the board itself


def page_of(request: HttpRequest, items, size: int = PAGE_SIZE):
    """The page of ``items`` the address asks for (``?page=``, junk read as page 1)."""
    return Paginator(items, size).get_page(request.GET.get("page"))


def show_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError beside the matching fields (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def status_for(exc: ValidationError) -> int:
    codes = {e.code for e in exc.error_list} if not hasattr(exc, "error_dict") else set()
    return 429 if "rate_limited" in codes else 400


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
