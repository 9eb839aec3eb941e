"""The recruitment board: channels, and (later) their openings and applications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from portal.accounts.models import Language
from portal.core.schedule import validate_timezone


class ChannelQuerySet(models.QuerySet):
    def with_owner(self) -> ChannelQuerySet:
        return self.select_related("owner", "owner__profile")


class Channel(models.Model):
    """A live-stream channel, registered on Modhall by the person who runs it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channels"
    )
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=90, unique=True)
    twitch_login = models.CharField("Twitch login", max_length=25)
    category = models.CharField(
        max_length=80, blank=True, help_text="What the channel mostly streams."
    )
    languages = models.ManyToManyField(Language, blank=True, related_name="channels")
    typical_viewers = models.PositiveIntegerField(
        default=0, help_text="Average concurrent viewers on a usual stream."
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    description = models.TextField(blank=True)
    description_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # One registration per Twitch channel, whatever the letter case.
            models.UniqueConstraint(Lower("twitch_login"), name="channel_twitch_login_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("board:channel", kwargs={"slug": self.slug})

    @property
    def is_verified(self) -> bool:
        """Verified when its owner proved, by logging in with Twitch, that they are it."""
        verified = self.owner.profile.twitch_login_verified
        return bool(verified) and verified == self.twitch_login.lower()
