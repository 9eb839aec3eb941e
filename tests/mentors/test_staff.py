"""Asking Modhall staff to read a mentorship: anyone in it may, the others are not told,
staff then read it (with a second factor) from their list, and nobody else gains access."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.mentors.factories import make_mentor, person, under_way

pytestmark = pytest.mark.django_db


def ask_staff(client, who, mentorship):
    client.force_login(who)
    return client.post(reverse("mentors:ask_staff", kwargs={"pk": mentorship.pk}))


def test_staff_read_a_mentorship_once_someone_in_it_asks(client, circle):
    url = circle.mentorship.get_absolute_url()
    client.force_login(circle.staff)
    assert client.get(url).status_code == 404
    assert ask_staff(client, circle.mentee, circle.mentorship).status_code == 302
    client.force_login(circle.staff)
    page = client.get(url)
    assert page.status_code == 200 and "reading it for Modhall staff" in page.text
    listed = client.get(reverse("mentors:staff_requests")).text
    assert circle.mentorship.get_absolute_url() in listed
    # Reading is all: staff do not act on it.
    checkin = reverse("mentors:checkin", kwargs={"pk": circle.mentorship.pk})
    assert client.post(checkin, {"checkin-note": "Hello"}).status_code == 403


def test_the_others_in_the_mentorship_are_not_told(client, circle):
    ask_staff(client, circle.mentee, circle.mentorship)
    assert "You asked Modhall staff" in client.get(circle.mentorship.get_absolute_url()).text
    client.force_login(circle.mentor)
    page = client.get(circle.mentorship.get_absolute_url()).text
    assert (
        "You asked Modhall staff" not in page and circle.mentee.display_name + " asked" not in page
    )


def test_asking_staff_opens_it_to_nobody_else(client, circle):
    ask_staff(client, circle.mentee, circle.mentorship)
    client.force_login(circle.other)
    assert client.get(circle.mentorship.get_absolute_url()).status_code == 404
    assert ask_staff(client, circle.other, circle.mentorship).status_code == 404


def test_staff_without_a_second_factor_are_asked_to_set_one_up(client, circle):
    ask_staff(client, circle.mentor, circle.mentorship)
    client.force_login(UserFactory(is_staff=True, second_factor=False))
    page = client.get(circle.mentorship.get_absolute_url())
    assert page.status_code == 403


def test_the_staff_list_is_for_staff(client, circle):
    client.force_login(circle.mentor)
    assert client.get(reverse("mentors:staff_requests")).status_code == 403


@pytest.mark.parametrize("size", [1, 8])
def test_the_staff_list_costs_the_same_queries_for_1_or_8(client, assert_queries, size):
    """Prevents an N+1 over the people of each mentorship: the person and their profile
    (2), the mentorships with everyone's profiles (1), the header's Review count (1)."""
    for _ in range(size):
        mentorship = under_way(make_mentor(), person())
        client.force_login(mentorship.mentee)
        client.post(reverse("mentors:ask_staff", kwargs={"pk": mentorship.pk}))
    client.force_login(UserFactory(is_staff=True))
    with assert_queries(4):
        page = client.get(reverse("mentors:staff_requests"))
    assert page.text.count("mentored by") == size
