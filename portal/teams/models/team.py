"""A channel's mod team: who is on it, at what level, playing which roles, and what happened
in it (the team's events, which feed its page, its members' email and the digest).

Everything here is private to the team except the members who agreed to be listed, whom the
channel's public page shows. Who may see or change what is decided in one place,
``permissions.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role
from portal.board.models import Channel


class Team(models.Model):
    """The team of one channel; made for the channel when first needed (services.team_for)."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="team")
    created_at = models.DateTimeField(auto_now_add=True)
    # Moved (F("version") + 1) by every service that changes what the team's pages show, so
    # a cached part of them can key on it.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The team's discussion: a private forum category (topics, replies, mentions, read state
    # and notifications are the forums' own) whose members are kept in step with the team's
    # by services/discussion.py. Made the first time a member opens it.
    discussion = models.OneToOneField(
        "forums.Category",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="team",
    )

    def __str__(self) -> str:
        return f"Mod team of {self.channel}"

    def get_absolute_url(self) -> str:
        return reverse("teams:home", kwargs={"slug": self.channel.slug})

    @property
    def slug(self) -> str:
        return self.channel.slug


class Level(models.TextChoices):
    """A member's place on the team, from most to least trusted. The owner is the streamer;
    leads run the team with them (invite, remove, assign, approve the rulebook); a trial
    member is on the team until a date, when a lead records how the trial went."""

    OWNER = "owner", "Owner"
    LEAD = "lead", "Lead moderator"
    MODERATOR = "moderator", "Moderator"
    TRIAL = "trial", "Trial moderator"


# Levels that run the team.
LEADING = [Level.OWNER, Level.LEAD]


class MembershipQuerySet(models.QuerySet):
    def current(self) -> MembershipQuerySet:
        """On the team now: a removed member's row stays for the team's history only."""
        return self.filter(removed_at__isnull=True)

    def listed(self) -> MembershipQuerySet:
        """Current members who agreed to be shown on the channel's public page."""
        return self.current().filter(listed=True, user__is_active=True)

    def for_roster(self) -> MembershipQuerySet:
        return (
            self.select_related("user", "user__profile")
            .prefetch_related("roles")
            .order_by("level_order", "joined_at", "pk")
        )


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.MODERATOR)
    # The level's rank (0 owner … 3 trial), kept beside it so the roster sorts in SQL.
    level_order = models.PositiveSmallIntegerField(default=2, editable=False)
    roles = models.ManyToManyField(Role, blank=True, related_name="team_memberships")
    # Shown on the channel's public page only when the member agreed to it.
    listed = models.BooleanField("show me on the channel's page", default=False)
    joined_at = models.DateTimeField(default=timezone.now)
    # For a trial member: the day the trial ends, when a lead records its outcome.
    trial_ends_on = models.DateField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            # One row per person and team; a removed member invited back gets it back.
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team"),
        ]
        indexes = [models.Index(fields=["user", "removed_at"], name="membership_by_person")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.get_level_display()})"

    def save(self, *args, **kwargs) -> None:
        self.level_order = list(Level.values).index(self.level)
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.removed_at is None

    @property
    def leads(self) -> bool:
        """Runs the team (the owner or a lead moderator)."""
        return self.is_current and self.level in LEADING


class EventKind(models.TextChoices):
    JOINED = "joined", "joined the team"
    PLACE_CHANGED = "place_changed", "place on the team changed"
    LEFT = "left", "left the team"
    REMOVED = "removed", "was removed from the team"
    TRIAL_ENDED = "trial_ended", "trial ended"
    APPLICATION = "application", "new application"
    RULEBOOK = "rulebook", "new rulebook version"
    DEBRIEF = "debrief", "new debrief"
    COVERAGE_GAP = "coverage_gap", "coverage gap"
    SWAP = "swap", "swap asked"
    ONBOARDING = "onboarding", "onboarding"
    OFFER = "offer", "place offered"
    TRIAL_ENDING = "trial_ending", "trial ending soon"
    DISCORD = "discord", "Discord webhook"


class TeamEvent(models.Model):
    """Something that happened in the team, told once: to members on the team's page, by
    email to those who asked for team news, in the digest's "your team" section and, when
    the team connected one, to its Discord channel. Written only by
    ``services.team_event_record``."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    # One line, already written for people ("Sam joined the team as Moderator."): no user
    # text beyond names and titles, so it is safe to email and post anywhere as plain text.
    summary = models.CharField(max_length=300)
    # Where to read more, a path on Modhall (the team's page when empty).
    path = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Told to leads only (a new application, a gap to fill), or to the whole team.
    leads_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["team", "-created_at"], name="team_event_newest")]

    def __str__(self) -> str:
        return self.summary

    def get_absolute_url(self) -> str:
        return self.path or self.team.get_absolute_url()
