"""Onboarding a new member: guide tracks a lead assigns them, and the channel's own
checklist ("read our rulebook", "set up two-factor login", "join the mod channel") each
member ticks for themselves.

A lead sees a member's progress on the tracks assigned to them only (read through the
guides' ``assigned_progress`` selector, which is asked for those tracks alone); the member
is told so when they are offered a place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.teams.models.team import Membership, Team


class TrackAssignment(models.Model):
    """A guide track a lead asked a member to work through."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="track_assignments"
    )
    track = models.ForeignKey(
        "guides.Track", on_delete=models.CASCADE, related_name="team_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "track"], name="one_assignment_per_track")
        ]

    def __str__(self) -> str:
        return f"{self.track_id} for {self.membership_id}"


class ChecklistItem(models.Model):
    """One step of the channel's own onboarding checklist, the same for every member."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="checklist_items")
    text = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class ChecklistTick(models.Model):
    """A member's own tick on a step of their team's checklist."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="checklist_ticks"
    )
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="ticks")
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "item"], name="one_tick_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} done by {self.membership_id}"
