"""A moderator's offer to mentor: made, changed or closed by them alone."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from portal.accounts.models import Language, Role, User
from portal.core.schedule import Window
from portal.mentors.models import Mentor, MentorSlot

NOT_ADULT = (
    "Mentors say they are 18 or older: set your age on your profile first. "
    "(Not saying counts as under 18 here.)"
)


def mentor_slots_refresh(*, mentor: Mentor) -> None:
    """Rewrite the rows of the mentor's availability that overlap queries read: its windows
    as written, in its timezone (placed in a week only when compared)."""
    MentorSlot.objects.filter(mentor=mentor).delete()
    MentorSlot.objects.bulk_create(
        MentorSlot.written(window, mentor.timezone, mentor=mentor) for window in mentor.windows
    )


@transaction.atomic
def mentor_offer_save(
    *,
    user: User,
    roles: Iterable[Role],
    languages: Iterable[Language],
    timezone: str,
    windows: list[Window],
    capacity: int,
    note: str,
    is_open: bool,
) -> Mentor:
    """Make or change the person's offer to mentor. Only adults (by their own word) mentor:
    everyone else is refused, whatever the form said."""
    if not user.profile.is_adult:
        raise PermissionDenied(NOT_ADULT)
    mentor = Mentor.objects.filter(user=user).first() or Mentor(user=user)
    mentor.timezone = timezone
    mentor.availability = [w.as_json() for w in windows]
    mentor.capacity = capacity
    mentor.note = note
    mentor.is_open = is_open
    mentor.full_clean(exclude=["user"])
    mentor.save()
    mentor.roles.set(roles)
    mentor.languages.set(languages)
    mentor_slots_refresh(mentor=mentor)
    return mentor
