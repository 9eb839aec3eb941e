"""The channel page's "Who moderates here": a tag, so the board's page can show the team
without the board (a floor below) importing teams."""

from __future__ import annotations

from django import template

from portal.teams.selectors import public_roster

register = template.Library()


@register.inclusion_tag("teams/includes/public_roster.html", takes_context=True)
def public_team(context, channel) -> dict:
    return {"channel": channel, "members": public_roster(channel=channel), "user": context["user"]}
