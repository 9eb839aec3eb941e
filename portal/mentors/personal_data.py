"""What mentoring holds about a person: their offer to mentor, their mentorships (their own
part of each: the ask they wrote or the answer they gave, their reflection), the goals they
set and the check-ins they wrote (portal/core/personal_data.py)."""

from __future__ import annotations

from django.db.models import F, Q

from portal.accounts.models import User
from portal.core.personal_data import Leaving, PersonalData, delete_in_chunks
from portal.mentors.models import CheckIn, Goal, Mentor, Mentorship, MentorSlot, Status


def _offer(user: User) -> list[dict]:
    return [
        {
            "roles": [role.name for role in m.roles.all()],
            "languages": [language.name for language in m.languages.all()],
            "timezone": m.timezone,
            "availability": [str(w) for w in m.windows],
            "mentees_at_once": m.capacity,
            "note": m.note,
            "taking_new_mentees": m.is_open,
            "mentorships_completed": m.completed_count,
            "created_at": m.created_at,
        }
        for m in Mentor.objects.filter(user=user).prefetch_related("roles", "languages")
    ]


def _mentorships(user: User) -> list[dict]:
    rows = []
    for m in Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user) | Q(observer=user)):
        part = m.role_of(user)
        row = {
            "your_part": part,
            "status": m.get_status_display(),
            "open_mentorship": m.observed,
            "requested_at": m.requested_at,
            "answered_at": m.answered_at,
            "ended_at": m.ended_at,
        }
        if m.staff_asked_by_id == user.pk:
            row["you_asked_staff_to_read_it_at"] = m.staff_asked_at
        if part == "mentee":
            row |= {"your_ask": m.message, "your_reflection": m.mentee_reflection}
        elif part == "mentor":
            row |= {"your_answer_note": m.answer_note, "your_reflection": m.mentor_reflection}
        rows.append(row)
    return rows


def _offer_erase(leaving: Leaving) -> None:
    # The offer goes with its slots; the recognition it earned goes with the person.
    Mentor.objects.filter(user_id=leaving.user_id).delete()


def _mentorships_erase(leaving: Leaving) -> None:
    # A mentee who leaves frees their mentor's place; the mentor keeps the count of the
    # mentorships they completed (it is theirs), not the record of who with.
    active = Mentorship.objects.filter(mentee_id=leaving.user_id, status=Status.ACTIVE)
    for mentor_id in list(active.values_list("mentor_id", flat=True)):
        Mentor.objects.filter(user_id=mentor_id, active_count__gt=0).update(
            active_count=F("active_count") - 1
        )
    delete_in_chunks(
        Mentorship.objects.filter(Q(mentor_id=leaving.user_id) | Q(mentee_id=leaving.user_id))
    )
    # An observer who leaves is no longer named: the mentorship stays with the two.
    Mentorship.objects.filter(observer_id=leaving.user_id).update(observer=None)
    Mentorship.objects.filter(staff_asked_by_id=leaving.user_id).update(staff_asked_by=None)


def _goals_erase(leaving: Leaving) -> None:
    Goal.objects.filter(added_by_id=leaving.user_id).update(added_by=None)


def _checkins_erase(leaving: Leaving) -> None:
    delete_in_chunks(CheckIn.objects.filter(author_id=leaving.user_id))


def _goals(user: User) -> list[dict]:
    return list(
        Goal.objects.filter(added_by=user).values("title", "track__title", "done_at", "created_at")
    )


def _checkins(user: User) -> list[dict]:
    return list(CheckIn.objects.filter(author=user).values("id", "note", "created_at"))


PERSONAL_DATA = [
    PersonalData(
        model="mentors.Mentor",
        title="your offer to mentor",
        export=_offer,
        erase=_offer_erase,
    ),
    PersonalData(
        model="mentors.MentorSlot",
        title="when you mentor",
        not_exported_because="listed with your offer to mentor",
        erase=lambda leaving: MentorSlot.objects.filter(mentor__user_id=leaving.user_id).delete(),
    ),
    PersonalData(
        model="mentors.Mentorship",
        title="your mentorships",
        export=_mentorships,
        erase=_mentorships_erase,
    ),
    PersonalData(
        model="mentors.Goal",
        title="mentoring goals you set",
        export=_goals,
        erase=_goals_erase,
    ),
    PersonalData(
        model="mentors.CheckIn",
        title="your mentoring check-ins",
        export=_checkins,
        markdown="note",
        erase=_checkins_erase,
    ),
]
