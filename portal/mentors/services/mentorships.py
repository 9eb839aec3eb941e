"""A mentorship from the ask to the end: asking, answering (accept or decline, with an
optional note), withdrawing an ask, ending with a reflection and reflecting afterwards.

Each is one atomic function that checks what it must itself (the views only find the rows):
blocks either way, the mentor's room and age, the mentee's word on theirs. The mentor's
counts of mentees under way and mentorships completed are kept in their offer's row here,
so the list and the profile read no counts.
"""

from __future__ import annotations

import contextlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from portal.accounts.models import User
from portal.accounts.selectors import blocked_either_way
from portal.core.once import AlreadyDone, insert_once
from portal.mentors.models import Mentor, Mentorship, Status
from portal.mentors.services.conversations import mentorship_conversation_open
from portal.mentors.services.notices import mentoring_notice

OPEN_NOTICE = (
    "You have not said you are 18 or older, so your mentorship will be open: a second "
    "mentor or a member of staff will be able to read your conversation with your mentor."
)


class MentoringRefused(ValidationError):
    """A mentoring action refused for a reason the person should read (403 with it)."""


def mentorship_touch(*, mentorship: Mentorship) -> None:
    Mentorship.objects.filter(pk=mentorship.pk).update(version=F("version") + 1)


@transaction.atomic
def mentorship_ask(
    *, mentee: User, mentor: Mentor, message: str, understood_open: bool = False
) -> Mentorship:
    """A new moderator asks a mentor. Refused when either blocks the other (the asker is
    told only that the mentor is not taking mentees), when the mentor has no room, and, for
    a mentee who has not said they are 18 or older, until they say they understand the
    mentorship will be open."""
    if mentor.user_id == mentee.pk:
        raise MentoringRefused("You cannot be your own mentor.")
    mentor = (
        Mentor.objects.select_for_update(of=("self",))
        .select_related("user__profile")
        .get(pk=mentor.pk)
    )
    taking = Mentor.objects.taking_mentees().filter(pk=mentor.pk).exists()
    if not taking or blocked_either_way(a_id=mentee.pk, b_id=mentor.user_id):
        raise MentoringRefused(f"{mentor.user.display_name} is not taking new mentees now.")
    observed = not mentee.profile.is_adult
    if observed and not understood_open:
        raise ValidationError({"understood": OPEN_NOTICE})
    mentorship = Mentorship(
        mentor_id=mentor.user_id, mentee=mentee, message=message.strip(), observed=observed
    )
    mentorship.full_clean(exclude=["mentor", "mentee"])
    if not insert_once(mentorship):
        done = Mentorship.objects.open().filter(mentor_id=mentor.user_id, mentee=mentee).first()
        raise AlreadyDone(
            f"You have already asked {mentor.user.display_name}, or they mentor you now.",
            done=done,
        )
    mentoring_notice(
        mentorship=mentorship,
        recipient=mentor.user,
        actor=mentee,
        message=f"{mentee.display_name} asked you to mentor them.",
        event="asked",
    )
    return mentorship


def observer_refusal(*, mentorship: Mentorship, observer: User | None) -> str:
    """Why this person cannot observe the mentorship, or "" when they can: staff, or a
    second mentor who is 18 or older, neither of the two, blocked by neither."""
    if observer is None:
        return "Choose who will read the conversation: a second mentor or a member of staff."
    if observer.pk in (mentorship.mentor_id, mentorship.mentee_id):
        return "The observer is someone other than the two of you."
    is_second_mentor = Mentor.objects.filter(user=observer).exists() and observer.profile.is_adult
    if not observer.is_active or not (observer.is_staff or is_second_mentor):
        return "The observer is a second mentor (18 or older) or a member of staff."
    if blocked_either_way(a_id=observer.pk, b_id=mentorship.mentee_id) or blocked_either_way(
        a_id=observer.pk, b_id=mentorship.mentor_id
    ):
        return "Choose another observer."
    return ""


