"""An open mentorship whose observer is gone gets a new one from its mentor, who then reads
its conversation (added to the one under way as an observer, or it starts now), named to
everyone in it; a mentor cannot swap out an observer who is still there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.accounts.services import block_create
from portal.forums.models import Notification, Participant, Post
from portal.mentors.models import Mentorship
from tests.factories import UserFactory
from tests.forums.pages import signed_in
from tests.mentors.factories import make_mentor, person, under_way

pytestmark = pytest.mark.django_db


def observer_gone(mentorship: Mentorship) -> Mentorship:
    """What the observer's leaving Modhall leaves behind: no observer named, no place in the
    conversation (portal/mentors/personal_data.py, portal/forums/personal_data.py)."""
    Participant.objects.filter(topic=mentorship.conversation, user=mentorship.observer).delete()
    Mentorship.objects.filter(pk=mentorship.pk).update(observer=None)
    return Mentorship.objects.get(pk=mentorship.pk)


def name_observer(mentorship: Mentorship, by, username: str):
    return signed_in(by).post(
        reverse("mentors:observer", kwargs={"pk": mentorship.pk}),
        {"observer-observer": username},
    )


@pytest.fixture
def open_mentorship():
    mentor = make_mentor()
    mentorship = under_way(mentor, person(adult=False), observer=make_mentor().user)
    return observer_gone(mentorship)


def test_an_observer_named_later_reads_the_conversation_under_way(open_mentorship):
    m = open_mentorship
    page = signed_in(m.mentor).get(m.get_absolute_url()).content.decode()
    assert "Nobody observes this mentorship now" in page
    staff = UserFactory(username="kind_staff", is_staff=True)

    response = name_observer(m, m.mentor, "@kind_staff")

    assert response.status_code == 302
    m.refresh_from_db()
    assert m.observer == staff
    place = Participant.objects.get(topic=m.conversation, user=staff)
    assert place.is_observer and place.left_at is None
    assert Notification.objects.filter(recipient=staff, message__contains="observe").exists()
    # They read it, and cannot write in it; the mentee sees who reads along.
    conversation = signed_in(staff).get(m.conversation_url)
    assert conversation.status_code == 200
    assert "Observers read this conversation" in conversation.content.decode()
    seen_by_mentee = signed_in(m.mentee).get(m.conversation_url).content.decode()
    assert f"This conversation is visible to {staff.display_name}" in seen_by_mentee


def test_naming_an_observer_starts_a_conversation_that_had_none(open_mentorship):
    m = open_mentorship
    Mentorship.objects.filter(pk=m.pk).update(conversation=None)
    second = make_mentor().user
    assert name_observer(m, m.mentor, second.username).status_code == 302
    m.refresh_from_db()
    assert m.conversation is not None
    assert Participant.objects.get(topic=m.conversation, user=second).is_observer
    assert Post.objects.filter(topic=m.conversation).count() == 1  # the mentor's hello


def test_only_the_mentor_names_an_observer_and_not_someone_either_blocks(open_mentorship):
    m = open_mentorship
    second = make_mentor().user
    assert name_observer(m, m.mentee, second.username).status_code == 403
    block_create(blocker=m.mentee, blocked=second)
    refused = name_observer(m, m.mentor, second.username)
    assert refused.status_code == 400
    assert "Choose another observer." in refused.content.decode()
    assert name_observer(m, m.mentor, "nobody_here").status_code == 400
    m.refresh_from_db()
    assert m.observer is None
    assert not Participant.objects.filter(topic=m.conversation, kind="observer").exists()


def test_an_observer_still_there_is_not_replaced():
    mentor = make_mentor()
    first = make_mentor().user
    m = under_way(mentor, person(adult=False), observer=first)
    response = name_observer(m, mentor.user, make_mentor().user.username)
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.observer == first
    assert list(
        Participant.objects.filter(topic=m.conversation, kind="observer").values_list(
            "user", flat=True
        )
    ) == [first.pk]


def test_someone_who_left_the_conversation_comes_back_as_an_observer(open_mentorship):
    from portal.forums.services import conversation_observer_add

    m = open_mentorship
    staff = UserFactory(is_staff=True)
    Participant.objects.create(topic=m.conversation, user=staff, left_at=m.answered_at)
    place = conversation_observer_add(conversation=m.conversation, observer=staff)
    assert place.is_observer and place.left_at is None
    # Someone taking part in it is not turned into an observer.
    with pytest.raises(Exception, match="take part"):
        conversation_observer_add(conversation=m.conversation, observer=m.mentee)
