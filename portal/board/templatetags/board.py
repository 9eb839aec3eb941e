"""Board snippets other apps' pages show, without their views knowing about the board."""

from __future__ import annotations

from django import template

from portal.accounts.models import User
from portal.board.selectors import open_openings_of

register = template.Library()


@register.inclusion_tag("board/includes/profile_openings.html")
def open_openings_for(person: User) -> dict:
    """The open openings of a person's channels, for their profile page (one query)."""
    return {"openings": open_openings_of(person=person), "person": person}
