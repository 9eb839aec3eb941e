"""What forum moderators work with: the review queue's flags, the log of their actions,
suspensions, and the hold filter's terms."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.forums.hold import (
    HOLD_CATEGORIES,
    MAX_LEVEL,
    Term,
    parse_term,
)
from portal.forums.models.posts import Post
from portal.forums.models.topics import Topic


class FlagQuerySet(models.QuerySet):
    def open(self) -> FlagQuerySet:
        return self.filter(resolved_at__isnull=True)


class Flag(models.Model):
    """One item in the review queue: a post held by the filter, or a person's report."""

    class Kind(models.TextChoices):
        HOLD = "hold", "Held for review"
        REPORT = "report", "Reported"

    class Reason(models.TextChoices):
        FILTER = "filter", "Matched the hold filter"
        SPAM = "spam", "Spam"
        HARASSMENT = "harassment", "Harassment"
        HARMFUL_ADVICE = "harmful_advice", "Harmful advice"
        OTHER = "other", "Something else"

    class Resolution(models.TextChoices):
        APPROVED = "approved", "Approved"
        DENIED = "denied", "Denied"
        HIDDEN = "hidden", "Post hidden"
        DISMISSED = "dismissed", "Report dismissed"
        DELETED = "deleted", "Post deleted"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    # What the filter matched, or what the reporter wrote.
    details = models.TextField(blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="forum_reports",
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["resolved_at", "created_at"], name="flag_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(resolved_at__isnull=True, kind="report"),
                name="flag_one_open_report_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: post {self.post_id}"


class ModerationAction(models.Model):
    """The moderation log: every action a forum moderator takes, with the reason."""

    class Action(models.TextChoices):
        APPROVE = "approve", "approved a held post"
        DENY = "deny", "denied a held post"
        HIDE = "hide", "hid a post"
        UNHIDE = "unhide", "restored a hidden post"
        DELETE = "delete", "deleted a post"
        DISMISS = "dismiss", "dismissed a report"
        PIN = "pin", "pinned a topic"
        UNPIN = "unpin", "unpinned a topic"
        LOCK = "lock", "locked a topic"
        UNLOCK = "unlock", "unlocked a topic"
        CLOSE = "close", "closed a topic"
        REOPEN = "reopen", "reopened a topic"
        MOVE = "move", "moved a topic"
        SUSPEND = "suspend", "suspended a person from posting"
        LIFT = "lift", "lifted a suspension"
        # The holding rules (services/holding.py): what changed is in ``details``.
        HOLD_LEVELS = "hold_level", "changed a category's hold levels"
        TERM_ADD = "term_add", "added a filter term"
        TERM_CHANGE = "term_edit", "changed a filter term"
        TERM_REMOVE = "term_del", "removed a filter term"

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Whose post or account the action was about.",
    )
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.moderator_id} {self.get_action_display()}"


class ConversationRead(models.Model):
    """The log of private conversations read through a report: a forum moderator or member of
    staff who is not in a conversation reads it only while a report on one of its messages
    is open (selectors/conversations.py), and each page of it they are shown is written
    down, so who read whose conversation, and why, can always be told (as the board logs
    staff reading applications: board.StaffRead). Never edited or deleted; the log outlives
    what it is about, so its links go empty rather than taking the row with them."""

    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    topic = models.ForeignKey(
        Topic, null=True, on_delete=models.SET_NULL, related_name="reads_by_report"
    )
    report = models.ForeignKey(
        Flag, null=True, on_delete=models.SET_NULL, related_name="conversation_reads"
    )
    # Which page of the conversation was shown (its messages, 1 the first).
    page = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "conversation read through a report"

    def __str__(self) -> str:
        return f"{self.reader_id} read conversation {self.topic_id} (page {self.page})"


class SuspensionQuerySet(models.QuerySet):
    def active(self) -> SuspensionQuerySet:
        return self.filter(lifted_at__isnull=True, until__gt=timezone.now())


class Suspension(models.Model):
    """A person may not post (start topics, reply or edit) until a date, for a reason they see."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_suspensions"
    )
    until = models.DateTimeField()
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "until"], name="suspension_active")]

    def __str__(self) -> str:
        return f"{self.user} until {self.until:%Y-%m-%d}"

    def clean(self) -> None:
        if self._state.adding and self.until and self.until <= timezone.now():
            raise ValidationError({"until": "A suspension ends in the future."})

    def lift(self, *, by) -> None:
        self.lifted_at = timezone.now()
        self.lifted_by = by


TERM_ALREADY_LISTED = "This term is already on that list."


class FilterTerm(models.Model):
    """A blocked or permitted term, edited by forum moderators on their holding rules page
    (private: shown to nobody else on the site). Blocked with no category: held anywhere.
    Blocked with a category and a level: an addition to that category's word list.
    Permitted: overrides both."""

    class Action(models.TextChoices):
        BLOCK = "block", "Blocked (hold for review)"
        PERMIT = "permit", "Permitted (never hold for this)"

    text = models.CharField(
        max_length=200,
        help_text="“*” at the start or end of a word is a wildcard; several words match a post "
        "containing all of them.",
    )
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.BLOCK)
    category = models.CharField(
        max_length=20,
        blank=True,
        choices=HOLD_CATEGORIES,
        help_text="Leave empty for a site-wide term.",
    )
    level = models.PositiveSmallIntegerField(
        default=1,
        validators=[MaxValueValidator(MAX_LEVEL)],
        help_text="With a category: the lowest level that holds it (1 = held even at level 1).",
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="Why it is here (only forum moderators see it)."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "category", "text"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="permit") | Q(category=""), name="filter_permit_site_wide"
            ),
            models.UniqueConstraint(fields=["text", "action", "category"], name="filter_term_once"),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.action == self.Action.PERMIT and self.category:
            raise ValidationError({"category": "Permitted terms are site-wide."})
        if self.level < 1:
            raise ValidationError({"level": "Levels go from 1 to 4."})
        try:
            self.text = parse_term(self.text).text
        except ValidationError as exc:
            raise ValidationError({"text": exc.messages}) from exc

    def as_term(self) -> Term:
        return parse_term(self.text, category=self.category, level=self.level)
