"""A private conversation, and a block.

Ash starts a conversation with Bea from her profile page ("Send a private message"); Bea sees
"Messages 1" in the header, reads it (the count goes), and answers; Ash reads the answer. Then
Ash blocks Cal from his profile, and Cal's attempt to start a conversation with Ash is refused
in words that do not mention a block. Real Chromium, real server, JavaScript off: every step
is a link or a form; axe checks every page.
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from portal.accounts.models import AgeGroup
from tests.e2e.test_forums_journey import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def adult(username: str):
    user = UserFactory(username=username, date_joined=timezone.now() - timedelta(days=90))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.profile.age_group = AgeGroup.ADULT
    user.profile.is_public = True
    user.profile.save()
    return user


def test_a_conversation_is_read_with_the_headers_count_and_a_block_stops_the_next(
    browser, live_server
):
    adult("ash_mod")
    adult("bea_mod")
    adult("cal_mod")

    ash = log_in(browser, live_server.url, "ash_mod", javascript=False)
    ash.goto("/people/bea_mod/")
    ash.get_by_role("link", name="Send a private message").click()
    assert ash.get_by_label("To").input_value() == "bea_mod"
    ash.get_by_label("Title").fill("Cover for Saturday night")
    ash.get_by_label("Your message").fill("Could you take the **first hour** on Saturday?")
    ash.get_by_role("button", name="Send").click()
    ash.wait_for_url(re.compile(r"/messages/\d+/$"))
    conversation_url = ash.url
    assert ash.get_by_text("Could you take the").is_visible()

    bea = log_in(browser, live_server.url, "bea_mod", javascript=False)
    messages_link = bea.get_by_role("link", name="Messages, 1 unread")
    assert messages_link.is_visible()
    messages_link.click()
    bea.get_by_role("link", name="Cover for Saturday night").click()
    assert bea.get_by_text("Could you take the").is_visible()
    assert bea.get_by_role("link", name="Messages", exact=True).is_visible()  # read: no count
    bea.get_by_label("Your message").fill("Yes, happy to. Send me the rules doc?")
    bea.get_by_role("button", name="Send").click()
    bea.wait_for_url(re.compile(r"/messages/\d+/#message-\d+$"))

    ash.goto("/")
    ash.get_by_role("link", name="Messages, 1 unread").click()
    ash.goto(conversation_url)
    assert ash.get_by_text("Yes, happy to.").is_visible()

    # Ash blocks Cal; Cal can no longer start a conversation with her, and is not told why.
    ash.goto("/people/cal_mod/")
    ash.get_by_role("button", name="Block").click()
    ash.wait_for_url(re.compile(r"/account/blocked/$"))
    assert ash.get_by_role("button", name="Unblock cal_mod").is_visible()

    cal = log_in(browser, live_server.url, "cal_mod", javascript=False)
    cal.goto("/messages/new/?to=ash_mod")
    cal.get_by_label("Title").fill("Quick question")
    cal.get_by_label("Your message").fill("Are you modding tonight?")
    cal.get_by_role("button", name="Send").click()
    assert cal.get_by_text("You can't start a conversation with ash_mod.").first.is_visible()
    assert "block" not in cal.locator("main").inner_text().lower()
