"""What readers do with the forums: reactions, how far they read, what they watch, and the
notifications they get."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.forums.models.posts import Post
from portal.forums.models.topics import Category, Status, Topic


class Reaction(models.Model):
    class Kind(models.TextChoices):
        HELPFUL = "helpful", "Helpful"
        THANKS = "thanks", "Thanks"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="reaction_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post_id}"


class ReadState(models.Model):
    """How far a person has read a topic: every post published up to ``last_read_at``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_read_states"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_states")
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="read_state_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.topic_id} to {self.last_read_at:%Y-%m-%d %H:%M}"


class Subscription(models.Model):
    """Watching a topic or a whole category: watch, normal or mute. A topic's own setting wins
    over its category's; with neither, a person is at "normal"."""

    class Level(models.TextChoices):
        WATCHING = "watching", "Watch: notify me of every new post"
        NORMAL = "normal", "Normal: notify me only of mentions"
        MUTED = "muted", "Mute: never notify me, and leave it out of my lists"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=True) ^ Q(category__isnull=True),
                name="subscription_topic_xor_category",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"],
                condition=Q(topic__isnull=False),
                name="subscription_topic_once",
            ),
            models.UniqueConstraint(
                fields=["user", "category"],
                condition=Q(category__isnull=False),
                name="subscription_category_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.level} {self.topic_id or self.category_id}"


class NotificationQuerySet(models.QuerySet):
    def for_reader(self, user) -> NotificationQuerySet:
        """A person's notifications that still point at something they may see: a post
        hidden since is left out, except the moderation notice that explains it."""
        return self.filter(recipient=user).filter(
            Q(post__isnull=True)
            | Q(kind=Notification.Kind.MODERATION)
            | Q(post__status=Status.PUBLISHED, post__topic__status=Status.PUBLISHED)
        )

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", "replied in a topic you watch"
        NEW_TOPIC = "new_topic", "started a topic in a category you watch"
        MENTION = "mention", "mentioned you"
        ACCEPTED = "accepted", "accepted your answer"
        REACTION = "reaction", "reacted to your post"
        MODERATION = "moderation", "moderation"
        MENTORING = "mentoring", "mentoring"
        MESSAGE = "message", "wrote to you in a private conversation"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_notifications"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # What happened, in words (moderation decisions and their reasons, reaction kinds, a
    # mentoring ask or answer).
    message = models.TextField(blank=True)
    # Where a notice about something outside the forums leads (a mentorship's page), as a
    # path on Modhall, so the forums need not know the apps that tell people things.
    path = models.CharField(max_length=300, blank=True)
    # Replies to one watched topic are gathered into one unread notification.
    count = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"

    def get_absolute_url(self) -> str:
        if self.path:
            return self.path
        if self.kind == self.Kind.MESSAGE and self.post_id:
            return reverse("conversations:message", kwargs={"pk": self.post_id})
        if self.post_id:
            return reverse("forums:post", kwargs={"pk": self.post_id})
        return reverse("forums:index")
