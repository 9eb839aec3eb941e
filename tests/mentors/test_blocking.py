"""A block between a mentor and a mentee closes what is open between them: a mentorship
under way ends at once (freeing the mentor's place, not counting as completed, taking no
reflections), an ask waiting for an answer is closed, and nobody is told why."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.services import block_create
from portal.forums.models import Notification
from portal.mentors.models import Mentor, Mentorship, Status
from tests.mentors.factories import asked, make_mentor, person, under_way

pytestmark = pytest.mark.django_db


def block(client, blocker, blocked) -> None:
    """Block from the other person's profile, as a member does."""
    client.force_login(blocker)
    response = client.post(reverse("accounts:block", kwargs={"username": blocked.username}))
    assert response.status_code == 302


def test_a_mentee_blocking_their_mentor_ends_the_mentorship_without_telling_why(client):
    offer = make_mentor()
    mentee = person()
    mentorship = under_way(offer, mentee)
    notices_before = Notification.objects.filter(recipient=offer.user).count()

    block(client, mentee, offer.user)

    mentorship.refresh_from_db()
    offer.refresh_from_db()
    assert mentorship.status == Status.ENDED and mentorship.ended_at is not None
    assert (offer.active_count, offer.completed_count) == (0, 0)  # a place free, no badge
    assert Notification.objects.filter(recipient=offer.user).count() == notices_before

    # The mentor sees it ended, with no way to write a reflection the mentee would read, and
    # the conversation shows no form, only the neutral refusal.
    client = Client()  # the mentor's own browser
    client.force_login(offer.user)
    page = client.get(mentorship.get_absolute_url()).text
    assert "Ended" in page and "Write your reflection" not in page
    assert "block" not in page.lower().replace("blockquote", "")
    response = client.post(
        reverse("mentors:end", kwargs={"pk": mentorship.pk}), {"reflection": "Thanks!"}
    )
    assert response.status_code == 400
    mentorship.refresh_from_db()
    assert mentorship.mentor_reflection == ""
    conversation = client.get(mentorship.conversation_url).text
    assert "This conversation takes no new messages." in conversation
    assert 'id="reply-form"' not in conversation


def test_a_mentor_blocking_someone_who_asked_declines_the_ask_quietly(client):
    offer = make_mentor()
    ask = asked(offer, person())
    block(client, offer.user, ask.mentee)
    ask.refresh_from_db()
    assert ask.status == Status.DECLINED
    assert not Notification.objects.filter(recipient=ask.mentee).exists()


def test_a_block_elsewhere_leaves_the_mentorship_under_way():
    offer = make_mentor()
    mentee = person()
    mentorship = under_way(offer, mentee)
    block_create(blocker=mentee, blocked=person())
    block_create(blocker=offer.user, blocked=person())
    mentorship.refresh_from_db()
    assert mentorship.status == Status.ACTIVE
    assert Mentor.objects.get(pk=offer.pk).active_count == 1


def test_blocking_twice_frees_the_mentors_place_once():
    offer = make_mentor(capacity=3)
    first, second = person(), person()
    under_way(offer, first)
    under_way(offer, second)
    block_create(blocker=first, blocked=offer.user)
    block_create(blocker=first, blocked=offer.user)  # already blocked: nothing new happens
    assert Mentor.objects.get(pk=offer.pk).active_count == 1
    assert Mentorship.objects.filter(mentee=second, status=Status.ACTIVE).exists()
