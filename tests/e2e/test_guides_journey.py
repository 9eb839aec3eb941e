"""A new moderator finds their role, works through a track and sees the badge on their profile.

Real Chromium, real server. Every step is a plain link or form (radio buttons, checkboxes,
submit) that works without JavaScript, exactly as a keyboard or screen-reader user meets it;
with it, htmx saves the checklist and the lesson's read mark in place.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.guides.conftest import sync, write_small_library

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_new_moderator_finds_their_role_completes_a_track_and_earns_the_badge(
    page, settings, tmp_path
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    sync(write_small_library(tmp_path / "guides"))

    # Sign up; the first stop is the profile form, which points to the role questionnaire.
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "fresh@example.com")
    page.fill("input[name=username]", "fresh_mod")
    page.fill("input[name=password1]", "a-long-and-unusual-passphrase")
    page.fill("input[name=password2]", "a-long-and-unusual-passphrase")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/account/profile/$"))
    page.get_by_role("link", name="Take the one-minute role questionnaire").click()

    # The questionnaire: one fieldset per question, radio buttons, submitted without script.
    page.wait_for_url(re.compile(r"/guides/find-your-role/$"))
    page.get_by_role("group", name="How long have you been moderating?").get_by_label(
        "I am new to it"
    ).check()
    for group in page.get_by_role("main").get_by_role("group").all():
        name = group.locator("legend").inner_text()
        if name.startswith("I deal with people who break the rules"):
            group.get_by_label("Often").check()
        elif name.startswith("I "):
            group.get_by_label("Rarely or never").check()
    page.get_by_role("button", name="Suggest my tracks").click()

    suggested = page.locator("section", has=page.get_by_role("heading", name="Tracks that fit"))
    assert suggested.get_by_role("link", name="Start here").is_visible()
    assert suggested.get_by_role("link", name="Chat Enforcer").is_visible()
    assert page.get_by_label("Chat Enforcer").is_checked()  # the role to save, pre-ticked
    page.get_by_role("button", name="Save these roles to my profile").click()

    # Back on the guides, the suggested track is marked; open it and start.
    page.wait_for_url(re.compile(r"/guides/$"))
    assert page.get_by_text("Your roles are saved on your profile").is_visible()
    card = page.locator(".guides-track-card", has_text="Chat Enforcer")
    assert card.get_by_text("Fits your roles").is_visible()
    card.get_by_role("link", name="Chat Enforcer", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Start the track")).first.click()

    # Read the lesson: table of contents, then tick its checklist and keep the ticks.
    page.wait_for_url(re.compile(r"/guides/chat-enforcer/warn-timeout-ban/$"))
    assert page.get_by_role("heading", name="Warn, time out, ban", level=1).is_visible()
    assert page.get_by_role("navigation", name="On this page").is_visible()
    page.get_by_label("Find the timeout button.").check()
    page.get_by_label("Write a moderator note.").check()
    # With JavaScript each tick is saved as it is made; the button saves them without it.
    page.get_by_role("button", name="Save checklist").click()
    expect(page.get_by_text("Your checklist is saved.")).to_be_visible()
    page.reload()
    assert page.get_by_label("Find the timeout button.").is_checked()

    # Pass the lesson's check and see why the answer is right.
    page.get_by_role("group", name="1. What comes first?").get_by_label("Choice 2").check()
    page.get_by_role("button", name="Check my answers").click()
    assert page.get_by_text("You scored 1 of 1. You passed").is_visible()
    assert page.get_by_text("✓ Correct.").is_visible()
    assert page.get_by_text("Because the platform says so.").first.is_visible()

    # Mark it read, on to the next lesson, read that too.
    # Marked in place (htmx): the box says so and the title is marked "Read".
    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_text("is marked as read")).to_be_visible()
    expect(page.locator("#lesson-read-mark")).to_have_text(re.compile("Read"))
    page.get_by_role("link", name=re.compile(r"^Next: The held queue")).click()
    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_text("is marked as read")).to_be_visible()

    # The track's knowledge check completes the track.
    page.get_by_role("link", name=re.compile(r"take the track's knowledge check")).click()
    page.wait_for_url(re.compile(r"/guides/chat-enforcer/check/$"))
    page.get_by_role("group", name=re.compile(r"^1\. What does a timeout do")).get_by_label(
        "Choice 0"
    ).check()
    page.get_by_role("group", name=re.compile(r"^2\. Where do held messages wait")).get_by_label(
        "Choice 1"
    ).check()
    page.get_by_role("button", name="Check my answers").click()
    assert page.get_by_text("You completed Chat Enforcer and earned its badge").is_visible()

    # The badge is on the profile, and its certificate can be shared.
    page.get_by_role("link", name="Your profile").click()
    page.wait_for_url(re.compile(r"/people/fresh_mod/$"))
    badges = page.locator("section", has=page.get_by_role("heading", name="Guide badges"))
    badges.get_by_role("link", name="Chat Enforcer").click()
    assert page.get_by_role("heading", name="Certificate of completion").is_visible()
    assert page.get_by_text("fresh_mod").first.is_visible()
