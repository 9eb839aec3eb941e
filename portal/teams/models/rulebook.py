"""The team's rulebook: numbered versions, each whole (the public rules chat sees, the
escalation ladder, and the procedures only the team reads), with who published it and why,
and who on the team has read it.

A version is never edited: a change is a new version, so "I've read version 7" always means
the same text, and the difference between two versions can be shown exactly. Only the
owner and lead moderators publish (the lead moderator track: "the streamer signs off, the
lead keeps it up to date"); members bring changes to a debrief or the team's discussion.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from portal.markup import validate_markdown
from portal.teams.models.team import Team

# The platform's limits on a timeout (DOMAIN.md, "Timeouts"): 1 second to 2 weeks, 10
# minutes when no length is given. A 1-second timeout is how a moderator clears a person's
# messages without keeping them out.
TIMEOUT_SHORTEST = 1
TIMEOUT_LONGEST = 14 * 24 * 60 * 60
TIMEOUT_DEFAULT = 10 * 60

MAX_LADDER_STEPS = 10


class LadderAction(models.TextChoices):
    """What a moderator does at a step of the ladder, in the platform's own terms."""

    REMINDER = "reminder", "Friendly reminder in chat"
    DELETE = "delete", "Delete the message"
    WARNING = "warning", "Warning (the chatter must acknowledge it before chatting again)"
    TIMEOUT = "timeout", "Timeout"
    BAN = "ban", "Ban"


def timeout_words(seconds: int) -> str:
    """A timeout's length as moderators say it: "10 minutes", "2 weeks", "1 second"."""
    for size, unit in ((7 * 86400, "week"), (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


class RulebookVersionQuerySet(models.QuerySet):
    def with_author(self) -> RulebookVersionQuerySet:
        return self.select_related("author", "author__profile")


class RulebookVersion(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rulebook_versions")
    number = models.PositiveIntegerField()
    public_rules = models.TextField(
        "Public rules",
        validators=[validate_markdown],
        help_text="What chat sees, on the channel's page and linked from its openings. "
        "Markdown. Short, plain and positive where you can.",
    )
    public_rules_html = models.TextField(editable=False, blank=True)
    team_rules = models.TextField(
        "Team procedures",
        blank=True,
        validators=[validate_markdown],
        help_text="Only the team reads this: how the rules are applied, examples, special "
        "cases, who decides what. Markdown.",
    )
    team_rules_html = models.TextField(editable=False, blank=True)
    # Whether chat may read the ladder beside the rules; many channels say plainly what a
    # broken rule earns, others keep it to the team.
    ladder_is_public = models.BooleanField(
        "Show the escalation ladder with the public rules", default=False
    )
    change_note = models.CharField(
        "What changed and why",
        max_length=300,
        help_text="One line the team reads in the history and in their email, "
        "e.g. “Backseating: tips are fine when the streamer asks chat for help.”",
    )
    # Kept when the author leaves or deletes their account: the version is the team's; it then
    # reads "a former member".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rulebook_versions",
    )
    published_at = models.DateTimeField(default=timezone.now)

    objects = RulebookVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["team", "number"], name="one_rulebook_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.team.channel} rulebook, version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "teams:rulebook_version", kwargs={"slug": self.team.slug, "number": self.number}
        )

    def changes_url(self) -> str:
        return reverse(
            "teams:rulebook_changes", kwargs={"slug": self.team.slug, "number": self.number}
        )


class LadderStep(models.Model):
    """One rung of the escalation ladder: what earns it, and what the moderator does."""

    version = models.ForeignKey(RulebookVersion, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=10, choices=LadderAction.choices)
    timeout_seconds = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(TIMEOUT_SHORTEST), MaxValueValidator(TIMEOUT_LONGEST)],
    )
    earns_it = models.CharField("What earns it", max_length=300)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="one_ladder_step_per_place"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(action="timeout", timeout_seconds__gte=TIMEOUT_SHORTEST)
                    & models.Q(timeout_seconds__lte=TIMEOUT_LONGEST)
                )
                | (~models.Q(action="timeout") & models.Q(timeout_seconds__isnull=True)),
                name="ladder_timeout_within_platform_limits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.what}: {self.earns_it}"

    def clean(self) -> None:
        if self.action == LadderAction.TIMEOUT and self.timeout_seconds is None:
            raise ValidationError({"timeout_seconds": "Say how long the timeout lasts."})
        if self.action != LadderAction.TIMEOUT:
            self.timeout_seconds = None

    @property
    def what(self) -> str:
        """The action in words, a timeout with its length."""
        if self.action == LadderAction.TIMEOUT and self.timeout_seconds:
            return f"Timeout, {timeout_words(self.timeout_seconds)}"
        return self.get_action_display()


class RulebookAcknowledgement(models.Model):
    """A member said "I've read version N"."""

    version = models.ForeignKey(
        RulebookVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rulebook_reads"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_read_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.version}"
