"""A lead publishes a new version of the team's rulebook; a member reads what changed,
says they've read it (and the lead sees so), then writes a debrief, first refused for
quoting chat in full. Real Chromium, real server; every step is a link or a form."""

import re

import pytest

from portal.teams.models import Debrief, Level, RulebookAcknowledgement
from tests.e2e.test_forums_journey import log_in, person
from tests.factories import ChannelFactory
from tests.teams.factories import add_member, make_team
from tests.teams.rulebook_factories import publish

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_lead_publishes_a_member_reads_the_changes_acknowledges_and_writes_a_debrief(
    browser, live_server
):
    owner = person("rae_streamer")
    team = make_team(ChannelFactory(owner=owner, name="Lantern Games", slug="lantern-games"))
    add_member(team, person("lou_lead"), level=Level.LEAD)
    add_member(team, person("max_mod"))
    publish(team, owner, public_rules="1. Be kind.\n2. No spoilers.")

    # The lead opens the rulebook from the team's page and publishes version 2.
    lead = log_in(browser, live_server.url, "lou_lead")
    lead.goto("/teams/lantern-games/")
    lead.get_by_role("link", name="Rulebook", exact=True).click()
    lead.wait_for_url(re.compile(r"/rulebook/$"))
    assert lead.get_by_text("1 of 3 current members").is_visible()
    lead.get_by_role("link", name="Publish a new version").click()
    lead.get_by_role("textbox", name="Public rules").fill(
        "1. Be kind.\n2. No spoilers for a week.\n3. English only."
    )
    lead.get_by_label("What changed and why").fill("Spoilers: a week; English only.")
    lead.get_by_role("button", name="Publish and tell the team").click()
    lead.wait_for_url(re.compile(r"/rulebook/$"))
    assert lead.get_by_text("Version 2 is published").is_visible()

    # The member reads what changed, marked in words as well as struck and underlined.
    member = log_in(browser, live_server.url, "max_mod")
    member.goto("/teams/lantern-games/rulebook/")
    member.get_by_role("link", name="What changed in version 2").click()
    member.wait_for_url(re.compile(r"/versions/2/changes/$"))
    assert member.locator("li.diff-added").filter(has_text="English only").is_visible()
    assert member.locator("li.diff-changed del").first.is_visible()
    member.get_by_role("button", name="I've read version 2").click()
    member.wait_for_url(re.compile(r"/rulebook/$"))
    assert member.get_by_text("You've read version 2.").first.is_visible()
    assert RulebookAcknowledgement.objects.filter(
        version__number=2, user__username="max_mod"
    ).exists()

    # The lead sees who has read it now.
    lead.reload()
    assert lead.get_by_text("2 of 3 current members").is_visible()

    # The member writes a debrief; pasting the abuse is refused, a summary is kept.
    member.get_by_role("link", name="Debriefs", exact=True).click()
    member.get_by_role("link", name="Write a debrief").click()
    member.get_by_label("What the incident was, in a few words").fill("Spoiler fight")
    member.get_by_label("When it happened").fill("2026-11-20")
    member.get_by_role("textbox", name="What happened:", exact=True).fill(
        "> " + "you are all idiots and I will spoil the ending for everyone right now " * 2
    )
    member.get_by_label("What we did").fill("A reminder, then a warning.")
    member.get_by_label("What worked").fill("The warning.")
    member.get_by_label("What we'd change").fill("Say the spoiler rule sooner.")
    member.get_by_label("Change the rulebook").fill("A spoiler example for new games.")
    member.get_by_role("button", name="Save and tell the team").click()
    assert member.evaluate("document.activeElement.id") == "error-summary"
    assert member.get_by_text("never quotes chat in full").first.is_visible()
    member.get_by_role("textbox", name="What happened:", exact=True).fill(
        "A chatter insulted chat and threatened to spoil the ending."
    )
    member.get_by_role("button", name="Save and tell the team").click()
    member.wait_for_url(re.compile(r"/debriefs/\d+/$"))
    assert member.get_by_role("heading", name="Spoiler fight").is_visible()
    assert member.get_by_text("waiting for a new version").is_visible()
    assert Debrief.objects.filter(title="Spoiler fight", author__username="max_mod").exists()
