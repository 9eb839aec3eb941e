"""Who may see or do what in mentoring: the one place that decides.

A mentorship is private to its mentor, its mentee and (when the mentee has not said they are
18 or older) its observer. Everyone else, staff included, gets a 404, so a mentorship does
not even admit it exists; staff read one only as its named observer, or once someone in it
asked staff to read it (and then with a second factor, as every staff tool asks). What
only the mentor may do (answer an ask) and what only the two of them may do (goals,
check-ins, ending) is refused to the others who know the mentorship with a 403 and the
reason.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.accounts.second_factor import require_second_factor
from portal.mentors.models import Mentorship


def mentorship_for(user, pk: int) -> tuple[Mentorship, str]:
    """The mentorship and the person's part in it ("mentor", "mentee", "observer"); 404
    for anyone else. One query."""
    mentorship = None
    if user.is_authenticated and user.is_active:
        readable = Mentorship.objects.involving(user)
        if user.is_staff:
            readable = readable | Mentorship.objects.filter(staff_asked_at__isnull=False)
        mentorship = (
            readable.select_related(
                "mentor__profile", "mentee__profile", "observer__profile", "conversation"
            )
            .filter(pk=pk)
            .first()
        )
    if mentorship is None:
        raise Http404("No such mentorship.")
    role = mentorship.role_of(user)
    if role == "staff":
        require_second_factor(user)
    return mentorship, role


def require_mentor(role: str, what: str = "do this") -> None:
    if role != "mentor":
        raise PermissionDenied(f"Only the mentor can {what}.")


def require_mentee(role: str, what: str = "do this") -> None:
    if role != "mentee":
        raise PermissionDenied(f"Only the person who asked can {what}.")


def require_pair(role: str, what: str = "do this") -> None:
    if role not in ("mentor", "mentee"):
        raise PermissionDenied(
            f"Only the mentor and the mentee can {what}; an observer or staff read along."
        )
