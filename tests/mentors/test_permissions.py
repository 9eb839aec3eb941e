"""Who may see and do what in mentoring: the mentor, the mentee, the observer, another
member, staff and a visitor, on every mentoring page and action. Private things answer 404
to strangers (staff included); what only one side may do answers 403 with the reason to
the others who know the mentorship."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.mentors.models import Goal

pytestmark = pytest.mark.django_db

PEOPLE = ["mentor", "mentee", "observer", "other", "staff"]


def _who(circle, who):
    return getattr(circle, who)


def _mentorship_url(circle, name, **extra):
    return reverse(f"mentors:{name}", kwargs={"pk": circle.mentorship.pk, **extra})


@pytest.mark.parametrize(
    ("who", "status"),
    [("mentor", 200), ("mentee", 200), ("observer", 200), ("other", 404), ("staff", 404)],
)
def test_a_mentorship_page_is_for_its_mentor_mentee_and_observer(client, circle, who, status):
    client.force_login(_who(circle, who))
    assert client.get(_mentorship_url(circle, "mentorship")).status_code == status


def test_staff_read_a_mentorship_only_as_its_named_observer(client, circle):
    from tests.mentors.factories import make_mentor, person, under_way

    mentorship = under_way(make_mentor(), person(adult=False), observer=circle.staff)
    client.force_login(circle.staff)
    page = client.get(mentorship.get_absolute_url())
    assert page.status_code == 200 and "Modhall staff" in page.text


# The actions on a mentorship under way: each with the data a browser sends.
ACTIONS = {
    "goal_add": {"goal-title": "Handle a raid calmly"},
    "schedule": {"schedule-every": "14"},
    "checkin": {"checkin-note": "We went through the raid lesson."},
}


@pytest.mark.parametrize("action", [*ACTIONS, "goal_done", "end"])
@pytest.mark.parametrize(
    ("who", "status"),
    [("mentor", 302), ("mentee", 302), ("observer", 403), ("other", 404), ("staff", 404)],
)
def test_only_the_two_act_on_a_mentorship_the_observer_reads(client, circle, action, who, status):
    goal = Goal.objects.create(mentorship=circle.mentorship, title="Read the raid guide")
    client.force_login(_who(circle, who))
    if action == "goal_done":
        url, data = _mentorship_url(circle, "goal_done", goal_id=goal.pk), {}
    elif action == "end":
        url, data = _mentorship_url(circle, "end"), {"reflection": "It went well."}
    else:
        url, data = _mentorship_url(circle, action), ACTIONS[action]
    response = client.post(url, data)
    assert response.status_code == status
    if status == 403:
        assert "an observer or staff read along" in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [("mentor", 302), ("asker", 403), ("other", 404), ("staff", 404), ("observer", 404)],
)
def test_only_the_mentor_answers_an_ask(client, circle, who, status):
    client.force_login(_who(circle, who))
    url = reverse("mentors:answer", kwargs={"pk": circle.waiting.pk})
    response = client.post(url, {"answer-decision": "decline"})
    assert response.status_code == status
    if status == 403:
        assert "Only the mentor can answer an ask" in response.text


@pytest.mark.parametrize(
    ("who", "status"), [("asker", 302), ("mentor", 403), ("other", 404), ("staff", 404)]
)
def test_only_the_asker_takes_an_ask_back(client, circle, who, status):
    client.force_login(_who(circle, who))
    url = reverse("mentors:withdraw", kwargs={"pk": circle.waiting.pk})
    assert client.post(url).status_code == status


@pytest.mark.parametrize("name", ["index", "mine", "volunteer"])
def test_the_mentoring_pages_are_for_signed_in_members(client, circle, name):
    url = reverse(f"mentors:{name}")
    page = client.get(url)
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    for who in PEOPLE:
        client.force_login(_who(circle, who))
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["mentorship", "answer", "withdraw", "goal_add", "schedule", "checkin", "end"],
)
def test_a_visitor_is_asked_to_log_in_everywhere(client, circle, name):
    url = _mentorship_url(circle, name)
    response = client.post(url) if name != "mentorship" else client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_nobody_asks_themselves(client, circle):
    client.force_login(circle.mentor)
    url = reverse("mentors:ask", kwargs={"mentor_id": circle.offer.pk})
    assert client.get(url).status_code == 404
