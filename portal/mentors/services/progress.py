"""Working together: goals (a guide track among them, whose progress both see), the
check-in schedule the two agree, check-ins, and the reminder when one is due."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User
from portal.guides.models import Track
from portal.markup import render_markdown
from portal.mentors.models import CheckIn, Goal, Mentorship, Status
from portal.mentors.services.mentorships import MentoringRefused, mentorship_touch
from portal.mentors.services.notices import mentoring_notice


def _require_pair(mentorship: Mentorship, user: User) -> None:
    """Goals and check-ins are the mentor's and the mentee's (an observer reads them)."""
    if user.pk not in (mentorship.mentor_id, mentorship.mentee_id):
        raise PermissionDenied("Only the mentor and the mentee change the mentorship.")
    if mentorship.status != Status.ACTIVE:
        raise MentoringRefused("This mentorship is not under way.")


@transaction.atomic
def goal_add(*, mentorship: Mentorship, by: User, title: str, track: Track | None) -> Goal:
    _require_pair(mentorship, by)
    goal = Goal(mentorship=mentorship, title=title.strip() or (track.title if track else ""))
    goal.track = track
    goal.added_by = by
    goal.full_clean(exclude=["mentorship", "track", "added_by"])
    goal.save()
    mentorship_touch(mentorship=mentorship)
    return goal


@transaction.atomic
def goal_mark_done(*, goal: Goal, by: User, done: bool = True) -> Goal:
    _require_pair(goal.mentorship, by)
    goal.done_at = timezone.now() if done else None
    goal.save(update_fields=["done_at"])
    mentorship_touch(mentorship=goal.mentorship)
    return goal


@transaction.atomic
def checkin_schedule_set(
    *, mentorship: Mentorship, by: User, every_days: int | None, today: date | None = None
) -> Mentorship:
    """The rhythm the two agreed (every week, two or four weeks, or none): the next check-in
    falls due that many days from today."""
    _require_pair(mentorship, by)
    mentorship.checkin_every = every_days
    mentorship.schedule_next_checkin(after=today or timezone.localdate())
    mentorship.full_clean(exclude=["mentor", "mentee", "observer", "conversation"])
    mentorship.save(update_fields=["checkin_every", "next_checkin_on"])
    mentorship_touch(mentorship=mentorship)
    return mentorship


@transaction.atomic
def checkin_record(
    *, mentorship: Mentorship, by: User, note: str, today: date | None = None
) -> CheckIn:
    """A check-in: kept with the mentorship, the next one due a period from today, and the
    other side told."""
    _require_pair(mentorship, by)
    checkin = CheckIn(mentorship=mentorship, author=by, note=note.strip())
    checkin.note_html = render_markdown(checkin.note)
    checkin.full_clean(exclude=["mentorship", "author"])
    checkin.save()
    mentorship.schedule_next_checkin(after=today or timezone.localdate())
    Mentorship.objects.filter(pk=mentorship.pk).update(next_checkin_on=mentorship.next_checkin_on)
    mentorship_touch(mentorship=mentorship)
    other = mentorship.mentee if by.pk == mentorship.mentor_id else mentorship.mentor
    mentoring_notice(
        mentorship=mentorship,
        recipient=other,
        actor=by,
        message=f"{by.display_name} wrote a check-in.",
        event="checked_in",
    )
    return checkin


def checkin_reminders_send(*, today: date | None = None) -> int:
    """Tell both sides of every mentorship whose check-in is due (once per due date). Each
    mentorship is marked in its own short transaction, so a run that stops halfway resumes
    where it was and nobody is told twice."""
    today = today or timezone.localdate()
    told = 0
    due = list(
        Mentorship.objects.checkin_due(today=today)
        .select_related("mentor__profile", "mentee__profile")
        .order_by("pk")
    )
    for mentorship in due:
        with transaction.atomic():
            marked = (
                Mentorship.objects.checkin_due(today=today)
                .filter(pk=mentorship.pk)
                .update(reminded_for=mentorship.next_checkin_on)
            )
            if not marked:
                continue
            for person, other in (
                (mentorship.mentor, mentorship.mentee),
                (mentorship.mentee, mentorship.mentor),
            ):
                mentoring_notice(
                    mentorship=mentorship,
                    recipient=person,
                    actor=None,
                    message=f"A check-in with {other.display_name} is due.",
                    event="checkin_due",
                )
            told += 1
    return told
