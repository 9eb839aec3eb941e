"""What mentoring holds about a person goes into their export (their own part only) and
goes with their account; the other side keeps what is theirs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.accounts.leaving.deletion import account_deletion_request, account_deletion_run
from portal.core.personal_data import registry
from portal.mentors.models import CheckIn, Goal, Mentor, Mentorship
from portal.mentors.services import checkin_record, goal_add
from tests.mentors.factories import make_mentor, person, under_way

pytestmark = pytest.mark.django_db


def exported(user, model: str) -> list[dict]:
    entry = next(e for e in registry() if e.model == model)
    return entry.export(user)


def delete_account(user) -> None:
    asked = account_deletion_request(user=user, remove_posts=False)
    assert account_deletion_run(deletion_id=asked.pk, now=asked.due_at + timedelta(minutes=1))


def test_the_export_holds_the_persons_offer_and_their_own_part_of_each_mentorship(circle):
    goal_add(mentorship=circle.mentorship, by=circle.mentee, title="Calm raids", track=None)
    checkin_record(mentorship=circle.mentorship, by=circle.mentee, note="My **own** words")
    checkin_record(mentorship=circle.mentorship, by=circle.mentor, note="The mentor's words")
    [offer] = exported(circle.mentor, "mentors.Mentor")
    assert offer["availability"] == ["Tue 18:00-21:00"] and offer["mentees_at_once"] == 3
    [part] = exported(circle.mentee, "mentors.Mentorship")
    assert part["your_part"] == "mentee" and part["your_ask"] == "Help me"
    assert "your_answer_note" not in part
    assert [g["title"] for g in exported(circle.mentee, "mentors.Goal")] == ["Calm raids"]
    notes = [c["note"] for c in exported(circle.mentee, "mentors.CheckIn")]
    assert notes == ["My **own** words"]
    observed = exported(circle.observer, "mentors.Mentorship")
    assert [row["your_part"] for row in observed] == ["observer"]


def test_a_mentee_who_leaves_frees_their_mentors_place_and_their_rows_go(circle):
    checkin_record(mentorship=circle.mentorship, by=circle.mentee, note="Mine")
    delete_account(circle.mentee)
    assert not Mentorship.objects.filter(pk=circle.mentorship.pk).exists()
    assert not CheckIn.objects.exists()
    offer = Mentor.objects.get(user=circle.mentor)
    assert offer.active_count == 0  # the waiting ask never took a place


def test_a_mentor_who_leaves_takes_their_offer_and_mentorships(circle):
    goal_add(mentorship=circle.mentorship, by=circle.mentee, title="Calm raids", track=None)
    delete_account(circle.mentor)
    assert not Mentor.objects.filter(user=circle.mentor).exists()
    assert not Mentorship.objects.filter(mentor=circle.mentor).exists()
    assert not Goal.objects.exists()


def test_an_observer_who_leaves_is_no_longer_named(circle):
    delete_account(circle.observer)
    circle.mentorship.refresh_from_db()
    assert circle.mentorship.observer is None
    assert circle.mentorship.status == "active"


def test_goals_someone_set_stay_with_the_mentorship_without_their_name():
    mentor = make_mentor()
    mentee = person()
    mentorship = under_way(mentor, mentee)
    goal_add(mentorship=mentorship, by=mentor.user, title="Set a rhythm", track=None)
    entry = next(e for e in registry() if e.model == "mentors.Goal")
    from portal.core.personal_data import Leaving

    entry.erase(Leaving(user_id=mentor.user_id, username=mentor.user.username))
    assert Goal.objects.get().added_by is None
