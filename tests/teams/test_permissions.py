"""Who may open or do what in a team space, as one table: each team page or action, sent
with its method by every kind of person, answers with the status in its row.

Private pages answer 404 to anyone not on the team now (other members, removed members and
staff alike), leading actions answer 403 to members, and a visitor is sent to sign in.
A page or action added to the team space adds its row here: one line in ``ROWS``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from portal.forums.services import post_create
from portal.teams.models import Membership
from portal.teams.services import checklist_item_add, offer_make
from tests.teams.discussion_factories import discussion_topic
from tests.teams.rulebook_factories import publish, write_debrief
from tests.teams.test_debriefs import debrief_data
from tests.teams.test_rulebook import publish_data

pytestmark = pytest.mark.django_db

# The people every row is tried as, in the order of a row's statuses.
PEOPLE = ("owner", "lead", "member", "trial", "removed", "outsider", "staff", "anonymous")


@dataclass(frozen=True)
class Row:
    """A page or action: its method, URL name and parameters (names from ``things``), and
    the statuses it answers, one per person in ``PEOPLE`` order."""

    method: str
    name: str
    params: str
    statuses: str
    # What the row sends, where it differs from ``POST_DATA``'s for its name (one action
    # tried several ways), and a query string for its address.
    data: dict | None = None
    query: str = ""

    def expected(self) -> dict[str, int]:
        codes = [int(code) for code in self.statuses.split()]
        assert len(codes) == len(PEOPLE), f"{self}: one status per person"
        return dict(zip(PEOPLE, codes, strict=True))

    def __str__(self) -> str:
        tried = f" {sorted(self.data)}" if self.data else ""
        return f"{self.method} {self.name}{self.query and '?'}{tried}"


# Statuses, in order: owner, lead, member, trial, removed, outsider, staff, anonymous.
# Parameters: slug (the team's channel), member_id (a moderator's membership), trial_id (the
# trial member's), offer_id and offer (the open offer to the outsider), token (a made-up
# calendar token: the feed is reached by its token alone). A POST sent without the row it
# names (a sign-up to withdraw, a swap to take) is a 404 for members too. item_id: a step
# of the team's onboarding checklist. number: the rulebook's version 1; debrief_id: the
# team's debrief. topic_id: a topic of the team's discussion; post_id: a reply in it, by a
# member since removed (so everyone on the team may report it).
ROWS = [
    Row("GET", "teams:mine", "", "200 200 200 200 200 200 200 302"),
    Row("GET", "teams:home", "slug", "200 200 200 200 404 404 404 302"),
    Row("GET", "teams:leave", "slug", "302 200 200 200 404 404 404 302"),
    Row("POST", "teams:leave", "slug", "302 302 302 302 404 404 404 302"),
    Row("GET", "teams:remove", "slug member_id", "200 200 403 403 404 404 404 302"),
    Row("POST", "teams:remove", "slug member_id", "302 302 403 403 404 404 404 302"),
    Row("GET", "teams:invite", "slug", "200 200 403 403 404 404 404 302"),
    Row("POST", "teams:invite", "slug", "400 400 403 403 404 404 404 302"),
    Row("GET", "teams:offer", "offer", "404 404 404 404 404 200 404 302"),
    Row("POST", "teams:offer", "offer", "404 404 404 404 404 302 404 302"),
    Row("GET", "teams:offer_withdraw", "slug offer_id", "405 405 405 405 405 405 405 405"),
    Row("POST", "teams:offer_withdraw", "slug offer_id", "302 302 403 403 404 404 404 302"),
    Row("GET", "teams:member_edit", "slug member_id", "200 200 403 403 404 404 404 302"),
    Row("POST", "teams:member_edit", "slug member_id", "302 302 403 403 404 404 404 302"),
    Row("GET", "teams:trial", "slug trial_id", "200 200 403 403 404 404 404 302"),
    Row("POST", "teams:trial", "slug trial_id", "302 302 403 403 404 404 404 302"),
    Row("GET", "teams:onboarding", "slug", "200 200 200 200 404 404 404 302"),
    Row("POST", "teams:onboarding_tick", "slug", "302 302 302 302 404 404 404 302"),
    Row("POST", "teams:checklist_add", "slug", "302 302 403 403 404 404 404 302"),
    Row("POST", "teams:checklist_remove", "slug item_id", "302 302 403 403 404 404 404 302"),
    Row("GET", "teams:assign", "slug member_id", "200 200 403 403 404 404 404 302"),
    Row("POST", "teams:assign", "slug member_id", "302 302 403 403 404 404 404 302"),
    Row("GET", "teams:coverage", "slug", "200 200 200 200 404 404 404 302"),
    Row("POST", "teams:coverage_sign_up", "slug", "302 302 302 302 404 404 404 302"),
    Row("POST", "teams:coverage_withdraw", "slug", "404 404 404 404 404 404 404 302"),
    Row("POST", "teams:swap_ask", "slug", "404 404 404 404 404 404 404 302"),
    Row("POST", "teams:swap_take", "slug", "404 404 404 404 404 404 404 302"),
    Row("POST", "teams:swap_withdraw", "slug", "404 404 404 404 404 404 404 302"),
    Row("GET", "teams:coverage_schedule", "slug", "200 200 403 403 404 404 404 302"),
    Row("POST", "teams:coverage_schedule", "slug", "400 400 403 403 404 404 404 302"),
    Row("GET", "teams:calendar", "slug", "200 200 200 200 404 404 404 302"),
    Row("POST", "teams:calendar", "slug", "400 400 400 400 404 404 404 302"),
    Row("GET", "teams:calendar_feed", "slug token", "404 404 404 404 404 404 404 404"),
    Row("GET", "teams:discord", "slug", "200 200 403 403 404 404 404 302"),
    Row("POST", "teams:discord", "slug", "400 400 403 403 404 404 404 302"),
    Row("POST", "teams:discord_disconnect", "slug", "302 302 403 403 404 404 404 302"),
    # The rulebook (version 1 published) and debriefs (one written): members read, write
    # debriefs and notes and say they've read the rulebook; leads publish.
    Row("GET", "teams:rulebook", "slug", "200 200 200 200 404 404 404 302"),
    Row("GET", "teams:rulebook_history", "slug", "200 200 200 200 404 404 404 302"),
    Row("GET", "teams:rulebook_version", "slug number", "200 200 200 200 404 404 404 302"),
    Row("GET", "teams:rulebook_changes", "slug number", "200 200 200 200 404 404 404 302"),
    Row("GET", "teams:rulebook_publish", "slug", "200 200 403 403 404 404 404 302"),
    Row("POST", "teams:rulebook_publish", "slug", "302 302 403 403 404 404 404 302"),
    Row("GET", "teams:rulebook_acknowledge", "slug", "405 405 405 405 405 405 405 405"),
    Row("POST", "teams:rulebook_acknowledge", "slug", "302 302 302 302 404 404 404 302"),
    Row("GET", "teams:debriefs", "slug", "200 200 200 200 404 404 404 302"),
    Row("GET", "teams:debrief_write", "slug", "200 200 200 200 404 404 404 302"),
    Row("POST", "teams:debrief_write", "slug", "302 302 302 302 404 404 404 302"),
    Row("GET", "teams:debrief", "slug debrief_id", "200 200 200 200 404 404 404 302"),
    Row("GET", "teams:debrief_note", "slug debrief_id", "405 405 405 405 405 405 405 405"),
    Row("POST", "teams:debrief_note", "slug debrief_id", "302 302 302 302 404 404 404 302"),
    # The team's discussion (a private forum category; one topic with a reply by a member
    # since removed): every member reads, starts topics, replies, reports and sets their
    # notifications; staff read it only through a report (tests/teams/test_discussion.py).
    Row("GET", "teams:discussion", "slug", "200 200 200 200 404 404 404 302"),
    Row("GET", "teams:discussion_start", "slug", "200 200 200 200 404 404 404 302"),
    Row("POST", "teams:discussion_start", "slug", "302 302 302 302 404 404 404 302"),
    Row("GET", "teams:discussion_topic", "slug topic_id", "200 200 200 200 404 404 404 302"),
    Row(
        "GET",
        "teams:discussion_topic",
        "slug topic_id",
        "302 302 302 302 404 404 404 302",
        query="post=1",
    ),
    Row(
        "GET",
        "teams:discussion_topic",
        "slug topic_id",
        "302 302 302 302 404 404 404 302",
        query="unread=1",
    ),
    # The team's topic page's old addresses for replying and reporting: on to the forums'.
    Row("GET", "teams:discussion_reply", "slug topic_id", "405 405 405 405 405 405 405 405"),
    Row("POST", "teams:discussion_reply", "slug topic_id", "307 307 307 307 404 404 404 302"),
    Row("GET", "teams:discussion_report", "slug post_id", "302 302 302 302 404 404 404 302"),
    Row("POST", "teams:discussion_report", "slug post_id", "307 307 307 307 404 404 404 302"),
    Row("GET", "teams:discussion_watch", "slug", "405 405 405 405 405 405 405 405"),
    Row("POST", "teams:discussion_watch", "slug", "302 302 302 302 404 404 404 302"),
    # A team topic is the forums' topic page shown at the team's address: every action on it
    # is the forums' own, open to the team's members and a 404 for everyone else (staff
    # without an open report included; with one, tests/teams/test_discussion.py). The
    # forum's own addresses for reading it stay 404, for members too: it is read at the
    # team's. own_post: a reply by the member (the author edits and deletes it; others are
    # told why not). The discussion is no Q&A: nobody marks an answer in it.
    Row("GET", "forums:topic", "topic topic_slug", "404 404 404 404 404 404 404 404"),
    Row("GET", "forums:topic_unread", "topic", "404 404 404 404 404 404 404 404"),
    Row(
        "GET",
        "forums:topic_new_replies",
        "topic",
        "200 200 200 200 404 404 404 404",
        query="after=0",
    ),
    Row("GET", "forums:reply", "topic", "200 200 200 200 404 404 404 302"),
    Row("GET", "forums:reply", "topic", "200 200 200 200 404 404 404 302", query="quote=1"),
    Row("POST", "forums:reply", "topic", "302 302 302 302 404 404 404 302"),
    Row(
        "POST",
        "forums:reply",
        "topic",
        "200 200 200 200 404 404 404 302",
        data={"body": "Hm", "preview": "1"},
    ),
    Row(
        "POST", "forums:reply", "topic", "200 200 200 200 404 404 404 302", data={"quote": "reply"}
    ),
    Row("POST", "forums:topic_watch", "topic", "302 302 302 302 404 404 404 302"),
    Row("POST", "forums:topic_unaccept", "topic", "302 302 302 302 404 404 404 302"),
    Row("GET", "forums:post", "post", "302 302 302 302 404 404 404 404"),
    Row("GET", "forums:post_history", "post", "200 200 200 200 404 404 404 404"),
    Row("POST", "forums:post_react", "post", "302 302 302 302 404 404 404 302"),
    Row("POST", "forums:post_react", "own_post", "302 302 403 302 404 404 404 302"),
    Row("POST", "forums:post_accept", "post", "403 403 403 403 404 404 404 302"),
    Row("GET", "forums:post_report", "post", "200 200 200 200 404 404 404 302"),
    Row("POST", "forums:post_report", "post", "302 302 302 302 404 404 404 302"),
    Row("GET", "forums:post_edit", "own_post", "403 403 200 403 404 404 404 302"),
    Row("POST", "forums:post_edit", "own_post", "403 403 302 403 404 404 404 302"),
    Row("GET", "forums:post_delete", "own_post", "403 403 200 403 404 404 404 302"),
    Row("POST", "forums:post_delete", "own_post", "403 403 302 403 404 404 404 302"),
    # Importing from Twitch: the channel's owner alone (Twitch gives the lists to them only).
    Row("GET", "teams:twitch_import", "slug", "200 403 403 403 404 404 404 302"),
    Row("POST", "teams:twitch_import", "slug", "400 403 403 403 404 404 404 302"),
]

# What a POST sends, where an empty one would only test the form's errors.
POST_DATA = {
    "teams:offer": {"answer": "decline"},
    "teams:member_edit": {"level": "lead"},
    "teams:trial": {"outcome": "keep"},
    "teams:onboarding_tick": lambda crew: {"item": crew.step.pk, "done": "on"},
    "teams:checklist_add": {"text": "Join the mod channel"},
    "teams:rulebook_publish": lambda crew: publish_data(),
    "teams:rulebook_acknowledge": {"number": "1"},
    "teams:debrief_write": lambda crew: debrief_data(),
    "teams:debrief_note": {"note-body": "I'd have used slow mode too."},
    "teams:discussion_start": {"title": "Friday's raid", "body": "Who covers the queue?"},
    "teams:discussion_reply": {"body": "I can take the first hour."},
    "teams:discussion_report": {"reason": "harassment", "details": ""},
    "teams:discussion_watch": {"level": "watching"},
    "forums:reply": {"body": "I can take the first hour."},
    "forums:topic_watch": {"level": "watching"},
    "forums:post_react": {"give": "thanks"},
    "forums:post_report": {"reason": "harassment", "details": ""},
    "forums:post_edit": {"body": "I'll take the queue from nine."},
    "forums:post_delete": {"reason": ""},
}

# Why a member is refused a forums' action on a team topic (403), by its name.
REFUSALS = {
    "forums:post_accept": "is not a Q",
    "forums:post_react": "your own post",
    "forums:post_edit": "Only the author edits a post",
    "forums:post_delete": "Only the author or a forum moderator",
}


# A parameter's name in the URL pattern, where the table's name says which thing it is.
KWARG = {
    "trial_id": "member_id",
    "offer": "pk",
    "topic": "pk",
    "topic_slug": "slug",
    "post": "pk",
    "own_post": "pk",
}


def address(row: Row, crew) -> str:
    things = {
        "slug": crew.channel.slug,
        "member_id": Membership.objects.get(team=crew.team, user=crew.member).pk,
        "trial_id": Membership.objects.get(team=crew.team, user=crew.trial).pk,
        "offer_id": crew.offer.pk,
        "offer": crew.offer.pk,
        "token": "not-a-members-token",
        "item_id": crew.step.pk,
        "number": crew.rulebook_version.number,
        "debrief_id": crew.debrief.pk,
        "topic_id": crew.topic.pk,
        "post_id": crew.reply.pk,
        "topic": crew.topic.pk,
        "topic_slug": crew.topic.slug,
        "post": crew.reply.pk,
        "own_post": crew.own_post.pk,
    }
    kwargs = {KWARG.get(p, p): things[p] for p in row.params.split()}
    # ?post=1 and ?quote=1 stand for the topic's reply.
    query = row.query.replace("=1", f"={crew.reply.pk}") if "unread" not in row.query else row.query
    return reverse(row.name, kwargs=kwargs) + (f"?{query}" if query else "")


@pytest.fixture
def hiring_crew(crew):
    # The outsider (another member of the site) is offered a place: their offer is theirs only.
    crew.offer = offer_make(team=crew.team, user=crew.outsider, actor=crew.owner)
    crew.step = checklist_item_add(team=crew.team, actor=crew.owner, text="Read our rulebook")
    crew.rulebook_version = publish(crew.team, crew.owner)
    crew.debrief = write_debrief(crew.team, crew.lead)
    crew.topic, crew.reply = discussion_topic(crew.team)
    crew.own_post = post_create(author=crew.member, topic=crew.topic, body="I'll take the queue.")
    return crew


def test_every_team_address_has_a_row():
    """A new page of the team space fails here until the table says who may use it."""
    from portal.teams.urls import urlpatterns

    names = {f"teams:{p.name}" for p in urlpatterns}
    assert names <= {row.name for row in ROWS}, sorted(names - {row.name for row in ROWS})


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("row", ROWS, ids=str)
def test_who_may_open_or_do_what(client, hiring_crew, row, who):
    person = getattr(hiring_crew, who, None)
    if person is not None:
        client.force_login(person)
    url = address(row, hiring_crew)
    if row.method == "GET":
        response = client.get(url)
    else:
        data = row.data if row.data is not None else POST_DATA.get(row.name, {})
        data = data(hiring_crew) if callable(data) else data
        if data.get("quote") == "reply":
            data = {"quote": hiring_crew.reply.pk}
        response = client.post(url, data)
    assert response.status_code == row.expected()[who], (str(row), who, response.status_code)
    if response.status_code == 403:
        # A member is told why, as they already know the team.
        # Leading actions are for the owner and leads; importing from Twitch, the owner's alone.
        assert REFUSALS.get(row.name, "Only the owner") in response.text