@transaction.atomic
def mentorship_answer(
    *,
    mentorship: Mentorship,
    mentor: User,
    accept: bool,
    note: str = "",
    observer: User | None = None,
) -> Mentorship:
    """The mentor accepts or declines an ask, with an optional note. Accepting an observed
    mentorship names its observer; accepting takes one of the mentor's places."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if mentorship.mentor_id != mentor.pk:
        raise PermissionDenied("Only the mentor asked can answer.")
    if mentorship.status != Status.REQUESTED:
        raise AlreadyDone("This ask has been answered already.", done=mentorship)
    offer = Mentor.objects.select_for_update().get(user=mentor)
    if accept:
        if blocked_either_way(a_id=mentor.pk, b_id=mentorship.mentee_id):
            raise MentoringRefused("You cannot mentor this person.")
        if not offer.has_room or not mentor.profile.is_adult:
            raise MentoringRefused(
                "You have no room for another mentee: end a mentorship or take more at once."
            )
        if mentorship.observed:
            reason = observer_refusal(mentorship=mentorship, observer=observer)
            if reason:
                raise ValidationError({"observer": reason})
            mentorship.observer = observer
        mentorship.status = Status.ACTIVE
        Mentor.objects.filter(pk=offer.pk).update(active_count=F("active_count") + 1)
    else:
        mentorship.status = Status.DECLINED
    mentorship.answer_note = note.strip()
    mentorship.answered_at = timezone.now()
    mentorship.full_clean(exclude=["mentor", "mentee", "observer", "conversation"])
    mentorship.save()
    mentorship_touch(mentorship=mentorship)
    name = mentor.display_name
    mentoring_notice(
        mentorship=mentorship,
        recipient=mentorship.mentee,
        actor=mentor,
        message=f"{name} accepted your ask for a mentor."
        if accept
        else f"{name} declined your ask for a mentor.",
        event="accepted" if accept else "declined",
    )
    if accept:
        if mentorship.observer_id:
            mentoring_notice(
                mentorship=mentorship,
                recipient=mentorship.observer,
                actor=mentor,
                message=f"{name} asked you to observe their mentorship of "
                f"{mentorship.mentee.display_name}.",
                event="observing",
            )
        # The forums may refuse (a suspension, say): the mentorship goes on without it.
        with contextlib.suppress(ValidationError):
            mentorship_conversation_open(mentorship)
    return mentorship


@transaction.atomic
def mentorship_observer_name(*, mentorship: Mentorship, mentor: User, observer: User | None):
    """The mentor names the observer of an open mentorship under way that has none (the
    one named at the start left Modhall): they are told, and read its conversation from
    now on (added to it, or it is started now that someone reads it). Replacing an observer
    who is still there is not offered: a mentor must not be able to send away the person
    who reads along."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if mentorship.mentor_id != mentor.pk:
        raise PermissionDenied("Only the mentor names the observer.")
    if not mentorship.observed or mentorship.status != Status.ACTIVE:
        raise MentoringRefused("Only an open mentorship under way has an observer to name.")
    if mentorship.observer_id:
        raise AlreadyDone("This mentorship has its observer already.", done=mentorship)
    reason = observer_refusal(mentorship=mentorship, observer=observer)
    if reason:
        raise ValidationError({"observer": reason})
    mentorship.observer = observer
    mentorship.save(update_fields=["observer"])
    mentorship_touch(mentorship=mentorship)
    mentoring_notice(
        mentorship=mentorship,
        recipient=observer,
        actor=mentor,
        message=f"{mentor.display_name} asked you to observe their mentorship of "
        f"{mentorship.mentee.display_name}.",
        event="observing",
    )
    # As at the answer: the forums may refuse, and the mentorship goes on without it.
    with contextlib.suppress(ValidationError):
        mentorship_conversation_open(mentorship)
    return mentorship


