"""The forums: categories, topics and posts, what readers do with them (reactions, read state,
watching, notifications) and what forum moderators do (review, reports, the log, suspensions).

Visibility is decided in one place, the querysets' ``visible_to`` (with the rules spelled out
in permissions.py): a post is published, held (awaiting review), hidden by a moderator, or
deleted. Everyone sees published posts in published topics; authors also see their own held
and hidden posts, marked; forum moderators see everything. A topic's status is always its
opening post's, so a held opening post holds the whole topic.

Counts shown in lists (replies, latest activity) are kept on the topic by the services and
recomputed from the posts on every change (``services.topic_stats_refresh``), so a list of
10,000 topics never counts posts per row; a post keeps its reaction counts the same way.

Categories, topics and posts carry a ``version``: every service that changes the row moves it
(``F("version") + 1``, in the same UPDATE; a category's kept count and latest topic are the
exception, see ``Category.version``). Pages cache what they render of a row under a key that
holds its version (``{% cache … post.pk post.version … %}`` in templates/forums/), so a write
gets exactly the fragments of the rows it changed rendered afresh, and nothing is ever
deleted from the cache by hand: an entry under an old version simply ages out.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role
from portal.forums.hold import (
    HOLD_CATEGORIES,
    HOLD_CATEGORY_KEYS,
    MAX_LEVEL,
    OVERALL_LEVEL_3,
    Term,
    parse_term,
)
from portal.markup import validate_markdown

POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 30


class Status(models.TextChoices):
    PUBLISHED = "published", "published"
    HELD = "held", "awaiting review"
    HIDDEN = "hidden", "hidden by a moderator"
    DELETED = "deleted", "deleted"


def _version_field() -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Moved by every change to the row: the key of its cached fragments.",
    )


def _level_field(key: str, label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        f"hold: {label.lower()}",
        default=OVERALL_LEVEL_3[key],
        validators=[MaxValueValidator(MAX_LEVEL)],
        help_text="0 holds nothing; 4 holds the most.",
    )


class CategoryQuerySet(models.QuerySet):
    def with_activity(self) -> CategoryQuerySet:
        """Each category with its latest published topic, in one query that reads no other
        topic: the count and the latest topic are kept on the category by
        ``services.category_stats_refresh``, so the forum index costs the same with 40 topics
        or 40,000."""
        return self.select_related("latest_topic")


class Category(models.Model):
    """A forum category, seeded by a migration and edited by staff in the admin."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # The guide track's role this category discusses (one category per role track).
    role = models.OneToOneField(
        Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="forum_category"
    )
    is_qa = models.BooleanField(
        "Q&A",
        default=False,
        help_text="Questions: the asker or a moderator marks an accepted answer.",
    )
    staff_only_posting = models.BooleanField(
        default=False, help_text="Only staff and forum moderators start topics and reply."
    )
    hold_disability = _level_field("disability", "Disability")
    hold_sexuality = _level_field("sexuality", "Sexuality, sex or gender")
    hold_misogyny = _level_field("misogyny", "Misogyny")
    hold_race = _level_field("race", "Race, ethnicity or religion")
    hold_sex_terms = _level_field("sex_terms", "Sex-based terms")
    hold_aggression = _level_field("aggression", "Aggression")
    hold_bullying = _level_field("bullying", "Bullying")
    hold_swearing = _level_field("swearing", "Swearing")

    # Kept by services.category_stats_refresh whenever a topic is published, taken down,
    # restored, moved or gets a new published post: the forum index reads them instead of
    # counting every topic on every view.
    topic_count = models.PositiveIntegerField(default=0, editable=False)
    latest_topic = models.ForeignKey(
        "Topic",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The published topic with the most recent activity.",
    )
    # What staff edit (its name shows on every row of the latest list); the kept count and
    # latest topic above are recounted on every post and move it not.
    version = _version_field()

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"hold_{key}__lte": MAX_LEVEL}), name=f"category_hold_{key}_max"
            )
            for key in HOLD_CATEGORY_KEYS
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:category", kwargs={"slug": self.slug})

    @property
    def hold_levels(self) -> dict[str, int]:
        return {key: getattr(self, f"hold_{key}") for key in HOLD_CATEGORY_KEYS}


