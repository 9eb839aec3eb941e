"""Mentoring's demo data: a few mentors and demo_mod's mentorship with goals and a
check-in, shown on the pages; a second run adds nothing."""

import io

import pytest
from django.urls import reverse

from portal.accounts import demo as accounts_demo
from portal.accounts.models import User
from portal.core.demo import DemoContext
from portal.mentors import demo as mentors_demo
from portal.mentors.models import Mentor, Mentorship

pytestmark = pytest.mark.django_db


def test_the_demo_shows_mentors_and_a_mentorship_with_goals_and_a_check_in(client):
    ctx = DemoContext(size="small", stdout=io.StringIO(), usable_passwords=False)
    accounts_demo.seed(ctx)
    mentors_demo.seed(ctx)
    assert Mentor.objects.taking_mentees().count() == len(mentors_demo.OFFERS)
    mentorship = Mentorship.objects.get(mentee__username="demo_mod")
    assert mentorship.goals.count() == 2 and mentorship.checkins.count() == 1
    client.force_login(User.objects.get(username="demo_mod"))
    page = client.get(mentorship.get_absolute_url()).text
    assert "Shield Mode" in page and "Go through the raid guide together" in page
    index = client.get(reverse("mentors:index")).text
    # Every mentor is listed; demo_mod's own mentor is marked as already asked.
    assert index.count('class="opening-card"') == 4 and index.count(">Asked<") == 1
    mentors_demo.seed(ctx)
    assert Mentor.objects.count() == len(mentors_demo.OFFERS)
    assert "already there" in ctx.stdout.getvalue()
