"""The mentoring lists cost a fixed number of queries whatever the number of mentors,
their roles and languages, or the person's mentorships (prevents an N+1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.mentors.factories import asked, make_mentor, person, under_way

pytestmark = pytest.mark.django_db

# The person (1; the session is cached), their profile, roles and languages (3), their
# blocks, their open asks, their own offer (3), the mentors with their roles and languages
# (3).
SUGGESTIONS_QUERIES = 10
# The person (1), their mentorships with everyone's profiles, their offer (2).
MINE_QUERIES = 3


def many_mentors(n: int) -> None:
    roles = ("chat-enforcer", "community-host", "incident-responder")
    for i in range(n):
        make_mentor(
            roles=roles[: 1 + i % 3],
            languages=("en", "de")[: 1 + i % 2],
            timezone=("Europe/Berlin", "America/New_York", "Asia/Tokyo")[i % 3],
            availability="Tue 18:00-21:00\nSat 10:00-12:00",
        )


@pytest.mark.parametrize("mentors", [1, 40])
def test_the_mentor_suggestions_cost_the_same_queries_for_1_or_40_mentors(
    client, assert_queries, mentors
):
    many_mentors(mentors)
    reader = person(roles=("chat-enforcer",), languages=("en",), availability="Tue 17:00-23:00")
    asked(make_mentor(), reader)
    client.force_login(reader)
    with assert_queries(SUGGESTIONS_QUERIES):
        page = client.get(reverse("mentors:index"))
    assert page.status_code == 200
    assert page.text.count('class="opening-card"') == min(mentors + 1, 30)


@pytest.mark.parametrize("size", [1, 10])
def test_your_mentorships_cost_the_same_queries_for_1_or_10(client, assert_queries, size):
    me = person()
    offer = make_mentor(me, capacity=10)
    for _ in range(size):
        asked(make_mentor(), me)
        under_way(offer)
    client.force_login(me)
    with assert_queries(MINE_QUERIES):
        page = client.get(reverse("mentors:mine"))
    assert page.status_code == 200
    assert page.text.count("mentorships/") >= 2 * size
