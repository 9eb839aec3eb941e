"""The digest's "Mentoring" section: asks waiting for an answer, check-ins due, and
check-ins the other side wrote since the last digest; off with its switch."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from portal.digests.content import sections_build, targets_load
from portal.digests.mail import preferences_for
from portal.mentors.models import Mentorship
from portal.mentors.services import checkin_record

pytestmark = pytest.mark.django_db


def mentoring_items(user) -> list[str]:
    preferences_for(user)  # made on first need, as signing up does
    end = timezone.now() + timedelta(minutes=1)
    targets = targets_load(user_ids=[user.pk], window_end={user.pk: end})
    sections = sections_build(targets)[user.pk]
    return [item.title for s in sections if s.key == "mentoring" for item in s.items]


def test_the_mentor_reads_of_an_ask_waiting_and_a_check_in_due(circle):
    Mentorship.objects.filter(pk=circle.mentorship.pk).update(
        checkin_every=7, next_checkin_on=date.today()
    )
    items = mentoring_items(circle.mentor)
    assert f"{circle.asker.display_name} asks you to mentor them" in items
    assert f"A check-in with {circle.mentee.display_name} is due" in items


def test_the_mentee_reads_the_mentors_check_in_but_not_their_own(circle):
    checkin_record(mentorship=circle.mentorship, by=circle.mentor, note="Well done")
    assert mentoring_items(circle.mentee) == [f"{circle.mentor.display_name} wrote a check-in"]
    assert f"{circle.mentee.display_name} wrote a check-in" not in mentoring_items(circle.mentor)


def test_the_switch_leaves_the_section_out(circle):
    preferences = preferences_for(circle.mentor)
    preferences.digest_mentoring = False
    preferences.save()
    assert mentoring_items(circle.mentor) == []
