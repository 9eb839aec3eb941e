"""A forum moderator finds their tools from the header: the Review entry, with what waits, leads
to the review queue and to the holding rules, where they change a rule; the log shows it.
Real Chromium, real server; every step is a link or a form."""

import re

import pytest
from django.contrib.auth.models import Group

from portal.forums import services
from portal.forums.models import Category, FilterTerm
from portal.forums.permissions import FORUM_MODERATORS
from tests.e2e.test_forums_journey import log_in, person
from tests.factories import give_second_factor
from tests.forums.factories import TopicFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_forum_moderator_follows_review_to_the_queue_and_changes_a_holding_rule(
    browser, live_server
):
    give_second_factor(person("dee_forum_mod")).groups.add(Group.objects.get(name=FORUM_MODERATORS))
    FilterTerm.objects.create(text="zorblax")
    services.post_create(
        author=person("eli_member"), topic=TopicFactory(), body="You absolute zorblax."
    )

    page = log_in(browser, live_server.url, "dee_forum_mod", second_factor=True)

    # The header says one thing waits, and leads to the tools.
    review = page.get_by_role("link", name="Review, 1 waiting")
    assert review.is_visible()
    review.click()
    page.wait_for_url(re.compile(r"/review/$"))
    assert page.get_by_text("1 held post, 0 reports").is_visible()

    # The queue: approve the held post; the header's count goes with it.
    page.get_by_role("link", name="Forum review queue").click()
    page.wait_for_url(re.compile(r"/forums/moderation/queue/$"))
    assert page.get_by_text("You absolute zorblax.").is_visible()
    page.get_by_role("button", name="Approve").click()
    assert page.get_by_text("Nothing waiting. Thank you.").is_visible()
    assert page.get_by_role("link", name="Review", exact=True).is_visible()

    # The holding rules: allow some swearing to be held in Wellbeing.
    page.get_by_role("link", name="Review", exact=True).click()
    page.get_by_role("link", name="Holding rules").click()
    page.wait_for_url(re.compile(r"/forums/moderation/holding/$"))
    page.get_by_role("link", name="Change the hold levels of Wellbeing").click()
    page.get_by_label("Swearing").select_option("2")
    page.get_by_role("button", name="Save hold levels").click()
    page.wait_for_url(re.compile(r"/forums/moderation/holding/$"))
    assert page.get_by_text("Hold levels of Wellbeing saved.").is_visible()
    assert Category.objects.get(slug="wellbeing").hold_swearing == 2

    # A term that is not a term is refused beside it; a good one is added.
    adding = page.locator("#add-term")
    adding.get_by_label("Term").fill("x*")
    adding.get_by_role("button", name="Add term").click()
    assert page.get_by_text("a wildcard needs at least two letters").is_visible()
    adding.get_by_label("Term").fill("grr*")
    adding.get_by_label("Note").fill("Growling at people")
    adding.get_by_role("button", name="Add term").click()
    assert page.get_by_text("Added “grr*”").is_visible()
    assert page.locator("table.filter-terms code", has_text="grr*").is_visible()

    # The log keeps both changes, with who made them.
    page.goto("/forums/moderation/log/")
    log = page.locator("table.list")
    assert log.get_by_text("Wellbeing: swearing 0 → 2").is_visible()
    assert log.get_by_text("“grr*”, blocked everywhere").is_visible()
    assert log.locator("tr", has_text="grr*").get_by_text("dee_forum_mod").is_visible()
