"""What Modhall keeps from Twitch beyond the login, and only by the person's consent.

- ``TwitchGrant``: a permission the person gave on Twitch's consent page for one job (verify
  where I moderate; import my channel's mod team). It holds the code and tokens only while
  that job runs: the job deletes it when it finishes, whatever the outcome, and revokes the
  token on Twitch. Tokens are never rendered, exported or shown in the admin.
- ``ModerationHistory`` and ``ModeratedChannel``: the channels Twitch said the person
  moderates, when it said so, and which of them the person lets others see.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Purpose(models.TextChoices):
    """What a grant is for, and so which scopes it asks for (nothing more)."""

    MODERATION_HISTORY = "history", "verify where I moderate"
    TEAM_IMPORT = "team_import", "import my channel's mod team"


# Least privilege: each purpose asks Twitch for exactly the scopes its calls need, only when
# the person starts it (the login itself asks for user:read:email alone).
SCOPES = {
    Purpose.MODERATION_HISTORY: ["user:read:moderated_channels"],  # Get Moderated Channels
    Purpose.TEAM_IMPORT: ["moderation:read", "channel:read:vips"],  # Get Moderators, Get VIPs
}


class TwitchGrant(models.Model):
    """One consent, for one job, kept while the job runs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="twitch_grants"
    )
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    # For an import: the board channel (its id; teams, above this app, reads it).
    channel_id = models.PositiveIntegerField(null=True, blank=True)
    # The Twitch account the person's Modhall account is connected to (allauth's uid): the
    # token must be that account's, or nothing is read.
    twitch_user_id = models.CharField(max_length=32)
    # Secrets, never shown: the one-time code until it is exchanged, then the tokens.
    code = models.CharField(max_length=200, blank=True)
    redirect_uri = models.CharField(max_length=500)
    access_token = models.CharField(max_length=200, blank=True)
    refresh_token = models.CharField(max_length=200, blank=True)
    # Refreshed once per job at most: a second 401 means the person revoked it.
    refreshed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose"], name="twitch_grant_by_person")]

    def __str__(self) -> str:
        # Never the tokens.
        return f"{self.get_purpose_display()} for user {self.user_id}"


class Status(models.TextChoices):
    """Where the last check stands. The last good result stays shown whatever this is."""

    CHECKING = "checking", "Checking with Twitch"
    CHECKED = "checked", "Checked"
    RECONNECT = "reconnect", "Twitch no longer accepts Modhall's permission"
    UNAVAILABLE = "unavailable", "Twitch did not answer"
    WRONG_ACCOUNT = "wrong_account", "Approved with another Twitch account"


class ModerationHistory(models.Model):
    """The person's verified moderation history: Twitch's word on where they moderate."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_history"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKING)
    # The last time Twitch answered in full, and how many channels it listed then (kept in the
    # row so the directory and applications show it with no extra query). None until then.
    checked_at = models.DateTimeField(null=True, blank=True)
    channel_count = models.PositiveIntegerField(default=0)
    # Others see the channels' names only when the person chose to show them (and each one
    # can still be hidden); the count and the date are what "verified" means.
    show_channels = models.BooleanField("show the channels on my profile", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "moderation histories"

    def __str__(self) -> str:
        return f"Moderation history of user {self.user_id}"

    @property
    def is_verified(self) -> bool:
        return self.checked_at is not None


class ModeratedChannel(models.Model):
    """A channel Twitch said the person moderates, at the last check."""

    history = models.ForeignKey(
        ModerationHistory, on_delete=models.CASCADE, related_name="channels"
    )
    # Twitch's id survives a rename; the login and name are as Twitch gave them last.
    broadcaster_id = models.CharField(max_length=32)
    broadcaster_login = models.CharField(max_length=25)
    broadcaster_name = models.CharField(max_length=100)
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["broadcaster_login", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["history", "broadcaster_id"], name="moderated_channel_once"
            )
        ]

    def __str__(self) -> str:
        return self.broadcaster_name or self.broadcaster_login
