"""Email preferences: what each person wants to receive, and how often.

Every email Modhall sends on its own initiative (digests and notifications) has a kind, and
each kind can be switched off with one click from the email itself (see mail.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EmailKind(models.TextChoices):
    DIGEST = "digest", "your digest of what is new"
    FORUM_REPLIES = "forum_replies", "replies in forum topics you watch"
    FORUM_MENTIONS = "forum_mentions", "mentions of you in the forums"
    APPLICATION_UPDATES = "application_updates", "updates on your applications"
    NEW_APPLICATIONS = "new_applications", "new applications to your openings"
    OPENING_REMINDERS = "opening_reminders", "reminders before your openings expire"
    INVITATIONS = "invitations", "invitations from channels to apply"
    MODERATION = "moderation", "decisions about your posts and reports"
    TEAM = "team", "news from your mod teams"
    MENTORING = "mentoring", "mentoring: asks, answers and check-ins due"
    MESSAGES = "messages", "private messages to you"


# The preference field behind each notification kind (the digest has its own frequency).
KIND_FIELDS: dict[str, str] = {
    EmailKind.FORUM_REPLIES: "email_forum_replies",
    EmailKind.FORUM_MENTIONS: "email_forum_mentions",
    EmailKind.APPLICATION_UPDATES: "email_application_updates",
    EmailKind.NEW_APPLICATIONS: "email_new_applications",
    EmailKind.OPENING_REMINDERS: "email_opening_reminders",
    EmailKind.INVITATIONS: "email_invitations",
    EmailKind.MODERATION: "email_moderation",
    EmailKind.TEAM: "email_team",
    EmailKind.MENTORING: "email_mentoring",
    EmailKind.MESSAGES: "email_messages",
}


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class DigestFrequency(models.TextChoices):
    OFF = "off", "Never"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class EmailPreferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    digest_frequency = models.CharField(
        max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )
    digest_weekday = models.PositiveSmallIntegerField(
        default=0,
        choices=list(enumerate(WEEKDAYS)),
        help_text="For weekly digests.",
    )
    digest_hour = models.PositiveSmallIntegerField(
        default=8,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        help_text="In your profile's timezone.",
    )
    email_forum_replies = models.BooleanField("Replies in topics I watch", default=True)
    email_forum_mentions = models.BooleanField("Mentions of me", default=True)
    email_application_updates = models.BooleanField("Updates on my applications", default=True)
    email_new_applications = models.BooleanField("New applications to my openings", default=True)
    email_opening_reminders = models.BooleanField(
        "Reminders before my openings expire", default=True
    )
    email_invitations = models.BooleanField("Invitations to apply", default=True)
    email_moderation = models.BooleanField("Moderation decisions about my posts", default=True)
    email_team = models.BooleanField(
        "News from my mod teams (places offered, rulebook versions, gaps to cover)", default=True
    )
    email_mentoring = models.BooleanField(
        "Mentoring (asks, answers and check-ins due)", default=True
    )
    email_messages = models.BooleanField("Private messages", default=True)
    # What a digest includes.
    digest_forums = models.BooleanField("Forum topics and categories I watch", default=True)
    digest_openings = models.BooleanField("New openings that fit me", default=True)
    digest_guides = models.BooleanField("Guide lessons new or updated for my roles", default=True)
    digest_applications = models.BooleanField("New applications to my openings", default=True)
    digest_team = models.BooleanField("What happened in my mod teams", default=True)
    digest_mentoring = models.BooleanField("My mentorships: asks and check-ins", default=True)
    digest_messages = models.BooleanField(
        "Private conversations with messages I have not read", default=True
    )
    # When the next digest is due, in UTC (see schedule.py); NULL when digests are off. The
    # beat job selects on it, so due people are found by one indexed range query.
    next_digest_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "email preferences"

    def __str__(self) -> str:
        return f"Email preferences of {self.user}"

    def save(self, *args, **kwargs) -> None:
        # Everyone who can get a digest has one scheduled, however the row is made: a person's
        # first notification or an invitation creates it on the way, and the beat job selects
        # on next_digest_at alone, so a row left without one would never get a digest.
        if self.digest_frequency == DigestFrequency.OFF:
            self.next_digest_at = None
        elif self.next_digest_at is None:
            self.next_digest_at = self.first_due()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "next_digest_at" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "next_digest_at"]
        super().save(*args, **kwargs)

    def first_due(self):
        from django.utils import timezone

        from portal.digests.schedule import next_due

        profile = getattr(self.user, "profile", None)
        return next_due(
            frequency=self.digest_frequency,
            weekday=self.digest_weekday,
            hour=self.digest_hour,
            tz_name=getattr(profile, "timezone", None) or "UTC",
            after=timezone.now(),
        )

    def wants(self, kind: str) -> bool:
        if kind == EmailKind.DIGEST:
            return self.digest_frequency != DigestFrequency.OFF
        return getattr(self, KIND_FIELDS[kind])


class Digest(models.Model):
    """One person's digest for one period: the record that makes sending exactly-once.

    It is unique per person and period and is locked while its email is sent; a task that
    runs twice, a redelivered message or a second worker finds it sent (or skipped) and
    moves on.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending (a send failed; will retry)"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped (nothing new)"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    period = models.CharField(max_length=20)  # "d:2026-11-24" or "w:2026-W48", local dates
    due_at = models.DateTimeField()
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    item_count = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="one_digest_per_period")
        ]
        indexes = [models.Index(fields=["user", "-window_end"])]

    def __str__(self) -> str:
        return f"Digest {self.period} for {self.user_id} ({self.status})"
