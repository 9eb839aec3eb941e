"""Categories and topics: what the forums hold, where each is seen (``visible_to``) and the
counts and versions kept on the rows. Their posts are in posts.py."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinLengthValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role
from portal.forums.hold import HOLD_CATEGORY_KEYS, MAX_LEVEL, OVERALL_LEVEL_3

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


class CategoryColour(models.TextChoices):
    """The colours a category can wear, as Discourse's categories do: a stripe on its rows and
    a swatch beside its name. Staff choose from this set rather than typing a hex value: each
    name is a custom property in static/css/site.css ("Reading density") holding a light and
    a dark value, both checked for 3:1 contrast against the page in their theme
    (tests/forums/test_category_colours.py), so no choice can fail either theme. Colour is
    never the only signal: the category's name is always written beside it."""

    RED = "red", "Red"
    ORANGE = "orange", "Orange"
    AMBER = "amber", "Amber"
    LIME = "lime", "Lime"
    GREEN = "green", "Green"
    TEAL = "teal", "Teal"
    CYAN = "cyan", "Cyan"
    BLUE = "blue", "Blue"
    INDIGO = "indigo", "Indigo"
    VIOLET = "violet", "Violet"
    PINK = "pink", "Pink"
    SLATE = "slate", "Slate"


class CategoryQuerySet(models.QuerySet):
    def public(self) -> CategoryQuerySet:
        """The categories the forum index, the move form and the holding rules show: every
        one but the private ones."""
        return self.filter(is_private=False)

    def with_activity(self) -> CategoryQuerySet:
        """Each category with its latest published topic, in one query that reads no other
        topic: the count and the latest topic are kept on the category by
        ``services.category_stats_refresh``, so the forum index costs the same with 40 topics
        or 40,000."""
        return self.public().select_related("latest_topic")


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
    # Private: read only by its members (models/private.py), never listed, searched, fed or
    # put in a digest; the private conversations' category and each mod team's discussion
    # area. Its topics carry the same mark (Topic.is_private), which the querysets read.
    is_private = models.BooleanField(
        default=False,
        editable=False,
        help_text="Read only by its members; never listed, searched or sent in digests.",
    )
    # Where a private category's own pages are (a mod team's discussion, "/teams/<slug>/
    # discussion/"): its topics are read and answered there, and its notifications point
    # there. Written by the app that owns the area, so the forums need not know that app.
    # Empty for the conversations' category, which has its own pages and its own rules.
    page_path = models.CharField(max_length=200, blank=True, editable=False)
    colour = models.CharField(
        max_length=10,
        choices=CategoryColour.choices,
        default=CategoryColour.SLATE,
        help_text="Shown as a stripe on its rows and a swatch beside its name.",
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
        # A private area's pages are its own (a mod team's discussion); the forum's category
        # page is for public categories only.
        if self.is_private and self.page_path:
            return self.page_path
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


# What a row of a topic list reads of the topic and its category (templates/forums/includes/
# topic_rows.html, whose cache key holds the versions of the rows it shows: the topic's, its
# category's and the two people's profiles' ``updated_at``; selectors.attach_read_marks).
LISTED_COLUMNS = (
    *("category", "author", "title", "slug", "status", "last_posted_at", "last_post_by"),
    *("reply_count", "is_pinned", "is_locked", "is_closed", "accepted_answer", "version"),
    *("category__name", "category__slug", "category__version", "category__colour"),
)


def _shown_name(person: str) -> Coalesce:
    """A person's name as pages show it (``User.display_name``), read as a column."""
    return Coalesce(NullIf(F(f"{person}__profile__display_name"), Value("")), f"{person}__username")


def _area_member(viewer, *, prefix: str) -> Exists:
    """Whether the viewer is a member of the private area the row's topic is in."""
    from portal.forums.models.private import CategoryMember

    return Exists(
        CategoryMember.objects.filter(category=OuterRef(f"{prefix}category"), user=viewer.pk)
    )


def _readable(rows: models.QuerySet, viewer, *, prefix: str) -> models.QuerySet:
    """``visible_to`` widened to the private areas the viewer is a member of (``prefix``:
    "" for topics, "topic__" for posts). In an area, forum moderators have no moderator's
    sight (others' held or taken-down posts): they see it as the member they are, and act on
    it through the review queue."""
    if not viewer.is_authenticated:
        return rows.visible_to(viewer).annotate(area_member=Value(False))
    from portal.forums.permissions import is_forum_moderator

    own_terms = _visible_q(viewer, prefix=prefix)
    if prefix:  # a post: the post itself, and its topic
        own_terms &= _visible_q(viewer)
    public = Q(**{f"{prefix}is_private": False})
    if not is_forum_moderator(viewer):
        public &= own_terms
    area = (
        Q(area_member=True, **{f"{prefix}is_private": True})
        & ~Q(**{f"{prefix}category__page_path": ""})
        & own_terms
    )
    return rows.annotate(area_member=_area_member(viewer, prefix=prefix)).filter(public | area)


class TopicQuerySet(models.QuerySet):
    def published(self) -> TopicQuerySet:
        """Published public topics: a private one (a conversation, a team's discussion) is
        never in a list, a feed, a search or a digest, for anyone."""
        return self.filter(status=Status.PUBLISHED, is_private=False)

    def visible_to(self, viewer) -> TopicQuerySet:
        """What the forum's own pages show the viewer. Private topics are not among them,
        not even for forum moderators: they are read through ``private_for`` (their members)
        and, for staff, through a report (portal/forums/selectors/conversations.py)."""
        from portal.forums.permissions import is_forum_moderator

        if is_forum_moderator(viewer):
            return self.filter(is_private=False)
        return self.filter(_visible_q(viewer), is_private=False)

    def readable_by(self, viewer) -> TopicQuerySet:
        """What the forums' per-topic actions (reply, watch, …) act on: ``visible_to``, and the
        topics of private areas (a mod team's discussion) the viewer is a member of, on the
        same terms as a member's (published, or their own held or hidden). Each topic carries
        ``area_member``, which the permission checks read (portal/forums/permissions.py).
        Conversations stay out: they are written in from their own pages."""
        return _readable(self, viewer, prefix="")

    def private_for(self, viewer) -> TopicQuerySet:
        """The private topics the viewer reads: conversations they are (still) in, and the
        topics of private categories they are a member of."""
        from portal.forums.models.private import CategoryMember, Participant

        if not viewer.is_authenticated:
            return self.none()
        place = Participant.objects.present().filter(topic=OuterRef("pk"), user=viewer)
        member = CategoryMember.objects.filter(category=OuterRef("category"), user=viewer)
        return self.filter(Q(Exists(place)) | Q(Exists(member)), is_private=True)

    def listed(self) -> TopicQuerySet:
        """What a topic list shows: the category, and the two people's names and profile
        versions as columns (``author_name``, ``author_updated_at``, ``last_post_by_name``,
        ``last_post_by_updated_at``, ``last_post_by_avatar``). Turning two people and their
        profiles into objects for each of 30 rows cost a third of the page's query (3.0 ms
        against 2.0 ms)."""
        return (
            self.select_related("category")
            .only(*LISTED_COLUMNS)
            .annotate(
                author_name=_shown_name("author"),
                author_updated_at=F("author__profile__updated_at"),
                last_post_by_name=_shown_name("last_post_by"),
                last_post_by_updated_at=F("last_post_by__profile__updated_at"),
                # Their avatar, drawn beside their name (the row's key has their profile's
                # version, which an avatar change moves).
                last_post_by_avatar=F("last_post_by__profile__avatar"),
            )
            .order_by("-last_posted_at")
        )

    def unanswered(self) -> TopicQuerySet:
        return self.filter(reply_count=0, is_closed=False, is_locked=False)

    def not_muted_by(self, viewer) -> TopicQuerySet:
        """Leave out topics the viewer muted, and topics in categories they muted (unless they
        watch the topic itself)."""
        from portal.forums.models.readers import Subscription

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
    # A topic of a private category (its category's mark, copied when it is started, so the
    # querysets leave private topics out without a join): a conversation or a team's topic.
    is_private = models.BooleanField(default=False, editable=False)
    # What a private conversation is for, when something other than a person started it for
    # a reason ("mentorship": the mentoring's own conversation, which an observer reads).
    purpose = models.CharField(max_length=30, blank=True, editable=False)
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
            # A search's help when nothing was found (the most discussed topics): five rows
            # read off this index instead of a sort of every topic (16 ms on 20,000 topics,
            # and growing with them; selectors.search.search_help).
            models.Index(
                fields=["-reply_count", "-last_posted_at", "-id"],
                condition=Q(status=Status.PUBLISHED, is_private=False),
                name="topic_most_discussed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # A private area's topic is read on the area's page (a mod team's, inside its
        # section), where the forums' topic page is shown to the area's members; the forum's
        # own topic address is for public topics only.
        if self.is_private and self.category.page_path:
            return self.area_path()
        return reverse("forums:topic", kwargs={"pk": self.pk, "slug": self.slug})

    def area_path(self, post_id: int | None = None) -> str:
        """A private area's topic (its category has a ``page_path``): its page there, at a
        post if one is named. Reads the category (loaded with the topic where it matters)."""
        path = f"{self.category.page_path}{self.pk}/"
        return f"{path}?post={post_id}" if post_id else path

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def place(self) -> str:
        """Where the topic is, as a notice to its people names it: "forum" (a public
        category), "conversation" (a private conversation: the private category without pages
        of its own) or "area" (a private category with its own pages: a mod team's
        discussion). Reads the category of a private topic."""
        if not self.is_private:
            return "forum"
        return "area" if self.category.page_path else "conversation"

    @property
    def takes_replies(self) -> bool:
        return self.is_published and not self.is_locked and not self.is_closed
