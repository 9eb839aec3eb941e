"""Showing a verified moderation history where people are shown: on a profile (with the
channels the person chose to show), and as one line in lists (the directory, applications),
where the history comes with the person's row (select_related) so a list pays no query."""

from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist

from portal.twitch.selectors import history_for_reader

register = template.Library()


def _history(user):
    try:
        return user.moderation_history
    except (ObjectDoesNotExist, AttributeError):
        return None


@register.filter
def verified_history(user):
    """The person's history when it is verified, else None (for a list's own markup)."""
    history = _history(user)
    return history if history is not None and history.is_verified else None


@register.inclusion_tag("twitch/includes/verified_line.html")
def verified_moderator(user) -> dict:
    """ "Verified moderator of N channels, checked on <date>", or nothing. Reads the history
    already loaded with ``user`` (select_related("…moderation_history")), else one query."""
    history = _history(user)
    return {"history": history if history is not None and history.is_verified else None}


@register.inclusion_tag("twitch/includes/profile_history.html", takes_context=True)
def moderation_history_for(context, person) -> dict:
    request = context.get("request")
    reader = getattr(request, "user", None)
    if reader is None:
        from django.contrib.auth.models import AnonymousUser

        reader = AnonymousUser()
    return {"view": history_for_reader(person=person, reader=reader)}
