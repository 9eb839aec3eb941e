"""The coverage grid's rows: the channel's weekly stream schedule, who signed up to cover
which dated stream, swaps, the gaps the leads were told of, each member's private calendar
feed, and the team's Discord webhook.

A stream slot is a WeeklySlot (portal/core/models.py): kept as written in the channel's
timezone ("Fri 20:00-23:00 in Europe/Berlin") and placed in the week being looked at, so it
is at the right hour on both sides of a daylight-saving change.

Sign-ups are per dated stream ("Fri 12 Dec"), not per weekly slot: people cover the streams
they can, a swap hands over one evening and not a standing promise, a gap is one stream
nobody covers, and a calendar lists dated events. A sign-up names the person, not their
membership row: it counts only while they are on the team and only from the day they
(re)joined (``CoverSignupQuerySet.standing``), so removing a member uncovers their streams at
once, and coming back does not bring old promises back.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from portal.core.models import WeeklySlot
from portal.teams.models.team import Membership, Team

MAX_NEEDED = 10


class StreamSlot(WeeklySlot):
    """One weekly stream of the channel, in the channel's timezone (see WeeklySlot), and how
    many moderators it needs."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="stream_slots")
    needed = models.PositiveSmallIntegerField("moderators needed", default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["local_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(local_start__lt=models.F("local_end"), weekday__lte=6),
                name="stream_slot_starts_before_end",
            ),
            models.CheckConstraint(
                condition=models.Q(needed__gte=1, needed__lte=MAX_NEEDED),
                name="stream_slot_needs_someone",
            ),
        ]


class CoverSignupQuerySet(models.QuerySet):
    def standing(self) -> CoverSignupQuerySet:
        """Sign-ups of people on the team now, made since they last joined it."""
        return self.filter(
            Exists(
                Membership.objects.current().filter(
                    team_id=OuterRef("slot__team_id"),
                    user_id=OuterRef("user_id"),
                    joined_at__lte=OuterRef("created_at"),
                )
            )
        )


class CoverSignup(models.Model):
    """A member covering one dated stream. ``on`` is the stream's date in the slot's own
    timezone (the day it starts there), whatever the reader's timezone."""

    slot = models.ForeignKey(StreamSlot, on_delete=models.CASCADE, related_name="signups")
    on = models.DateField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cover_signups"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CoverSignupQuerySet.as_manager()

    class Meta:
        ordering = ["on", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "on", "user"], name="one_signup_per_stream"),
        ]
        indexes = [models.Index(fields=["user", "on"], name="signup_by_person")]

    def __str__(self) -> str:
        return f"{self.user} covers {self.slot.window} on {self.on}"


class SwapRequestQuerySet(models.QuerySet):
    def open(self) -> SwapRequestQuerySet:
        return self.filter(closed_at__isnull=True)


class SwapOutcome(models.TextChoices):
    TAKEN = "taken", "taken"
    WITHDRAWN = "withdrawn", "withdrawn"


class SwapRequest(models.Model):
    """A member asking someone else to take one of their streams. Until another member takes
    it, the stream stays theirs (so it is not a gap); taking it moves the sign-up."""

    signup = models.ForeignKey(CoverSignup, on_delete=models.CASCADE, related_name="swaps")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="swaps_asked"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="swaps_taken",
    )
    outcome = models.CharField(max_length=10, choices=SwapOutcome.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = SwapRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["signup"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_swap_per_signup",
            )
        ]

    def __str__(self) -> str:
        return f"Swap of {self.signup}"


class GapNotice(models.Model):
    """The leads were told nobody covers this dated stream: once per gap, whatever happens
    to it afterwards."""

    slot = models.ForeignKey(StreamSlot, on_delete=models.CASCADE, related_name="gap_notices")
    on = models.DateField()
    noticed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slot", "on"], name="one_notice_per_gap"),
        ]

    def __str__(self) -> str:
        return f"Gap told: {self.slot.window} on {self.on}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A member's private calendar address for one team: whoever has the token reads that
    member's sign-ups, so it can be made new (the old address stops) or turned off. It
    answers only while the member is on the team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="calendar_feeds")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    # Also list the team's whole schedule (each stream, covered or not), not only mine.
    with_schedule = models.BooleanField("also show the team's whole schedule", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_feed_per_member"),
        ]

    def __str__(self) -> str:
        return f"Calendar of {self.user} for {self.team}"


class DiscordWebhook(models.Model):
    """Where the team's news goes in Discord. The address is a secret (whoever has it can
    post to the team's mod channel as the webhook): it is kept encrypted (``url_sealed``,
    portal/teams/discord.py), never rendered back (pages show its last characters only), and
    it is not in the admin or any export."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="discord_webhook")
    url_sealed = models.TextField()
    tail = models.CharField(max_length=8)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    connected_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)
    # Posts given up on since the last one that went through; at DISCORD_FAILURES_TO_STOP
    # the webhook is switched off and the leads are told.
    failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    switched_off_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Discord webhook …{self.tail} of {self.team}"
