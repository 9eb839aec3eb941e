"""A new moderator finds a mentor whose time overlaps theirs (shown in their own time, as
the zone database places it this week), asks, and the mentor accepts; both then see the
mentorship under way and write to each other in its private conversation, each reaching it
from the mentorship's page. When the mentor's next message asks for her stream key, she reads
the anti-scam warning on it, and blocks him from his profile: the mentorship ends, and his
conversation page takes no more messages, in words that do not mention a block.

(The conversation journey covers a block refusing a new conversation; this one covers a
block stopping a conversation and a mentorship already under way.)"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from portal.core.weeks import week_of
from tests.e2e.test_board_journey import log_in
from tests.mentors.factories import make_mentor, person
from tests.mentors.test_mentoring import expected_overlap

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_mentee_asks_writes_with_her_mentor_and_blocks_him_when_he_asks_for_her_key(
    page, browser
):
    long_ago = timezone.now() - timedelta(days=90)
    mentor = make_mentor(
        # Long-standing members: a new account's tighter posting limits are not this story.
        person(username="steady_mentor", display_name="Steady Mentor", date_joined=long_ago),
        roles=("incident-responder",),
        timezone="America/New_York",
        availability="Tue 13:00-15:00",
        note="Hate raids are my thing.",
    )
    person(
        date_joined=long_ago,
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

    # The mentee opens the conversation from the mentorship's page and writes first.
    page.get_by_role("link", name="Open your private conversation").click()
    page.wait_for_url(re.compile(r"/messages/\d+/$"))
    conversation_url = page.url
    assert page.get_by_text("This is our private conversation for the mentorship").is_visible()
    page.get_by_label("Your message").fill("Thank you! Could we look at my raid settings?")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"/messages/\d+/#message-\d+$"))

    # The mentor reaches it from the same page, reads her message and answers.
    other.goto(mentorship_url)
    other.get_by_role("link", name="Open your private conversation").click()
    other.wait_for_url(conversation_url)
    assert other.get_by_text("Could we look at my raid settings?").is_visible()
    other.get_by_label("Your message").fill("Sure: bring your **AutoMod** levels on Tuesday.")
    other.get_by_role("button", name="Send").click()
    other.wait_for_url(re.compile(r"/messages/\d+/#message-\d+$"))
    other.get_by_label("Your message").fill("Also send me your stream key so I can check.")
    other.get_by_role("button", name="Send").click()
    other.wait_for_url(re.compile(r"/messages/\d+/#message-\d+$"))

    page.goto(conversation_url)
    assert page.locator("strong", has_text="AutoMod").is_visible()
    warning = page.get_by_role("note").filter(has_text="stream key")
    assert "Careful" in warning.inner_text()

    # She blocks him from his profile (his name in the conversation leads there).
    page.get_by_role("link", name="Steady Mentor").first.click()
    page.get_by_role("button", name="Block").click()
    page.wait_for_url(re.compile(r"/account/blocked/$"))

    page.goto(mentorship_url)
    assert "Ended" in page.locator("main").inner_text()
    other.goto(conversation_url)
    assert other.get_by_text("This conversation takes no new messages.").is_visible()
    assert other.get_by_label("Your message").count() == 0
    assert "block" not in other.locator("main").inner_text().lower()
    mentor.refresh_from_db()
    assert (mentor.active_count, mentor.completed_count) == (0, 0)
