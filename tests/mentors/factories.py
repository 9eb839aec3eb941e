"""Mentoring for tests: people who said their age, mentors with an offer, and mentorships
at each stage, made through the services as the pages make them."""

from __future__ import annotations

from portal.accounts.models import AgeGroup, Language, Role, User
from portal.core.schedule import parse_windows
from portal.mentors.models import Mentor, Mentorship
from portal.mentors.services import mentor_offer_save, mentorship_answer, mentorship_ask
from tests.factories import UserFactory


def person(
    *,
    adult: bool = True,
    timezone: str = "UTC",
    availability: str = "",
    roles: tuple[str, ...] = (),
    languages: tuple[str, ...] = (),
    display_name: str = "",
    **kwargs,
) -> User:
    user = UserFactory(**kwargs)
    profile = user.profile
    profile.display_name = display_name
    profile.age_group = AgeGroup.ADULT if adult else AgeGroup.NOT_STATED
    profile.timezone = timezone
    profile.availability = [w.as_json() for w in parse_windows(availability)]
    profile.save()
    profile.roles.set(Role.objects.filter(slug__in=roles))
    profile.languages.set(Language.objects.filter(code__in=languages))
    return user


def make_mentor(
    user: User | None = None,
    *,
    roles: tuple[str, ...] = ("chat-enforcer",),
    languages: tuple[str, ...] = ("en",),
    timezone: str = "UTC",
    availability: str = "Tue 18:00-21:00",
    capacity: int = 2,
    note: str = "",
    is_open: bool = True,
) -> Mentor:
    return mentor_offer_save(
        user=user or person(),
        roles=Role.objects.filter(slug__in=roles),
        languages=Language.objects.filter(code__in=languages),
        timezone=timezone,
        windows=parse_windows(availability),
        capacity=capacity,
        note=note,
        is_open=is_open,
    )


def asked(mentor: Mentor, mentee: User | None = None, message: str = "Help me") -> Mentorship:
    mentee = mentee or person()
    return mentorship_ask(
        mentee=mentee,
        mentor=mentor,
        message=message,
        understood_open=not mentee.profile.is_adult,
    )


def under_way(
    mentor: Mentor, mentee: User | None = None, observer: User | None = None
) -> Mentorship:
    mentorship = asked(mentor, mentee)
    return mentorship_answer(
        mentorship=mentorship, mentor=mentor.user, accept=True, observer=observer
    )
