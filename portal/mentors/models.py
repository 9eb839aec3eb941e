"""Mentoring: experienced moderators who offer to guide new ones, and the mentorships
between them (the ask, its answer, goals, check-ins on an agreed schedule, a private
conversation and an end with a reflection from each side).

A mentor's availability is kept as written, like a moderator's on their profile (a
``WeeklySlot`` per window, in the mentor's timezone), and placed in the week being looked at
when it is compared (portal/core/weeks.py), so suggestions stay right across clock changes.

A mentee who has not said they are 18 or older is mentored in the open: the mentorship has
an observer (a second mentor or a member of staff) who reads its conversation. Who may see
or do what is decided in one place, ``permissions.py``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Language, Role
from portal.core.models import WeeklySlot
from portal.core.schedule import Window, validate_timezone

# Completed mentorships that earn each recognition on the mentor's profile, highest first.
RECOGNITIONS = [(10, "Guiding light"), (5, "Seasoned mentor"), (1, "Mentor")]


class MentorQuerySet(models.QuerySet):
    def taking_mentees(self) -> MentorQuerySet:
        """Mentors open to a new mentee now: they said so, have room, are still 18 or older
        by their own word and still have an account."""
        return self.filter(
            is_open=True,
            active_count__lt=models.F("capacity"),
            user__is_active=True,
            user__profile__age_group="adult",
        )


class Mentor(models.Model):
    """A moderator's offer to mentor: what they mentor, in which languages, when, and how
    many mentees at once. One per person; stopping keeps it (closed) with its record."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_offer"
    )
    roles = models.ManyToManyField(Role, related_name="mentors")
    languages = models.ManyToManyField(Language, related_name="mentors")
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    # The windows as written, [weekday, "HH:MM", "HH:MM"] lists in ``timezone``; the same
    # windows as rows (MentorSlot) are kept beside them, as a profile's are.
    availability = models.JSONField(default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        "mentees at once",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    note = models.CharField(max_length=300, blank=True)
    is_open = models.BooleanField("taking new mentees", default=True)
    # Kept by the mentorship services, so the list and the capacity check read no counts.
    active_count = models.PositiveSmallIntegerField(default=0, editable=False)
    completed_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentorQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Mentor offer of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("mentors:ask", kwargs={"mentor_id": self.pk})

    @property
    def windows(self) -> list[Window]:
        return [Window.from_json(w) for w in self.availability]

    @property
    def has_room(self) -> bool:
        return self.active_count < self.capacity

    @property
    def recognition(self) -> str:
        """The badge completed mentorships earn, or "" before the first."""
        return next((name for least, name in RECOGNITIONS if self.completed_count >= least), "")


class MentorSlot(WeeklySlot):
    """One window of a mentor's availability, as written in their timezone (WeeklySlot)."""

    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="slots")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(local_start__lt=models.F("local_end"), weekday__lte=6),
                name="mentor_slot_starts_before_end",
            )
        ]


class Status(models.TextChoices):
    REQUESTED = "requested", "Asked"
    ACTIVE = "active", "Under way"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ENDED = "ended", "Ended"


OPEN = [Status.REQUESTED, Status.ACTIVE]


class CheckInEvery(models.IntegerChoices):
    WEEK = 7, "Every week"
    TWO_WEEKS = 14, "Every two weeks"
    MONTH = 28, "Every four weeks"


class MentorshipQuerySet(models.QuerySet):
    def open(self) -> MentorshipQuerySet:
        return self.filter(status__in=OPEN)

    def involving(self, user) -> MentorshipQuerySet:
        """Those the person is in: as mentor, mentee or observer."""
        return self.filter(models.Q(mentor=user) | models.Q(mentee=user) | models.Q(observer=user))

    def checkin_due(self, *, today: date) -> MentorshipQuerySet:
        """Under way, with a check-in due by today that nobody was reminded of yet."""
        return self.filter(status=Status.ACTIVE, next_checkin_on__lte=today).filter(
            models.Q(reminded_for__isnull=True)
            | models.Q(reminded_for__lt=models.F("next_checkin_on"))
        )


class Mentorship(models.Model):
    """One mentee with one mentor, from the ask to the end."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_given"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_received"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    # What the mentee wrote when asking (plain text, shown escaped).
    message = models.TextField(max_length=1000, blank=True)
    # The mentor's optional note with their answer.
    answer_note = models.CharField(max_length=500, blank=True)
    # Set when the mentee has not said they are 18 or older: mentored in the open.
    observed = models.BooleanField(default=False)
    # Who reads an observed mentorship's conversation: a second mentor or a member of staff.
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentorships_observed",
    )
    # When someone in the mentorship asked Modhall staff to read it (a worry, a safeguarding
    # concern): from then on staff may open its page, read-only, as an observer does.
    staff_asked_at = models.DateTimeField(null=True, blank=True, editable=False)
    staff_asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The private conversation (services/conversations.py), once one could be started.
    conversation = models.ForeignKey(
        "forums.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checkin_every = models.PositiveSmallIntegerField(
        "check in", choices=CheckInEvery.choices, null=True, blank=True
    )
    next_checkin_on = models.DateField(null=True, blank=True)
    # The due date the last reminder was sent for, so each due check-in is told once.
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    mentor_reflection = models.TextField(max_length=2000, blank=True)
    mentee_reflection = models.TextField(max_length=2000, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Moved by every service that changes what the mentorship's page shows.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One ask or mentorship under way between the same two people at a time.
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=models.Q(status__in=["requested", "active"]),
                name="one_open_mentorship_per_pair",
            ),
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")), name="mentorship_not_oneself"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_checkin_on"], name="mentorship_checkin_due"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} mentored by {self.mentor} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("mentors:mentorship", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def conversation_url(self) -> str:
        """Where the conversation is read (the forums' conversation page), or "" while none
        could be started. Reversed without a fallback: a renamed page fails loudly here
        rather than hiding the link."""
        if not self.conversation_id:
            return ""
        return reverse("conversations:detail", kwargs={"pk": self.conversation_id})

    def schedule_next_checkin(self, *, after: date) -> None:
        self.next_checkin_on = (
            after + timedelta(days=self.checkin_every) if self.checkin_every else None
        )

    def role_of(self, user) -> str:
        """ "mentor", "mentee", "observer" or "" for this person."""
        if user.pk == self.mentor_id:
            return "mentor"
        if user.pk == self.mentee_id:
            return "mentee"
        if self.observer_id and user.pk == self.observer_id:
            return "observer"
        if self.staff_asked_at and user.is_staff:
            return "staff"
        return ""


class Goal(models.Model):
    """Something the two mean to reach together; a guide track, when it names one, shows
    both people's progress through it."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    track = models.ForeignKey(
        "guides.Track", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class CheckIn(models.Model):
    """A check-in: how things went since the last one, in a few lines by either side."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="checkins")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(max_length=2000)
    note_html = models.TextField(editable=False)  # rendered once, when saved (portal/markup.py)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Check-in on {self.mentorship_id}"
