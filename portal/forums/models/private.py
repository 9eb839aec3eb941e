"""Who may read a private topic: the people in a private conversation, and the members of a
private category (a mod team's discussion area).

Private conversations are topics, as Discourse's private messages are: the same posts, the
same renderer, read state, notifications and limits, in one private category that is never
listed. A private topic (``Topic.is_private``) is left out of every public read by the
querysets themselves (``published()``, ``visible_to()``), so a list, search, feed or digest
written against them cannot show one; the conversation and team pages read private topics
through ``Topic.objects.private_for(viewer)`` instead, which asks these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.forums.models.topics import Category, Topic


class ParticipantQuerySet(models.QuerySet):
    def present(self) -> ParticipantQuerySet:
        """Those still in the conversation (leaving ends one's access at once)."""
        return self.filter(left_at__isnull=True)


class Participant(models.Model):
    """One person's place in a private conversation: a participant writes and reads; an
    observer (a mentorship's observer, say) reads, and is named to everyone in it."""

    class Kind(models.TextChoices):
        PARTICIPANT = "participant", "participant"
        OBSERVER = "observer", "observer"

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_places"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PARTICIPANT)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="participant_once")]
        # A person's conversation list reads their places, newest activity first.
        indexes = [
            models.Index(
                fields=["user", "topic"],
                condition=Q(left_at__isnull=True),
                name="participant_present",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} in {self.topic_id}"

    @property
    def is_observer(self) -> bool:
        return self.kind == self.Kind.OBSERVER


class CategoryMember(models.Model):
    """A reader of a private category: kept in step with a mod team's current members by the
    team's own services, so a removed member loses access at the moment they are removed."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="private_categories"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "user"], name="category_member_once")
        ]
        indexes = [models.Index(fields=["user", "category"], name="category_member_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} reads {self.category_id}"
