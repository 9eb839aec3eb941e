from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.factories import UserFactory
from tests.mentors.factories import asked, make_mentor, person, under_way


@pytest.fixture
def circle(db) -> SimpleNamespace:
    """An open mentorship under way (a mentee who has not said they are 18 or older, a
    second mentor observing), an ask waiting for the same mentor's answer, another member
    and staff."""
    mentor = make_mentor(capacity=3)
    second = make_mentor()
    mentee = person(adult=False)
    mentorship = under_way(mentor, mentee, observer=second.user)
    waiting = asked(mentor, person())
    return SimpleNamespace(
        offer=mentor,
        mentor=mentor.user,
        mentee=mentee,
        observer=second.user,
        asker=waiting.mentee,
        mentorship=mentorship,
        waiting=waiting,
        other=person(),
        staff=UserFactory(is_staff=True),
    )
