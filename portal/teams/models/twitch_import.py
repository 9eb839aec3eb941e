"""The last reading of a channel's moderators and VIPs from Twitch, kept for its team so the
owner can invite them (portal/teams/twitch_import.py)."""

from __future__ import annotations

from django.db import models

from portal.teams.models.team import Team
from portal.twitch.models import Status


class TwitchImport(models.Model):
    """What Twitch said last, and when. People are kept as Twitch gave them (id, login,
    display name, moderator or VIP): Twitch's public facts about the channel, no Modhall
    account. Who of them has a Modhall account is worked out when the page is read, by
    Twitch id (which survives a rename), never by login."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="twitch_import")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKING)
    checked_at = models.DateTimeField(null=True, blank=True)
    # [{"twitch_id", "login", "name", "moderator": bool, "vip": bool}], sorted by login.
    people = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Twitch import for {self.team}"
