"""A new moderator finds a mentor whose time overlaps theirs (shown in their own time, as
the zone database places it this week), asks, and the mentor accepts; both then see the
mentorship under way. (Exchanging a message comes with the forums' private conversations.)"""

import re

import pytest

from portal.core.weeks import week_of
from tests.e2e.test_board_journey import log_in
from tests.mentors.factories import make_mentor, person
from tests.mentors.test_mentoring import expected_overlap

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_ask_for_a_mentor_and_the_mentor_accepts(page, browser):
    mentor = make_mentor(
        person(username="steady_mentor", display_name="Steady Mentor"),
        roles=("incident-responder",),
        timezone="America/New_York",
        availability="Tue 13:00-15:00",
        note="Hate raids are my thing.",
    )
    person(
        username="new_mod",
        display_name="New Mod",
        timezone="Europe/Berlin",
        availability="Tue 17:00-23:00",
        roles=("incident-responder",),
    )

    def overlap_this_week() -> str:
        return expected_overlap(
            week_of(), "America/New_York", (1, 13, 15), "Europe/Berlin", (1, 17, 23)
        )

    before = overlap_this_week()
    log_in(page, "new_mod")
    page.get_by_role("link", name="Mentors", exact=True).click()
    page.get_by_role("heading", name="Find a mentor").wait_for()
    card = page.locator("article.opening-card", has_text="Steady Mentor")
    shown = card.inner_text()
    # The week the page placed both windows in (one of two, if it loaded across Monday 00:00).
    assert before in shown or overlap_this_week() in shown
    card.get_by_role("link", name=re.compile("Ask Steady Mentor")).click()
    page.get_by_label("What would you like help with?").fill("I freeze during raids.")
    page.get_by_role("button", name="Send my ask").click()
    page.get_by_text("Your ask is sent to Steady Mentor").wait_for()
    mentorship_url = page.url

    mentor_context = browser.new_context(base_url=page.url.split("/mentors/")[0])
    other = mentor_context.new_page()
    log_in(other, "steady_mentor")
    other.goto("/mentors/mine/")
    other.get_by_role("link", name="New Mod").click()
    assert "I freeze during raids." in other.locator("main").inner_text()
    other.get_by_label("Accept: I will mentor them").check()
    other.get_by_label("A note with your answer").fill("Gladly. Tuesdays suit me.")
    other.get_by_role("button", name="Send my answer").click()
    other.get_by_text("You are now New Mod's mentor.").wait_for()

    page.goto(mentorship_url)
    assert "Under way" in page.locator("main").inner_text()
    assert "Gladly. Tuesdays suit me." in page.locator("main").inner_text()
    mentor.refresh_from_db()
    assert mentor.active_count == 1
