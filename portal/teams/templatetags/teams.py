"""The channel page's "Who moderates here": a tag, so the board's page can show the team
without the board (a floor below) importing teams."""

from __future__ import annotations

from django import template

from portal.teams.selectors import public_roster

register = template.Library()


@register.inclusion_tag("teams/includes/public_roster.html", takes_context=True)
def public_team(context, channel) -> dict:
    return {"channel": channel, "members": public_roster(channel=channel), "user": context["user"]}


@register.simple_tag
def teams_led_by(user) -> list:
    """The teams the person runs (owner or lead), for the directory's "Offer a place"
    links: one query for a signed-in reader, none for a visitor."""
    from portal.teams.selectors import teams_led_by as led

    if not user.is_authenticated:
        return []
    return led(user=user)