def _visible_q(viewer, *, prefix: str = "") -> Q:
    """Published, or the viewer's own held or hidden (never their deleted) rows."""
    published = Q(**{f"{prefix}status": Status.PUBLISHED})
    if not viewer.is_authenticated:
        return published
    own = Q(**{f"{prefix}author": viewer, f"{prefix}status__in": [Status.HELD, Status.HIDDEN]})
    return published | own


# What a row of a topic list reads (templates/forums/includes/topic_row.html, whose cache key
# holds the versions of the rows it shows: the topic's, its category's and the two people's
# profiles' ``updated_at``; selectors.attach_read_marks).
LISTED_COLUMNS = (
    *("category", "author", "title", "slug", "status", "last_posted_at", "last_post_by"),
    *("reply_count", "is_pinned", "is_locked", "is_closed", "accepted_answer", "version"),
    *("category__name", "category__slug", "category__version"),
    *("author__username", "author__profile__display_name", "author__profile__updated_at"),
    *("last_post_by__username", "last_post_by__profile__display_name"),
    "last_post_by__profile__updated_at",
)


class TopicQuerySet(models.QuerySet):
    def published(self) -> TopicQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, viewer) -> TopicQuerySet:
        from portal.forums.permissions import is_forum_moderator

        if is_forum_moderator(viewer):
            return self.all()
        return self.filter(_visible_q(viewer))

    def listed(self) -> TopicQuerySet:
        """What a topic list shows: the category and the people, without N+1, and only the
        columns a row shows (forums/includes/topic_row.html): the full rows of two people and
        their profiles (bios included) for each of 30 topics cost more to read and to turn
        into objects than the rest of the page's queries."""
        return (
            self.select_related("category", "author__profile", "last_post_by__profile")
            .only(*LISTED_COLUMNS)
            .order_by("-last_posted_at")
        )

    def unanswered(self) -> TopicQuerySet:
        return self.filter(reply_count=0, is_closed=False, is_locked=False)

    def not_muted_by(self, viewer) -> TopicQuerySet:
        """Leave out topics the viewer muted, and topics in categories they muted (unless they
        watch the topic itself)."""
        if not viewer.is_authenticated:
            return self
        topic_level = Subscription.objects.filter(user=viewer, topic=OuterRef("pk"))
        category_muted = Subscription.objects.filter(
            user=viewer, category=OuterRef("category"), level=Subscription.Level.MUTED
        )
        return self.exclude(Exists(topic_level.filter(level=Subscription.Level.MUTED))).exclude(
            Q(Exists(category_muted)) & ~Q(Exists(topic_level))
        )


