"""A streamer accepts an applicant on the board; the applicant accepts the team's offer and
joins; the lead assigns a guide track; the member finds it on their onboarding list, reads
and acknowledges the team's rulebook, signs up to cover a stream and writes a debrief. Real
Chromium, real server, axe on every page; every step is a link or a form.

The journey is a list of small steps over one ``Journey``: a later part of the team space
(acknowledging the rulebook, signing up for a stream, writing a debrief, starting a topic
in the team's discussion, thanking and quoting in it) appends its own step to ``STEPS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from portal.forums.models import Notification, Reaction
from portal.guides.models import Track
from portal.teams.models import (
    CoverSignup,
    Debrief,
    Membership,
    RulebookAcknowledgement,
    TrackAssignment,
)
from tests.board.factories import ApplicationFactory, OpeningFactory
from tests.e2e.test_forums_journey import log_in, person
from tests.factories import ChannelFactory
from tests.guides.conftest import sync, write_small_library
from tests.teams.coverage_factories import write_schedule
from tests.teams.factories import make_team
from tests.teams.rulebook_factories import publish

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@dataclass
class Journey:
    """The people, their browser windows and what the steps made, passed along the steps."""

    browser: object
    base_url: str
    streamer: object
    applicant: object
    channel: object
    application: object
    windows: dict = field(default_factory=dict)

    def as_(self, who: str):
        if who not in self.windows:
            self.windows[who] = log_in(self.browser, self.base_url, getattr(self, who).username)
        return self.windows[who]


def streamer_accepts_the_applicant(j: Journey) -> None:
    page = j.as_("streamer")
    page.goto(j.application.get_absolute_url())
    page.get_by_label("Accepted").check()
    page.get_by_role("button", name=re.compile(r"^Update .* application$")).click()
    page.get_by_text(re.compile(r"accepted\. We emailed them\.")).wait_for()


def applicant_accepts_the_offer_and_joins(j: Journey) -> None:
    page = j.as_("applicant")
    page.goto("/teams/")
    page.get_by_role("link", name=j.channel.name).first.click()
    page.wait_for_url(re.compile(r"/teams/offers/\d+/$"))
    assert page.get_by_text("on the tracks they assign only").is_visible()
    page.get_by_role("button", name="Accept and join the team").click()
    page.wait_for_url(re.compile(rf"/teams/{j.channel.slug}/$"))
    assert page.get_by_text(f"Welcome to the mod team of {j.channel.name}.").is_visible()
    assert Membership.objects.current().filter(user=j.applicant).exists()


def lead_assigns_a_track(j: Journey) -> None:
    page = j.as_("streamer")
    page.goto(f"/teams/{j.channel.slug}/")
    page.get_by_role("link", name="Onboarding", exact=True).click()
    page.get_by_role("link", name=f"Assign tracks to {j.applicant.username}").click()
    page.get_by_label("Chat Enforcer").check()
    page.get_by_role("button", name="Save their tracks").click()
    page.get_by_text(f"{j.applicant.username}'s guide tracks are saved.").wait_for()
    assert page.get_by_role("cell", name="Chat Enforcer: 0/2").is_visible()
    assert TrackAssignment.objects.filter(track__slug="chat-enforcer").exists()


def member_sees_the_track_on_their_onboarding_list(j: Journey) -> None:
    page = j.as_("applicant")
    page.goto(f"/teams/{j.channel.slug}/")
    page.get_by_role("link", name="Onboarding", exact=True).click()
    page.wait_for_url(re.compile(r"/onboarding/$"))
    assert page.get_by_role("link", name="Chat Enforcer").is_visible()
    assert page.get_by_text("0 of 2 lessons read").is_visible()


def member_reads_and_acknowledges_the_rulebook(j: Journey) -> None:
    page = j.as_("applicant")
    page.goto(f"/teams/{j.channel.slug}/")
    page.get_by_role("link", name="Rulebook", exact=True).click()
    page.wait_for_url(re.compile(r"/rulebook/$"))
    assert page.get_by_text("No spoilers for the first week.").first.is_visible()
    page.get_by_role("button", name="I've read version 1").click()
    page.wait_for_url(re.compile(r"/rulebook/$"))
    assert page.get_by_text("You've read version 1.").first.is_visible()
    assert RulebookAcknowledgement.objects.filter(user=j.applicant, version__number=1).exists()


def member_signs_up_to_cover_a_stream(j: Journey) -> None:
    page = j.as_("applicant")
    page.goto(f"/teams/{j.channel.slug}/")
    page.get_by_role("link", name="Coverage").click()
    page.wait_for_url(re.compile(r"/coverage/$"))
    page.get_by_role("link", name="Week after").click()
    page.get_by_role("button", name=re.compile(r"^Sign up")).first.click()
    assert page.get_by_text("You cover that stream.").is_visible()
    assert page.get_by_text(f"{j.applicant.username} (you)").first.is_visible()
    assert CoverSignup.objects.filter(user=j.applicant).count() == 1


def member_writes_a_debrief(j: Journey) -> None:
    page = j.as_("applicant")
    page.goto(f"/teams/{j.channel.slug}/")
    page.get_by_role("link", name="Debriefs", exact=True).click()
    page.get_by_role("link", name="Write a debrief").click()
    page.get_by_label("What the incident was, in a few words").fill("Raid at midnight")
    page.get_by_label("When it happened").fill("2026-11-20")
    page.get_by_role("textbox", name="What happened:", exact=True).fill(
        "About forty new accounts joined at once and posted the same insult."
    )
    page.get_by_label("What we did").fill("Followers-only chat, then bans for the raiders.")
    page.get_by_label("What worked").fill("Turning on followers-only mode early.")
    page.get_by_label("What we'd change").fill("Keep Shield Mode set up before streams.")
    page.get_by_role("button", name="Save and tell the team").click()
    page.wait_for_url(re.compile(r"/debriefs/\d+/$"))
    assert page.get_by_role("heading", name="Raid at midnight").is_visible()
    assert Debrief.objects.filter(title="Raid at midnight", author=j.applicant).exists()


def member_starts_a_topic_in_the_team_discussion(j: Journey) -> None:
    page = j.as_("applicant")
    page.goto(f"/teams/{j.channel.slug}/")
    page.get_by_role("link", name="Discussion", exact=True).first.click()
    page.wait_for_url(re.compile(r"/discussion/$"))
    page.get_by_role("link", name="Start a topic").click()
    page.get_by_label("Title").fill("Who takes the held queue on Friday?")
    page.get_by_label("Your post").fill(f"I can, @{j.streamer.username}, if you set slow mode.")
    page.get_by_role("button", name="Start topic").click()
    page.wait_for_url(re.compile(r"/discussion/\d+/$"))
    page.get_by_text("Your topic is up; the team can read it.").wait_for()
    assert page.get_by_role("heading", name="Who takes the held queue on Friday?").is_visible()
    assert Notification.objects.filter(recipient=j.streamer, kind="mention").exists()


def streamer_thanks_and_quotes_the_member_in_the_team_topic(j: Journey) -> None:
    """A team's topic is the forums' topic page inside the team's section: the streamer
    thanks the member for their post (in place, through htmx) and answers with a quote."""
    page = j.as_("streamer")
    page.goto(f"/teams/{j.channel.slug}/")
    page.get_by_role("link", name="Discussion", exact=True).first.click()
    page.get_by_role("link", name="Who takes the held queue on Friday?").first.click()
    page.wait_for_url(re.compile(r"/discussion/\d+/$"))
    assert page.get_by_role("link", name="Team discussion").is_visible()
    theirs = page.locator("article.post", has_text="if you set slow mode")
    theirs.get_by_role("button", name=re.compile("^Thanks")).click()
    thanks = page.locator("article.post", has_text="if you set slow mode").get_by_role(
        "button", name=re.compile("^Thanks")
    )
    expect(thanks).to_have_attribute("aria-pressed", "true")
    page.locator("article.post", has_text="if you set slow mode").get_by_role(
        "link", name="Quote"
    ).click()
    reply_box = page.get_by_label("Your reply")
    expect(reply_box).to_have_value(re.compile(rf"@{j.applicant.username} \[wrote\]"))
    reply_box.fill(f"{reply_box.input_value()}\n\nSlow mode it is: ten seconds.")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url(re.compile(r"/discussion/\d+/#post-\d+$"))
    answer = page.locator("article.post", has_text="Slow mode it is")
    expect(answer.locator("blockquote", has_text="if you set slow mode")).to_be_visible()
    assert Reaction.objects.filter(user=j.streamer, kind="thanks").count() == 1


STEPS: list[Callable[[Journey], None]] = [
    streamer_accepts_the_applicant,
    applicant_accepts_the_offer_and_joins,
    lead_assigns_a_track,
    member_sees_the_track_on_their_onboarding_list,
    member_reads_and_acknowledges_the_rulebook,
    member_signs_up_to_cover_a_stream,
    member_writes_a_debrief,
    member_starts_a_topic_in_the_team_discussion,
    streamer_thanks_and_quotes_the_member_in_the_team_topic,
]


def test_an_accepted_applicant_joins_the_team_and_starts_onboarding(browser, live_server, tmp_path):
    sync(write_small_library(tmp_path / "guides"))
    assert Track.objects.filter(slug="chat-enforcer").exists()
    streamer = person("sam_streamer")
    applicant = person("calm_mod")
    channel = ChannelFactory(owner=streamer, name="Night Owl Radio", timezone="Europe/Berlin")
    # What the streamer set up before hiring: a rulebook and a weekly stream to cover.
    team = make_team(channel)
    publish(team, streamer)
    write_schedule(team, "Mon 20:00-23:00")
    application = ApplicationFactory(
        opening=OpeningFactory(channel=channel, title="Night-shift chat enforcer"),
        applicant=applicant,
    )
    journey = Journey(browser, live_server.url, streamer, applicant, channel, application)
    for step in STEPS:
        step(journey)
