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


@register.inclusion_tag("teams/includes/topic_section.html", takes_context=True)
def team_topic_section(context, topic) -> dict:
    """The team's section above the forums' own pages about a topic of its discussion or one
    of its posts (reply, edit, delete, history, report: where those actions lead without
    JavaScript): the team's navigation and the way back to its discussion and the topic, as
    the topic page has them (teams/discussion/topic.html). A tag, so the forums (a floor
    below) need not import the teams. Two queries: the team, and the reader's place on it;
    nothing for a topic of no team's."""
    from portal.teams.models import Team
    from portal.teams.permissions import membership_of

    team = (
        Team.objects.select_related("channel")
        .filter(discussion_id=topic.category_id, channel__left_at__isnull=True)
        .first()
    )
    return {
        "topic": topic,
        "channel": team.channel if team else None,
        "membership": membership_of(context["user"], team) if team else None,
        "request": context.get("request"),
    }
