"""The channel's public rules for the board's pages: the channel page shows them, and every
opening links to them. Tags, so the board (a floor below) never imports the teams app."""

from __future__ import annotations

from django import template

from portal.teams.rulebook_selectors import has_public_rules, public_rules_of

register = template.Library()


@register.inclusion_tag("teams/rulebook/includes/public_rules.html")
def channel_rules(channel) -> dict:
    """The channel's rules, as chat reads them (nothing when the team wrote none)."""
    return {"channel": channel, "version": public_rules_of(channel=channel)}


@register.inclusion_tag("teams/rulebook/includes/rules_link.html")
def channel_rules_link(channel) -> dict:
    """A link to the channel's rules, where it has some. The opening page calls it inside its
    cached fragment, keyed on the channel's version, which publishing a rulebook moves."""
    return {"channel": channel, "has_rules": has_public_rules(channel=channel)}
