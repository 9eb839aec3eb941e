"""A streamer registers a channel and posts an opening with two questions; a moderator
filters the board and applies; the streamer shortlists and accepts; the moderator sees
"accepted" and got the emails; the opening shows "filled"."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal.accounts.models import Role
from portal.accounts.services import profile_slots_refresh
from portal.core.schedule import parse_windows
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(browser_page, username: str) -> None:
    browser_page.goto("/accounts/login/")
    browser_page.fill("input[name=login]", username)
    browser_page.fill("input[name=password]", TEST_PASSWORD)
    browser_page.locator("form button[type=submit]").last.click()
    browser_page.wait_for_url(re.compile(r"/$|/account/profile/$"))


def test_post_apply_review_accept_and_fill(page, browser):
    joined = timezone.now() - timedelta(days=60)
    UserFactory(username="owl_streamer", date_joined=joined)
    moderator = UserFactory(username="calm_mod", date_joined=joined)
    profile = moderator.profile
    profile.display_name = "Calm Mod"
    profile.timezone = "Europe/Berlin"
    profile.availability = [w.as_json() for w in parse_windows("Fri 20:00-23:00")]
    profile.save()
    profile.roles.set([Role.objects.get(slug="community-host")])
    profile_slots_refresh(profile=profile)

    # The streamer registers a channel and posts an opening with two questions.
    log_in(page, "owl_streamer")
    page.goto("/board/channels/new/")
    page.fill("input[name=name]", "Night Owl Radio")
    page.fill("input[name=twitch_login]", "night_owl_radio")
    page.select_option("select[name=timezone]", "America/New_York")
    page.get_by_role("button", name="Register channel").click()
    page.wait_for_url(re.compile(r"/board/channels/night-owl-radio/$"))
    page.get_by_role("link", name="Post an opening").first.click()

    page.fill("input[name=title]", "Friday community host")
    page.get_by_label("Community Host").check()
    page.fill("textarea[name=description]", "Welcome our **raiders** on Friday nights.")
    page.fill("textarea[name=schedule]", "Fri 14:00-17:00")
    page.fill("input[name=hours_per_week]", "3")
    page.fill("input[name='questions-0-prompt']", "Why our channel?")
    page.select_option("select[name='questions-0-kind']", "paragraph")
    page.fill("input[name='questions-1-prompt']", "Where are you based?")
    page.select_option("select[name='questions-1-kind']", "choice")
    page.fill("textarea[name='questions-1-choices']", "Europe\nAmericas")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft: only you can see this opening").wait_for()
    page.get_by_role("button", name="Publish opening").click()
    page.get_by_text("Your opening is on the board.").wait_for()
    opening_url = page.url

    # The moderator filters the board and applies.
    moderator_context = browser.new_context(base_url=page.url.split("/board/")[0])
    mod = moderator_context.new_page()
    log_in(mod, "calm_mod")
    mod.goto("/board/")
    mod.get_by_label("Role").select_option("community-host")
    mod.get_by_label("Overlaps my availability").check()
    mod.get_by_role("button", name="Show openings").click()
    mod.get_by_role("heading", name="1 open opening matches").wait_for()
    mod.get_by_role("link", name="Friday community host").click()
    # The schedule is shown in the reader's own timezone, with the overlap marked.
    assert mod.get_by_text("Times shown in Europe/Berlin.").is_visible()
    assert mod.get_by_text("Overlaps your availability").is_visible()
    mod.get_by_role("link", name="Apply to this opening").click()
    mod.get_by_label("Why our channel?").fill("I love late-night radio chats.")
    mod.get_by_label("Europe").check()
    mod.get_by_label("Your message to the streamer").fill("Hi! I host a cozy art chat.")
    mod.get_by_role("button", name="Send application").click()
    mod.get_by_text("Your application is sent to Night Owl Radio.").wait_for()
    application_url = mod.url
    assert mod.get_by_text("Submitted", exact=True).first.is_visible()
    # The board marks the opening they applied to.
    mod.goto("/board/")
    assert mod.locator(".opening-card .badge-applied").inner_text() == "Applied"

    # The streamer shortlists, then accepts and fills the opening.
    page.goto(opening_url)
    page.get_by_role("link", name="Review applications").click()
    page.get_by_role("link", name="Calm Mod").click()
    assert page.get_by_text("I love late-night radio chats.").is_visible()
    page.get_by_label("Shortlisted").check()
    page.get_by_role("button", name="Update Calm Mod's application").click()
    page.get_by_text("Calm Mod: shortlisted. We emailed them.").wait_for()
    page.get_by_label("Accepted").check()
    page.get_by_label("Accepting fills the opening").check()
    page.get_by_role("button", name="Update Calm Mod's application").click()
    page.get_by_text("Calm Mod: accepted. We emailed them.").wait_for()

    # The moderator sees "accepted" and got the emails: the decision, and the team's offer of
    # a place, which asks them to act (accept or decline it); the opening shows "filled".
    mod.goto(application_url)
    assert mod.locator(".status-line").inner_text() == "Status: Accepted"
    to_moderator = [m.subject for m in mail.outbox if m.to == [moderator.email]]
    assert to_moderator == [
        "[Modhall] Your application to Night Owl Radio: shortlisted",
        "[Modhall] Your application to Night Owl Radio: accepted",
        "[Modhall] Night Owl Radio offers you a place on its mod team",
    ]
    assert any("New application" in m.subject for m in mail.outbox if m.to != [moderator.email])
    mod.goto(opening_url)
    assert mod.get_by_text("Filled: this opening found its moderator").is_visible()
    assert mod.get_by_role("link", name="Apply to this opening").count() == 0
    moderator_context.close()
