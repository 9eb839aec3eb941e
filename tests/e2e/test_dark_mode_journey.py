"""Dark mode: a visitor whose device is set to dark gets dark pages; a member chooses light
in their account settings and keeps it whatever their device says, then chooses dark, which
follows them to another device when they sign in there. axe checks every page, contrast
included, in both themes (tests/e2e/conftest.py)."""

import re

import pytest

from tests.board.factories import OpeningFactory
from tests.factories import TEST_PASSWORD, UserFactory
from tests.forums.factories import PostFactory, TopicFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DARK_PAPER = "rgb(21, 19, 28)"
LIGHT_PAPER = "rgb(251, 250, 255)"


def paper(page) -> str:
    return page.evaluate("getComputedStyle(document.documentElement).backgroundColor")


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/$"))


def test_dark_device_then_a_chosen_theme_that_follows_the_member(browser, live_server):
    UserFactory(username="night_mod")
    OpeningFactory(title="Late-night chat enforcer")
    topic = TopicFactory(title="Quiet hours: slow mode or followers-only?")
    PostFactory(topic=topic, body="Slow mode first; **followers-only** if a raid comes.")

    # A device set to dark: every page is dark, with no choice made.
    dark_device = browser.new_context(base_url=live_server.url, color_scheme="dark")
    page = dark_device.new_page()
    page.goto("/")
    assert page.locator("html").get_attribute("data-theme") is None
    assert paper(page) == DARK_PAPER
    for path in ("/board/", "/forums/", f"/forums/t/{topic.pk}/{topic.slug}/"):
        page.goto(path)
        assert paper(page) == DARK_PAPER

    # The member chooses light in their account settings: light on the dark device.
    sign_in(page, "night_mod")
    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Appearance").click()
    assert page.get_by_label("Same as my device").is_checked()
    page.get_by_label("Light").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your theme is saved.").wait_for()
    assert page.locator("html").get_attribute("data-theme") == "light"
    assert paper(page) == LIGHT_PAPER
    page.goto("/board/")
    assert paper(page) == LIGHT_PAPER

    # Then dark; on a light device where they sign in next, their pages are dark too.
    page.goto("/account/appearance/")
    page.get_by_label("Dark").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your theme is saved.").wait_for()
    dark_device.close()

    light_device = browser.new_context(base_url=live_server.url, color_scheme="light")
    page = light_device.new_page()
    page.goto("/forums/")
    assert paper(page) == LIGHT_PAPER
    sign_in(page, "night_mod")
    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert paper(page) == DARK_PAPER
    page.goto(f"/forums/t/{topic.pk}/{topic.slug}/")
    assert paper(page) == DARK_PAPER
    page.goto("/board/")
    page.get_by_role("link", name="Late-night chat enforcer").click()
    page.get_by_role("heading", name="Late-night chat enforcer").wait_for()
    light_device.close()
