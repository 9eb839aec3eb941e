"""A keyboard-only reply: a moderator who does not use a mouse reaches the reply box with Tab,
types, reaches "Post reply" with Tab, presses Enter, and lands on the reply they just posted,
with the focus on it (so a screen reader reads it next), the page checked by axe-core."""

import re

import pytest
from playwright.sync_api import expect

from portal.forums import services
from portal.forums.models import Category, Post
from tests.e2e.test_forums_journey import log_in, person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# More than any topic page has before its reply box; a page that needs more has lost its way.
MOST_TABS = 200


def tab_to(page, is_there: str) -> None:
    """Press Tab until the focused element answers the JavaScript test ``is_there``."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {is_there})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached: {is_there}")


def test_a_keyboard_user_posts_a_reply_and_lands_on_it(browser, live_server):
    bea = person("bea_mod")
    person("kit_mod")
    topic = services.topic_create(
        author=bea,
        category=Category.objects.get(slug="tough-calls"),
        title="A regular keeps spoiling the story: timeout or warning?",
        body="Third stream in a row they post the ending.",
    )
    kit = log_in(browser, live_server.url, "kit_mod")
    kit.goto(topic.get_absolute_url())

    tab_to(kit, "el.name === 'body' && el.tagName === 'TEXTAREA'")
    kit.keyboard.type("A warning first, then a short timeout if it happens again.")
    tab_to(kit, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Post reply'")
    kit.keyboard.press("Enter")

    expect(kit).to_have_url(re.compile(r"#post-\d+$"))
    reply = Post.objects.filter(topic=topic, author__username="kit_mod").get()
    expect(kit).to_have_url(re.compile(rf"#post-{reply.pk}$"))
    new_post = kit.locator(f"#post-{reply.pk}")
    expect(new_post).to_contain_text("A warning first, then a short timeout")
    expect(new_post).to_be_focused()
    # The next Tab goes on from the reply, not from the top of the page.
    kit.keyboard.press("Tab")
    assert kit.evaluate(
        f"document.getElementById('post-{reply.pk}').contains(document.activeElement)"
        " || document.getElementById('post-{reply.pk}').compareDocumentPosition("
        "document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