@transaction.atomic
def mentorship_withdraw(*, mentorship: Mentorship, mentee: User) -> None:
    """The mentee takes back an ask not yet answered."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if mentorship.mentee_id != mentee.pk:
        raise PermissionDenied("Only the person who asked can take the ask back.")
    if mentorship.status != Status.REQUESTED:
        raise AlreadyDone("This ask has been answered already.", done=mentorship)
    mentorship.status = Status.WITHDRAWN
    mentorship.save(update_fields=["status"])
    mentorship_touch(mentorship=mentorship)


def _reflection_field(mentorship: Mentorship, user: User) -> str:
    if user.pk == mentorship.mentor_id:
        return "mentor_reflection"
    if user.pk == mentorship.mentee_id:
        return "mentee_reflection"
    raise PermissionDenied("Only the mentor and the mentee end a mentorship.")


@transaction.atomic
def mentorship_end(*, mentorship: Mentorship, by: User, reflection: str) -> Mentorship:
    """Either side ends a mentorship under way, with a short reflection; the mentor's place
    is free again and the mentorship counts as completed on their profile."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    field = _reflection_field(mentorship, by)
    if mentorship.status != Status.ACTIVE:
        raise AlreadyDone("This mentorship is not under way.", done=mentorship)
    setattr(mentorship, field, reflection.strip())
    mentorship.status = Status.ENDED
    mentorship.ended_at = timezone.now()
    mentorship.next_checkin_on = None
    mentorship.full_clean(exclude=["mentor", "mentee", "observer", "conversation"])
    mentorship.save()
    mentorship_touch(mentorship=mentorship)
    Mentor.objects.filter(user_id=mentorship.mentor_id).update(
        active_count=F("active_count") - 1, completed_count=F("completed_count") + 1
    )
    other = mentorship.mentee if by.pk == mentorship.mentor_id else mentorship.mentor
    mentoring_notice(
        mentorship=mentorship,
        recipient=other,
        actor=by,
        message=f"{by.display_name} ended your mentorship: add your reflection when you like.",
        event="ended",
    )
    return mentorship


@transaction.atomic
def mentorships_close_for_block(*, blocker: User, blocked: User) -> list[Mentorship]:
    """A block between a mentor and a mentee closes what is open between them, at once: a
    mentorship cannot go on between two people when one wants no contact. An ask not yet
    answered is withdrawn (the mentee blocked) or declined (the mentor did); a mentorship
    under way ends and frees the mentor's place, without counting as completed on their
    profile and without reflections. Nobody is told: a notice would tell the blocked person
    of the block; each sees the mentorship closed on its page."""
    pair = (Q(mentor=blocker) & Q(mentee=blocked)) | (Q(mentor=blocked) & Q(mentee=blocker))
    now = timezone.now()
    closed = list(Mentorship.objects.select_for_update().open().filter(pair))
    for mentorship in closed:
        if mentorship.status == Status.ACTIVE:
            mentorship.status, mentorship.ended_at = Status.ENDED, now
            mentorship.next_checkin_on = None
            Mentor.objects.filter(user_id=mentorship.mentor_id).update(
                active_count=F("active_count") - 1
            )
        else:
            mentee_blocked = blocker.pk == mentorship.mentee_id
            mentorship.status = Status.WITHDRAWN if mentee_blocked else Status.DECLINED
            mentorship.answered_at = mentorship.answered_at or now
        mentorship.version = F("version") + 1
        mentorship.save(
            update_fields=["status", "ended_at", "next_checkin_on", "answered_at", "version"]
        )
    return closed


@transaction.atomic
def mentorship_reflect(*, mentorship: Mentorship, by: User, reflection: str) -> Mentorship:
    """The other side's reflection on an ended mentorship (each writes theirs once)."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    field = _reflection_field(mentorship, by)
    if mentorship.status != Status.ENDED:
        raise MentoringRefused("Reflections are written when the mentorship ends.")
    if blocked_either_way(a_id=mentorship.mentor_id, b_id=mentorship.mentee_id):
        # Ended by a block (or blocked since): a reflection would reach the other person.
        raise MentoringRefused("This mentorship takes no more reflections.")
    if getattr(mentorship, field):
        raise AlreadyDone("You have written your reflection already.", done=mentorship)
    setattr(mentorship, field, reflection.strip())
    mentorship.full_clean(exclude=["mentor", "mentee", "observer", "conversation"])
    mentorship.save(update_fields=[field])
    mentorship_touch(mentorship=mentorship)
    return mentorship


@transaction.atomic
def mentorship_staff_ask(*, mentorship: Mentorship, by: User) -> Mentorship:
    """Someone in the mentorship asks Modhall staff to read it (a worry about how it goes):
    staff may open it from now on, read-only. Not told to the others in it, so a mentee
    can raise a worry about their mentor safely."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if mentorship.role_of(by) not in ("mentor", "mentee", "observer"):
        raise PermissionDenied("Only the people in a mentorship can ask staff to read it.")
    if mentorship.staff_asked_at is not None:
        raise AlreadyDone("Staff have been asked to read this mentorship already.", done=mentorship)
    mentorship.staff_asked_at = timezone.now()
    mentorship.staff_asked_by = by
    mentorship.save(update_fields=["staff_asked_at", "staff_asked_by"])
    mentorship_touch(mentorship=mentorship)
    return mentorship
