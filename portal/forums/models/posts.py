"""Posts and their earlier versions: what a topic holds, where each is seen (``visible_to``,
by the same rules as topics.py's) and the counts and version kept on the row."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.forums.models.topics import Status, Topic, _readable, _version_field, _visible_q
from portal.markup import validate_markdown


class PostQuerySet(models.QuerySet):
    def published(self) -> PostQuerySet:
        """Published posts of published public topics (see ``TopicQuerySet.published``)."""
        return self.filter(
            status=Status.PUBLISHED, topic__status=Status.PUBLISHED, topic__is_private=False
        )

    def visible_to(self, viewer) -> PostQuerySet:
        """What the forum's own pages show the viewer: never a private topic's posts (see
        ``TopicQuerySet.visible_to``)."""
        from portal.forums.permissions import is_forum_moderator

        if is_forum_moderator(viewer):
            return self.filter(topic__is_private=False)
        return (
            self.filter(_visible_q(viewer))
            .filter(_visible_q(viewer, prefix="topic__"))
            .filter(topic__is_private=False)
        )

    def visible_in_seen_topic(self, viewer) -> PostQuerySet:
        """``visible_to`` for the posts of one public topic the viewer is already known to see
        (``topic_reading`` let them in): only the posts' own status is left to test, without
        joining the topic again, which cost the topic page's post query 0.5 ms to build and
        run (of about 4; 20 posts, the large data)."""
        from portal.forums.permissions import is_forum_moderator

        if is_forum_moderator(viewer):
            return self
        return self.filter(_visible_q(viewer))

    def readable_by(self, viewer) -> PostQuerySet:
        """What the forums' per-post actions (edit, delete, react, report, history, quote)
        act on: ``visible_to``, and the posts of private areas the viewer is a member of (see
        ``TopicQuerySet.readable_by``), each with ``area_member``."""
        return _readable(self, viewer, prefix="topic__")

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
    # Kept by services.reaction_give and reaction_take_back, so a topic page reads the counts
    # with the posts: one column per Reaction.Kind, named "<kind>_count".
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
            # A topic's opening post, one row away: search's near-title part finds topics
            # and needs their opening posts (without it, each topic's posts are read).
            models.Index(
                fields=["topic"], condition=Q(is_opening=True), name="post_opening_by_topic"
            ),
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
