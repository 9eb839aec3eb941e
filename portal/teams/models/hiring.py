"""Joining a team: the offer of a place, which the person accepts or declines, and the
reminder a team's leads get before a trial member's trial ends.

An offer is made when a channel's owner accepts an application (or moves it to trial), when
a lead invites someone from the moderator directory, or when a channel's moderators are
brought in from Twitch. Nobody is put on a team without saying yes: the person sees the
offer in "Your mod teams" and answers it there, within OFFER_DAYS of it being made.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role
from portal.teams.models.team import Level, Membership, Team


class OfferStatus(models.TextChoices):
    OPEN = "open", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired unanswered"


# How long an offer waits for its answer: two weeks from when it is made (or changed). Long
# enough for someone who moderates a few evenings a week, or is away for a week, to see the
# email and answer; short enough that a place is not held for someone who has moved on, and
# that the leads' "Offers waiting for an answer" stays true. The leads can offer again.
OFFER_DAYS = 14


def offer_expiry() -> datetime:
    """When an offer made now expires."""
    return timezone.now() + timedelta(days=OFFER_DAYS)


class OfferQuerySet(models.QuerySet):
    def open(self) -> OfferQuerySet:
        """Not answered, withdrawn or marked expired (the state the constraint reads)."""
        return self.filter(status=OfferStatus.OPEN)

    def waiting(self, now: datetime | None = None) -> OfferQuerySet:
        """Open and not past its expiry: what can still be answered (the hourly job marks
        the others expired; until it runs they are open but no longer listed)."""
        return self.open().filter(expires_at__gt=now or timezone.now())

    def past_expiry(self, now: datetime | None = None) -> OfferQuerySet:
        return self.open().filter(expires_at__lte=now or timezone.now())


class Offer(models.Model):
    """A place on a team offered to one person, at a level and with roles to play."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="offers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_offers"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.MODERATOR)
    roles = models.ManyToManyField(Role, blank=True, related_name="team_offers")
    # For a trial place: the day the trial ends, as the lead chose it.
    trial_ends_on = models.DateField(null=True, blank=True)
    # And how long that made the trial, in days from the day the offer was made (or last
    # changed): what the trial keeps when the offer is accepted later (``trial_end_if_accepted``).
    trial_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # The board application the offer answers, when it came from one (kept as a plain link:
    # the application belongs to its applicant and the channel's owner, not to the team).
    application = models.ForeignKey(
        "board.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_offers",
    )
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    # Open until then (OFFER_DAYS after it was made or last changed); accepting it later is
    # refused, and the hourly job marks it expired.
    expires_at = models.DateTimeField(default=offer_expiry)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open offer per person and team: a second one changes the first.
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=models.Q(status="open"),
                name="one_open_offer_per_team",
            )
        ]
        indexes = [models.Index(fields=["user", "status"], name="offer_by_person")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} place on {self.team} for {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("teams:offer", kwargs={"pk": self.pk})

    def trial_end_if_accepted(self, on: date | None = None) -> date | None:
        """The day the trial ends if the person accepts ``on`` that day (today).

        An offer waits OFFER_DAYS for its answer, so an end day the lead chose two weeks ahead
        can be reached before the person says yes, leaving a trial of a day or none. The rule:
        the trial keeps the length the lead gave it, counted from the acceptance (an offer
        accepted the day it is made ends on the day chosen; one accepted 12 days later, 12 days
        after it). Never earlier than the day chosen. Offers made before the length was kept
        end on their day."""
        if self.trial_ends_on is None or self.trial_days is None:
            return self.trial_ends_on
        on = on or timezone.localdate()
        return max(self.trial_ends_on, on + timedelta(days=self.trial_days))

    @property
    def trial_end_moved(self) -> bool:
        """Whether accepting today ends the trial later than the day the offer names."""
        return self.trial_end_if_accepted() != self.trial_ends_on

    @property
    def is_open(self) -> bool:
        return self.status == OfferStatus.OPEN

    @property
    def has_expired(self) -> bool:
        """Marked expired, or open past its expiry (before the hourly job marks it)."""
        return self.status == OfferStatus.EXPIRED or (
            self.is_open and self.expires_at <= timezone.now()
        )


class TrialReminder(models.Model):
    """That the leads were reminded of a trial ending on a day: once per trial end date, so
    the daily job never tells them twice (and tells them again if the trial is extended)."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="trial_reminders"
    )
    trial_ends_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "trial_ends_on"], name="one_reminder_per_trial_end"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder: trial of {self.membership_id} ends {self.trial_ends_on}"
