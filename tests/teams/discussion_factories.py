"""The team's discussion for tests: a topic with a reply, written through the forums'
posting service by a member who is then removed (so everyone on the team may report it,
and nobody's own rate limit is spent)."""

from __future__ import annotations

from portal.forums.models import Post, Topic
from portal.forums.services import post_create, topic_create
from portal.teams.models import Team
from portal.teams.services import discussion_for, membership_remove
from tests.teams.factories import add_member


def discussion_topic(
    team: Team, *, title: str = "Raid on Friday", remove_writer: bool = True
) -> tuple[Topic, Post]:
    category = discussion_for(team=team)
    writer = add_member(team)
    topic = topic_create(
        author=writer.user, category=category, title=title, body="Who covers the queue?"
    )
    reply = post_create(author=writer.user, topic=topic, body="I can, from nine.")
    if remove_writer:
        membership_remove(membership=writer, actor=team.channel.owner)
    return topic, reply
