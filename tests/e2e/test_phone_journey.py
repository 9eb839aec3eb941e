"""On a phone (390×844): a moderator opens the header's menu, goes to the board, narrows it
with the "Filters (n)" button below the count, and reads the forums' categories as stacked
rows; a team lead reads their pending offers, each Withdraw button clear of the next
offer. No page is wider than the phone. Real Chromium, no JavaScript needed: the menu and the
filters are <details> elements. Every page is checked by axe (tests/e2e/conftest.py)."""

import re

import pytest

from portal.accounts.models import Role
from portal.teams.models import Level
from portal.teams.services import offer_make
from tests.board.factories import OpeningFactory
from tests.e2e.test_board_journey import log_in
from tests.factories import UserFactory
from tests.forums.factories import TopicFactory
from tests.teams.factories import add_member, make_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_menu_board_filters_and_stacked_rows_on_a_phone(phone):
    page = phone
    UserFactory(username="pocket_mod")
    OpeningFactory(title="Night shift chat enforcer")
    OpeningFactory(title="Friday community host", roles=[Role.objects.get(slug="community-host")])
    TopicFactory(title="Muting a regular who had a bad day?")

    log_in(page, "pocket_mod")
    assert fits_the_phone(page)

    # The header shows the brand and a closed menu; opening it shows the links.
    menu = page.locator("details.nav-menu")
    board_link = menu.get_by_role("link", name="Board", exact=True)
    assert not board_link.is_visible()
    assert not page.get_by_role("button", name="Log out").is_visible()
    # From the keyboard: the menu button is the first stop after the brand.
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Menu"
    page.keyboard.press("Enter")
    assert menu.get_attribute("open") is not None
    assert page.get_by_role("button", name="Log out").is_visible()
    board_link.click()
    page.wait_for_url(re.compile(r"/board/$"))

    # On the board the menu is closed again; the count comes first, then "Filters (0)".
    assert not page.locator("details.nav-menu").get_attribute("open")
    count = page.get_by_role("heading", name="2 open openings")
    filters = page.locator("details.filters-disclosure > summary")
    assert filters.inner_text() == "Filters (0)"
    assert count.bounding_box()["y"] < filters.bounding_box()["y"]
    assert not page.get_by_label("Role").is_visible()
    assert fits_the_phone(page)
    filters.click()
    page.get_by_label("Role").select_option("community-host")
    page.get_by_role("button", name="Show openings").click()
    page.get_by_role("heading", name="1 open opening matches").wait_for()
    assert page.locator("details.filters-disclosure > summary").inner_text() == "Filters (1)"
    assert not page.get_by_label("Role").is_visible()  # folded again, the results first
    assert page.get_by_role("link", name="Friday community host").is_visible()
    assert not page.get_by_role("link", name="Night shift chat enforcer").is_visible()

    # The forums' categories: one row a block, each number named by its column.
    page.locator("details.nav-menu summary").click()
    page.locator("details.nav-menu").get_by_role("link", name="Forums", exact=True).click()
    page.wait_for_url(re.compile(r"/forums/$"))
    row = page.locator("table.category-list tbody tr").filter(has_text="Tough calls")
    name_cell, topics_cell = row.locator("td").nth(0), row.locator("td").nth(1)
    assert topics_cell.get_attribute("data-label") == "Topics"
    below = topics_cell.bounding_box()["y"] > name_cell.bounding_box()["y"]
    same_edge = abs(topics_cell.bounding_box()["x"] - name_cell.bounding_box()["x"]) < 2
    assert below and same_edge
    assert fits_the_phone(page)
    page.get_by_role("link", name="Tough calls").click()
    page.get_by_role("link", name="Muting a regular who had a bad day?").click()
    page.get_by_role("heading", name="Muting a regular who had a bad day?").wait_for()
    assert fits_the_phone(page)


def test_a_leads_pending_offers_keep_their_withdraw_buttons_apart_on_a_phone(phone):
    """Each pending offer's line wraps on a phone and its Withdraw button drops under it: the
    button must not touch the next offer's line, or a thumb meant for one offer lands on the
    next."""
    page = phone
    team = make_team()
    lead = add_member(team, level=Level.LEAD).user
    for _ in range(3):
        offer_make(team=team, user=UserFactory(), actor=lead, level=Level.TRIAL)

    log_in(page, lead.username)
    page.goto(f"/teams/{team.channel.slug}/")
    offers = page.locator("section[aria-labelledby=pending-heading] li")
    assert offers.count() == 3
    assert fits_the_phone(page)
    for index in range(2):
        button = offers.nth(index).get_by_role("button", name=re.compile("^Withdraw"))
        below = button.bounding_box()
        next_line = offers.nth(index + 1).bounding_box()
        gap = next_line["y"] - (below["y"] + below["height"])
        assert gap >= 8, f"offer {index + 1}'s Withdraw button is {gap:.0f}px from the next offer"
