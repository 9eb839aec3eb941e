"""The header's Review entry (templates/includes/review_link.html)."""

from __future__ import annotations

from django.http import HttpRequest

from portal.review.selectors import review_desk_for


def review(request: HttpRequest) -> dict:
    if getattr(request, "user", None) is None:
        return {"review_desk": None}
    # Lazy: worked out only if the page shows the header (and at no query for a member who
    # holds no tool).
    return {"review_desk": lambda: review_desk_for(request)}
