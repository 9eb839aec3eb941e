"""Searching from the header: a member types into the box at the top of any page, sees guide
lessons, forum posts, openings and moderators grouped by kind, switches to the forums' tab,
and opens the post they were looking for. Real Chromium, real server, no JavaScript needed:
the box is a plain form and every tab a link.
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from portal.forums import services
from tests.board.factories import OpeningFactory
from tests.factories import TEST_PASSWORD, UserFactory
from tests.forums.factories import PostFactory, TopicFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_search_from_the_header_switch_tabs_and_open_a_result(page):
    member = UserFactory(username="dee_mod", date_joined=timezone.now() - timedelta(days=90))
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    topic = TopicFactory(
        title="Timeout or ban for a first-time backseater?",
        opening__body="A chatter keeps telling the streamer where to go. **First time.**",
    )
    PostFactory(topic=topic, body="A short timeout and a note: backseating is not malice.")
    OpeningFactory(title="Mod wanted for a backseat-free speedrun chat")
    owl = UserFactory(username="backseat_owl")
    owl.profile.open_to_moderating, owl.profile.is_public = True, True
    owl.profile.save()
    services.search_index_rebuild()

    page.goto("/accounts/login/")
    page.fill("input[name=login]", "dee_mod")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/$"))

    # The box in the header, on whatever page one is.
    page.goto("/guides/")
    page.get_by_role("searchbox", name="Search Modhall").fill("backseating")
    page.get_by_role("searchbox", name="Search Modhall").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=backseating$"))
    for heading in ("Forums", "Openings", "Moderators"):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible()
    assert page.locator("mark").first.is_visible()  # the matched words, highlighted

    # The forums' tab: every forum result, the topic first.
    tabs = page.get_by_role("navigation", name="Search results by kind")
    tabs.get_by_role("link", name="Forums", exact=True).click()
    page.wait_for_url(re.compile(r"/forums/search/\?q=backseating$"))
    first = page.locator("ol.search-results > li").first
    assert "first-time backseater" in first.inner_text()
    assert "**" not in page.locator("ol.search-results").inner_text()  # text, not Markdown

    first.locator("a.topic-title").click()
    page.wait_for_url(re.compile(r"/forums/"))
    assert page.get_by_role(
        "heading", name="Timeout or ban for a first-time backseater?"
    ).is_visible()

    # And back to every kind from the forums' own tab bar.
    page.go_back()
    page.get_by_role("navigation", name="Search results by kind").get_by_role(
        "link", name="All"
    ).click()
    page.wait_for_url(re.compile(r"/search/\?q=backseating$"))
