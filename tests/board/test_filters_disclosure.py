"""On phones the board's and the moderator directory's filters fold into "Filters (n)" below
the result count; n counts the filters that narrow the list, not the order it is in."""

import pytest
from django.urls import reverse

from tests.board.factories import OpeningFactory

pytestmark = pytest.mark.django_db


def summary(response) -> str:
    page = response.content.decode()
    start = page.index('<details class="filters-disclosure"')
    return page[start : page.index("</summary>", start)]


def test_the_board_counts_the_filters_in_use_and_not_the_sort(client):
    OpeningFactory()
    assert "Filters (0)" in summary(client.get(reverse("board:index")))
    response = client.get(
        reverse("board:index"), {"role": "chat-enforcer", "max_hours": "5", "sort": "closing"}
    )
    assert "Filters (2)" in summary(response)


def test_the_count_comes_before_the_filters(client):
    OpeningFactory()
    page = client.get(reverse("board:index")).content.decode()
    assert page.index('id="results-heading"') < page.index("filters-disclosure")


def test_a_wrong_filter_opens_the_filters_to_show_its_error(client):
    response = client.get(reverse("board:index"), {"max_hours": "many", "role": "chat-enforcer"})
    assert '<details class="filters-disclosure" open>' in response.content.decode()
    assert "Filters (1)" in summary(response)  # the wrong one is not counted


def test_the_moderator_directory_counts_its_filters(client):
    assert "Filters (0)" in summary(client.get(reverse("board:moderators")))
    response = client.get(reverse("board:moderators"), {"q": "calm", "role": "chat-enforcer"})
    assert "Filters (2)" in summary(response)
