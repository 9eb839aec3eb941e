"""A moderation decision's email names what it is about as its author knows it: a forum post,
a private message, a post in their mod team's discussion. A private message is no forum
post, and a team's post approved is seen by the team, not by everyone."""

from __future__ import annotations

import pytest
from django.core import mail

from portal.forums import services
from portal.teams.services import discussion_for
from tests.forums.conversation_helpers import adult, committed, conversation, say
from tests.forums.factories import FilterTermFactory, TopicFactory
from tests.teams.factories import add_member, make_team

pytestmark = pytest.mark.django_db


def emailed_to(person) -> mail.EmailMessage:
    (message,) = [m for m in mail.outbox if m.to == [person.email]]
    return message


def html_of(message) -> str:
    return next(body for body, kind in message.alternatives if kind == "text/html")


def test_a_hidden_forum_post_is_called_a_forum_post(member, moderator):
    post = services.post_create(author=member, topic=TopicFactory(), body="Buy followers here")
    mail.outbox.clear()
    with committed():
        services.post_hide(post=post, moderator=moderator, reason="Spam.")
    message = emailed_to(member)
    assert message.subject == "[Modhall] About your forum post"
    assert "A forum moderator hid your post. Reason: Spam." in message.body
    assert f'The topic: "{post.topic.title}"' in message.body


def test_a_hidden_private_message_is_called_a_private_message_in_its_conversation(moderator):
    ana, ben = adult(username="ana"), adult(username="ben")
    topic = conversation(ana, ben, title="About Saturday's stream")
    message = say(topic, ben, "Send me your stream key and I'll fix your overlay.")
    mail.outbox.clear()
    with committed():
        services.post_hide(post=message, moderator=moderator, reason="Asks for a key.")
    sent = emailed_to(ben)
    assert sent.subject == "[Modhall] About your private message"
    assert "A forum moderator hid your private message. Reason: Asks for a key." in sent.body
    assert 'The conversation: "About Saturday\'s stream"' in sent.body
    assert "The conversation: <a href=" in html_of(sent)
    for text in (sent.subject, sent.body, html_of(sent)):
        assert "forum post" not in text and "The topic" not in text


def test_a_held_team_post_approved_is_seen_by_the_team_not_everyone(moderator):
    team = make_team()
    writer = add_member(team).user
    FilterTermFactory(text="zorblax")
    topic = services.topic_create(
        author=team.channel.owner,
        category=discussion_for(team=team),
        title="Friday's stream",
        body="Who takes the queue?",
    )
    held = services.post_create(author=writer, topic=topic, body="zorblax, I will.")
    assert held.status == "held"
    mail.outbox.clear()
    with committed():
        services.post_approve(post=held, moderator=moderator)
    sent = emailed_to(writer)
    assert sent.subject == "[Modhall] About your post in your mod team's discussion"
    assert (
        "A forum moderator approved your post in your mod team's discussion: "
        "your team can see it now." in sent.body
    )
    assert "everyone" not in sent.body.split("Forum moderators keep")[0]
    assert 'The topic: "Friday\'s stream"' in sent.body
