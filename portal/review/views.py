"""The Review page: each tool the person may use, with what waits in it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.review.selectors import review_desk_for


@require_GET
@login_required
def tools(request: HttpRequest) -> HttpResponse:
    desk = review_desk_for(request)
    if desk is None:
        # As the tools' own pages answer a member: they exist, and are not theirs.
        raise PermissionDenied("Review tools are for site staff and forum moderators.")
    return render(request, "review/tools.html", {"desk": desk})
