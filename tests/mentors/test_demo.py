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


def test_the_demo_mentorship_has_its_private_conversation_started_once(client):
    """The mentorship page links to a conversation (it said "No private conversation could be
    opened"), started as accepting an ask starts one, with a message from each side; a second
    run writes no message, notice or participant more."""
    from portal.forums.models import Notification, Participant, Post

    ctx = DemoContext(size="small", stdout=io.StringIO(), usable_passwords=False)
    accounts_demo.seed(ctx)
    mentors_demo.seed(ctx)
    mentorship = Mentorship.objects.select_related("conversation").get(mentee__username="demo_mod")
    conversation = mentorship.conversation
    assert conversation is not None and conversation.purpose == "mentorship"
    people = dict(Participant.objects.filter(topic=conversation).values_list("user", "kind"))
    assert people == {
        mentorship.mentor_id: Participant.Kind.PARTICIPANT,
        mentorship.mentee_id: Participant.Kind.PARTICIPANT,
        mentorship.observer_id: Participant.Kind.OBSERVER,
    }
    authors = list(
        Post.objects.filter(topic=conversation).order_by("pk").values_list("author", flat=True)
    )
    assert authors == [mentorship.mentor_id, mentorship.mentee_id, mentorship.mentor_id]

    client.force_login(User.objects.get(username="demo_mod"))
    page = client.get(mentorship.get_absolute_url()).text
    assert "Open your private conversation" in page
    assert "No private conversation could be opened" not in page
    assert "Shield Mode first" in client.get(mentorship.conversation_url).text

    counts = (Post.objects.count(), Notification.objects.count(), Participant.objects.count())
    mentors_demo.seed(ctx)
    assert (Post.objects.count(), Notification.objects.count(), Participant.objects.count()) == (
        counts
    )
    assert "Demo mentoring conversation: already there." in ctx.stdout.getvalue()


def test_a_demo_mentorship_seeded_before_conversations_gets_one_on_the_next_run():
    ctx = DemoContext(size="small", stdout=io.StringIO(), usable_passwords=False)
    accounts_demo.seed(ctx)
    mentors_demo.seed_mentors(ctx)
    mentorship = Mentorship.objects.get(mentee__username="demo_mod")
    assert mentorship.conversation_id is None
    mentors_demo.seed(ctx)
    mentorship.refresh_from_db()
    assert mentorship.conversation_id is not None