class Topic(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    # PROTECT: people are deactivated, never deleted, so a discussion keeps its voices.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_topics"
    )
    title = models.CharField(max_length=140, validators=[MinLengthValidator(5)])
    slug = models.SlugField(max_length=80)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(default=timezone.now)
    # Kept by services.topic_stats_refresh from the published posts.
    last_posted_at = models.DateTimeField(default=timezone.now)
    last_post_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reply_count = models.PositiveIntegerField(default=0)
    is_pinned = models.BooleanField(default=False)
    # Locked: frozen while moderators look (no replies, edits, reactions or answers).
    is_locked = models.BooleanField(default=False)
    # Closed: the discussion is finished; it stays as it is but takes no new replies.
    is_closed = models.BooleanField(default=False)
    accepted_answer = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = _version_field()

    objects = TopicQuerySet.as_manager()

    class Meta:
        # The lists read these in order (with the id as tie-breaker), so any page of them
        # costs an index scan, not a sort of every topic.
        indexes = [
            models.Index(
                fields=["category", "status", "-is_pinned", "-last_posted_at", "-id"],
                name="topic_category_list",
            ),
            models.Index(fields=["status", "-last_posted_at", "-id"], name="topic_latest"),
            # The unanswered list (and its count) reads only the few topics nobody replied to
            # (721 of 20,000 in the large demo data) instead of filtering every topic.
            models.Index(
                fields=["-last_posted_at", "-id"],
                condition=Q(
                    status=Status.PUBLISHED, reply_count=0, is_closed=False, is_locked=False
                ),
                name="topic_unanswered",
            ),
            models.Index(fields=["author", "-created_at"], name="topic_by_author"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:topic", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def takes_replies(self) -> bool:
        return self.is_published and not self.is_locked and not self.is_closed


class PostQuerySet(models.QuerySet):
    def published(self) -> PostQuerySet:
        return self.filter(status=Status.PUBLISHED, topic__status=Status.PUBLISHED)

    def visible_to(self, viewer) -> PostQuerySet:
        from portal.forums.permissions import is_forum_moderator

        if is_forum_moderator(viewer):
            return self.all()
        return self.filter(_visible_q(viewer)).filter(_visible_q(viewer, prefix="topic__"))

    def in_order(self) -> PostQuerySet:
        return self.order_by("created_at", "pk")


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_posts"
    )
    is_opening = models.BooleanField(default=False)
    body = models.TextField(validators=[validate_markdown])
    body_html = models.TextField(editable=False)  # rendered once by portal/markup.py
    # For duplicate detection: the body with whitespace and case folded, hashed.
    body_hash = models.CharField(max_length=64, editable=False)
    has_links = models.BooleanField(default=False, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(default=timezone.now)
    # When it became visible to everyone (at once, or on approval); read state counts from it.
    published_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    # Shown to the author when a moderator denies or hides the post.
    moderation_reason = models.TextField(blank=True)
    # Filled on PostgreSQL only (the topic's title too, for an opening post); empty on SQLite,
    # where search falls back to icontains. Indexed by a GIN index (migration 0003).
    search_vector = SearchVectorField(null=True, editable=False)
    # Kept by services.reaction_toggle, so a topic page reads the counts with the posts: one
    # column per Reaction.Kind, named "<kind>_count".
    helpful_count = models.PositiveIntegerField(default=0, editable=False)
    thanks_count = models.PositiveIntegerField(default=0, editable=False)
    version = _version_field()

    objects = PostQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["topic", "created_at"], name="post_in_topic"),
            models.Index(fields=["topic", "status", "published_at"], name="post_published"),
            models.Index(fields=["author", "-created_at"], name="post_by_author"),
            # Search ranks the newest matches of a word: for a common one, reading down this
            # index finds them after a few thousand rows instead of checking every post.
            models.Index(fields=["-created_at", "-id"], name="post_newest"),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.topic_id}"

    def get_absolute_url(self) -> str:
        return reverse("forums:post", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def reaction_count(self, kind: str) -> int:
        return getattr(self, f"{kind}_count")


class PostRevision(models.Model):
    """An earlier version of a post, kept when it is edited (the visible revision history)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=140, blank=True)  # the topic's title, for opening posts
    body = models.TextField()
    body_html = models.TextField()
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="revision_number_once")
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of post {self.post_id}"


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
    # What happened, in words (moderation decisions and their reasons, reaction kinds).
    message = models.TextField(blank=True)
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
        if self.post_id:
            return reverse("forums:post", kwargs={"pk": self.post_id})
        return reverse("forums:index")


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


class FilterTerm(models.Model):
    """A blocked or permitted term, edited by staff in the admin (private: never shown on the
    site). Blocked with no category: held anywhere. Blocked with a category and a level: an
    addition to that category's word list. Permitted: overrides both."""

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
    note = models.CharField(max_length=200, blank=True, help_text="Why it is here (staff only).")
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
