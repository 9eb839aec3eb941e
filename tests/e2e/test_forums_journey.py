"""A tough call talked through in the forums, and a held post approved by a forum moderator.

A moderator starts a topic in Tough calls; another replies, quoting it and mentioning the
first, who sees the notification in the header and marks the reply as the accepted answer. A
reply with a blocked term is held: its author sees it awaiting review, nobody else does, until
a forum moderator approves it in the review queue. Real Chromium, real server, with JavaScript
switched off: every step is a link or a form (test_forums_live_journey.py takes the same steps
with htmx updating the page in place).
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.forums.models import FilterTerm
from portal.forums.permissions import FORUM_MODERATORS
from tests.factories import TEST_PASSWORD, UserFactory, give_second_factor, totp_code_to_type

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def person(username: str):
    user = UserFactory(username=username, date_joined=timezone.now() - timedelta(days=90))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(
    browser, base_url: str, username: str, *, second_factor: bool = False, javascript: bool = True
):
    context = browser.new_context(base_url=base_url, java_script_enabled=javascript)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    if second_factor:
        page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
        page.fill("input[name=code]", totp_code_to_type())
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(f"{base_url}/")
    page.wait_for_url(re.compile(r"/$"))
    return page


def test_a_tough_call_is_answered_and_a_held_reply_is_approved(browser, live_server):
    person("ash_mod")
    person("bea_mod")
    # A forum moderator signs in with a second factor, as the review queue requires.
    give_second_factor(person("cal_forum_mod")).groups.add(Group.objects.get(name=FORUM_MODERATORS))
    FilterTerm.objects.create(text="zorblax", note="A fictional insult, for this test.")

    # Ash starts a topic in Tough calls.
    ash = log_in(browser, live_server.url, "ash_mod", javascript=False)
    ash.get_by_role("link", name="Forums", exact=True).first.click()
    ash.get_by_role("link", name="Tough calls").click()
    ash.get_by_role("link", name="Start a topic").click()
    ash.get_by_label("Title").fill("Raid during a charity stream: lock chat or not?")
    ash.get_by_label("Your post").fill("Chat went wild and the streamer was **mid-donation**.")
    ash.get_by_role("button", name="Start topic").click()
    ash.wait_for_url(re.compile(r"/forums/t/\d+/raid-during-a-charity-stream-lock-chat-or-not/$"))
    topic_url = ash.url
    assert ash.get_by_role("heading", name="Raid during a charity stream").is_visible()

    # Bea quotes it, mentions Ash, and answers.
    bea = log_in(browser, live_server.url, "bea_mod", javascript=False)
    bea.goto(topic_url)
    bea.get_by_role("link", name="Quote").first.click()
    reply_box = bea.get_by_label("Your reply")
    assert "@ash_mod [wrote]" in reply_box.input_value()
    reply_box.fill(
        reply_box.input_value() + "@ash_mod Follower-only for ten minutes, then tidy up."
    )
    bea.get_by_role("button", name="Post reply").click()
    answer = bea.locator("article.post", has_text="Follower-only for ten minutes")
    assert answer.locator("blockquote", has_text="mid-donation").is_visible()

    # Ash sees the notification in the header, follows it, and accepts the answer.
    ash.goto("/")
    header = ash.get_by_role("banner")
    assert header.get_by_role("link", name=re.compile(r"Notifications, \d+ unread")).is_visible()
    header.get_by_role("link", name=re.compile("Notifications")).click()
    assert ash.get_by_text("bea_mod mentioned you").is_visible()
    ash.get_by_role("link", name="Raid during a charity stream: lock chat or not?").first.click()
    ash.locator("article.post", has_text="Follower-only for ten minutes").get_by_role(
        "button", name="Mark as accepted answer"
    ).click()
    accepted = ash.get_by_role("region", name="Accepted answer")
    assert accepted.get_by_text("Follower-only for ten minutes").is_visible()
    # And thanks Bea for it: a reaction button sends the page's one actions form.
    answer = ash.locator("article.post", has_text="Follower-only for ten minutes")
    answer.get_by_role("button", name=re.compile("^Thanks")).click()
    thanks = ash.locator("article.post", has_text="Follower-only for ten minutes").get_by_role(
        "button", name=re.compile("^Thanks")
    )
    assert thanks.get_attribute("aria-pressed") == "true"
    assert thanks.locator(".reaction-count").inner_text() == "1"

    # Bea's next reply has a blocked term: held, shown to her alone, marked.
    bea.goto(topic_url)
    bea.get_by_label("Your reply").fill("Honestly the raiders were total zorblax.")
    bea.get_by_role("button", name="Post reply").click()
    assert bea.get_by_text("Your reply is awaiting review").is_visible()
    held = bea.locator("article.post", has_text="total zorblax")
    assert held.get_by_text("Awaiting review").is_visible()
    ash.goto(topic_url)
    assert ash.get_by_text("total zorblax").count() == 0

    # A forum moderator approves it in the review queue, and everyone sees it.
    cal = log_in(browser, live_server.url, "cal_forum_mod", second_factor=True, javascript=False)
    cal.get_by_role("link", name="Forums", exact=True).first.click()
    cal.get_by_role("link", name="Review queue").click()
    item = cal.locator("article.queue-item", has_text="total zorblax")
    assert item.get_by_text("blocked term “zorblax”").is_visible()
    item.get_by_role("button", name="Approve").click()
    assert cal.get_by_text("Approved: the post is published.").is_visible()
    assert cal.get_by_text("Nothing waiting").is_visible()
    ash.goto(topic_url)
    assert ash.locator("article.post", has_text="total zorblax").is_visible()
    for page in (ash, bea, cal):
        page.context.close()
