"""Reads for the forum pages, each at a fixed number of queries whatever the data size.

Lists page with Django's Paginator (a count and a slice), then decorate the page's rows in
bulk: read state and new-post counts for the topics, authors' badges and reactions for the
posts. Nothing here runs a query per row; tests/forums/test_queries.py holds the counts.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from portal.accounts.models import Role, User
from portal.forums import permissions, unread_count
from portal.forums.limits import is_new_account
from portal.forums.models import (
    POSTS_PER_PAGE,
    TOPICS_PER_PAGE,
    Category,
    Flag,
    ModerationAction,
    Notification,
    Post,
    Reaction,
    ReadState,
    Status,
    Subscription,
    Suspension,
    Topic,
)
from portal.forums.permissions import FORUM_MODERATORS, is_forum_moderator
from portal.forums.services import SEARCH_CONFIG
from portal.guides.models import Badge as GuideBadge

QUEUE_PER_PAGE = 20
LOG_PER_PAGE = 50
NOTIFICATIONS_PER_PAGE = 30
SEARCH_PER_PAGE = 20
# How many of the newest matches are ranked (50 pages): enough for any word worth searching
# for, and a bound on the work a common word costs.
SEARCH_CANDIDATES = 1000
MAX_FALLBACK_WORDS = 8  # SQLite's fallback: one LIKE per word, so keep it bounded


def _paginate(queryset: QuerySet, number, per_page: int, *, count: int | None = None) -> Page:
    """A page of the queryset. ``count``, when the caller knows it from a count kept on a row
    (a category's topics, a topic's replies), saves the COUNT(*) that would otherwise read
    every row of a long list on every view."""
    if count is None:
        return Paginator(queryset, per_page).get_page(number)
    return _KnownCountPaginator(queryset, per_page, count=count).get_page(number)


class _KnownCountPaginator(Paginator):
    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


# --- Topic lists ------------------------------------------------------------------------------


def _listable() -> QuerySet:
    """Topics the lists show: published ones, for everyone. A list read straight off an index
    in order (status, then latest activity) costs the same at page 1 and page 300; mixing in
    each viewer's own held topics with an OR would make the database sort every topic of the
    category first. A person's held topics are shown apart (``awaiting_review``)."""
    return Topic.objects.published()


def awaiting_review(*, viewer, category: Category | None = None) -> list[Topic]:
    """The viewer's own topics that nobody else sees yet (held, or hidden with a reason)."""
    if not viewer.is_authenticated:
        return []
    topics = Topic.objects.filter(author=viewer, status__in=[Status.HELD, Status.HIDDEN])
    if category is not None:
        topics = topics.filter(category=category)
    return list(topics.order_by("-created_at")[:10])


@dataclass(frozen=True)
class ReadMark:
    """Where a reader stands with a listed topic: unread (activity since their last visit, or
    since they joined for a topic they never opened), opened before, and how many posts are
    new since."""

    is_unread: bool = False
    was_read: bool = False
    new_count: int = 0


# What a list page asks about its reader (read state, mutes, standing in a category) is
# written out as SQL: it runs for every reader on every list page, and the ORM spent several
# times longer building these statements (an IN list of thirty ids, correlated subqueries)
# than the database took to answer them.


def _one_row(sql: str, params) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


_READ_MARKS_SQL = """
SELECT state.topic_id, topic.last_posted_at > state.last_read_at,
  (SELECT COUNT(*) FROM forums_post post WHERE post.topic_id = state.topic_id
   AND post.status = %s AND post.published_at > state.last_read_at)
FROM forums_readstate state JOIN forums_topic topic ON topic.id = state.topic_id
WHERE state.user_id = %s AND state.topic_id IN ({ids})
"""


NOT_READ = ReadMark()


def attach_read_marks(topics: Sequence[Topic], viewer) -> dict[int, ReadMark]:
    """Set the viewer's mark on each listed topic (``topic.mark``), and return them by topic:
    one query for a signed-in viewer, none for a visitor. A topic never opened is unread if
    it had activity since the person joined."""
    if not viewer.is_authenticated:
        for topic in topics:
            topic.mark = NOT_READ
        return {topic.pk: NOT_READ for topic in topics}
    states: dict[int, tuple[bool, int]] = {}
    if topics:
        sql = _READ_MARKS_SQL.format(ids=", ".join(["%s"] * len(topics)))
        with connection.cursor() as cursor:
            cursor.execute(sql, [Status.PUBLISHED, viewer.pk, *(topic.pk for topic in topics)])
            states = {pk: (bool(unread), new) for pk, unread, new in cursor.fetchall()}
    marks = {}
    for topic in topics:
        if topic.pk in states:
            unread, new_count = states[topic.pk]
            mark = ReadMark(unread, True, new_count)
        else:
            mark = ReadMark(is_unread=topic.last_posted_at > viewer.date_joined)
        topic.mark = marks[topic.pk] = mark
    return marks


def _topic_page(queryset: QuerySet, *, number, count: int | None = None) -> Page:
    page = _paginate(queryset, number, TOPICS_PER_PAGE, count=count)
    page.object_list = list(page.object_list)
    return page


def latest_topics(*, muted_by=None, number=1, unanswered: bool = False) -> Page:
    """The latest (or unanswered) published topics, less those ``muted_by`` muted (None or a
    visitor: all of them)."""
    viewer = muted_by or AnonymousUser()
    topics = _listable().not_muted_by(viewer).listed()
    if unanswered:
        # Counted by the database: no count of unanswered topics is kept, and the partial
        # index topic_unanswered bounds the count by the unanswered topics, not all of them.
        return _topic_page(topics.unanswered(), number=number)
    return _topic_page(topics, number=number, count=_latest_count(viewer))


def _latest_count(viewer) -> int:
    """How many topics the latest list holds for the viewer, in one query that reads the
    categories' kept topic counts and the viewer's own subscriptions instead of counting
    every published topic (20 ms with 20,000 topics, and growing with them).

    It follows ``TopicQuerySet.not_muted_by``: a category the viewer muted adds only its
    topics they subscribed to at another level; any other category adds its count less its
    topics they muted."""
    categories = Category.objects.order_by()
    if viewer.is_authenticated:
        muted = Subscription.Level.MUTED
        own_topics = Subscription.objects.filter(
            user=viewer, topic__category=OuterRef("pk"), topic__status=Status.PUBLISHED
        )

        def number_of(subscriptions: QuerySet) -> Coalesce:
            counted = subscriptions.order_by().values("user").annotate(n=Count("pk"))
            return Coalesce(Subquery(counted.values("n")), 0)

        categories = categories.annotate(
            listed=Case(
                When(
                    Exists(
                        Subscription.objects.filter(
                            user=viewer, category=OuterRef("pk"), level=muted
                        )
                    ),
                    then=number_of(own_topics.exclude(level=muted)),
                ),
                default=F("topic_count") - number_of(own_topics.filter(level=muted)),
            )
        )
        total = categories.aggregate(n=Sum("listed"))["n"]
    else:
        total = categories.aggregate(n=Sum("topic_count"))["n"]
    return max(total or 0, 0)


def category_topics(*, category: Category, number=1) -> Page:
    topics = (
        _listable()
        .filter(category=category)
        .listed()
        .order_by("-is_pinned", "-last_posted_at", "-pk")
    )
    # The category's kept count of published topics: no COUNT(*) over 10,000 of them.
    return _topic_page(topics, number=number, count=category.topic_count)


def categories_for_index() -> list[Category]:
    return list(Category.objects.with_activity())


# The two facts about a reader that the permission checks keep for the request
# (``permissions.remember``), as columns of a page's own statement: in the forum moderators'
# group (``is_forum_moderator``), and their active suspension's id (``Suspension.objects
# .active()``). Parameters: ``_standing_params``.
_STANDING_COLUMNS = """
  EXISTS (SELECT 1 FROM accounts_user_groups m JOIN auth_group g ON g.id = m.group_id
          WHERE m.user_id = %(reader)s AND g.name = %(moderators)s),
  (SELECT s.id FROM forums_suspension s
   WHERE s.user_id = %(reader)s AND s.lifted_at IS NULL AND s.until > %(now)s
   ORDER BY s.until DESC LIMIT 1)"""


def _standing_params(viewer) -> dict:
    return {
        "reader": viewer.pk,
        "moderators": FORUM_MODERATORS,
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
    }


def _remember_standing(viewer, *, in_group, suspension_id) -> None:
    permissions.remember(
        viewer,
        moderator=bool(in_group),
        # Its terms, for the few who are suspended: one query more for them.
        suspension=Suspension.objects.filter(pk=suspension_id).first() if suspension_id else None,
    )


_STANDING_SQL = f"""
SELECT
  (SELECT level FROM forums_subscription WHERE user_id = %(reader)s AND category_id = %(category)s),
  EXISTS (SELECT 1 FROM forums_topic WHERE author_id = %(reader)s AND category_id = %(category)s
          AND status IN (%(held)s, %(hidden)s)),
{_STANDING_COLUMNS}
"""  # noqa: S608 (a fixed fragment of ours; values are parameters)


def category_standing(*, category: Category, viewer) -> tuple[str, bool]:
    """The viewer's watch level for the category, and whether they have topics there that
    nobody else sees yet (``awaiting_review``), in one statement written out for the reason
    ``attach_read_marks`` gives. It also answers, for the rest of the request, whether they are a
    forum moderator and their active suspension (``permissions.remember``), which decide
    whether they may start a topic there."""
    if not viewer.is_authenticated:
        return Subscription.Level.NORMAL, False
    level, awaiting, in_group, suspension_id = _one_row(
        _STANDING_SQL,
        {
            **_standing_params(viewer),
            "category": category.pk,
            "held": Status.HELD,
            "hidden": Status.HIDDEN,
        },
    )
    _remember_standing(viewer, in_group=in_group, suspension_id=suspension_id)
    return level or Subscription.Level.NORMAL, bool(awaiting)


def recent_topics(*, person: User, viewer, limit: int = 5) -> list[Topic]:
    """A person's latest topics that the viewer may see (their profile page)."""
    return list(
        Topic.objects.visible_to(viewer)
        .exclude(status=Status.DELETED)
        .filter(author=person)
        .select_related("category")
        .order_by("-created_at", "-pk")[:limit]
    )


# --- One topic --------------------------------------------------------------------------------


@dataclass
class Badge:
    label: str
    kind: str  # css modifier: moderator, staff, new, verified, guide, role


@dataclass(frozen=True)
class TopicReading:
    """One reader's place in a topic, read in one query before the page is built: whether
    they may see it, how its pages are numbered for them, and what only they see on it (the
    new-post count, the watch level)."""

    pk: int
    slug: str
    author_id: int
    posts_shown: int  # how many of the topic's posts the reader sees: it numbers the pages
    unpublished_shown: int  # of those, the held, hidden or deleted ones
    last_read_at: datetime | None = None
    new_count: int = 0
    topic_level: str | None = None
    watch_level: str = Subscription.Level.NORMAL
    unread_notifications: bool = False
    reacted: bool = False  # the reader reacted to a post in the topic

    def get_absolute_url(self) -> str:
        return reverse("forums:topic", kwargs={"pk": self.pk, "slug": self.slug})


def _unpublished_shown(viewer) -> Coalesce | None:
    """How many of a topic's posts (the topic an outer query reads) the viewer sees besides
    the published ones: everyone's held, hidden and deleted posts for a moderator, their own
    held and hidden ones for a member, none for a visitor (None). Read off the post_published
    index: with the kept reply count it numbers the topic's pages without counting its 1,000
    posts on every view."""
    if is_forum_moderator(viewer):
        unpublished = Post.objects.filter(
            topic=OuterRef("pk"), status__in=[Status.HELD, Status.HIDDEN, Status.DELETED]
        )
    elif viewer.is_authenticated:
        unpublished = Post.objects.filter(
            topic=OuterRef("pk"), author=viewer, status__in=[Status.HELD, Status.HIDDEN]
        )
    else:
        return None
    counted = unpublished.order_by().values("topic").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def topic_for_viewer(*, pk: int, viewer) -> Topic:
    """The topic (with its category and accepted answer), or 404 if the viewer may not see it.
    It carries how many unpublished posts the viewer sees in it (``_posts_shown``)."""
    topics = (
        Topic.objects.visible_to(viewer)
        # The topic's author by name only (the moderation page); the accepted answer's
        # author by display name (shown under the question).
        .select_related("category", "author", "accepted_answer__author__profile")
        .defer("accepted_answer__body", "accepted_answer__search_vector")
    )
    unpublished = _unpublished_shown(viewer)
    if unpublished is not None:
        topics = topics.annotate(unpublished_shown=unpublished)
    topic = topics.filter(pk=pk).first()
    if topic is None:
        raise Http404("No such topic.")
    if unpublished is None:
        topic.unpublished_shown = 0
    return topic


# A signed-in reader's place in a topic, with the two facts about them the permission checks
# cache (forum moderator? suspended?), in one statement. Written out rather than composed
# with the ORM: composing its ten subqueries cost 3.4 ms of Python on every view, eight
# times what the database takes to run it. It runs on PostgreSQL and SQLite alike. Whether
# the reader reacted in the topic is looked up from their reactions, one post at a time (a
# person's reactions number tens): joined the other way, PostgreSQL read all 1,000 posts of
# a long topic for it.
_READING_SQL = f"""
SELECT t.slug, t.author_id, t.status, t.reply_count,
{_STANDING_COLUMNS},
  (SELECT COUNT(*) FROM forums_post p
   WHERE p.topic_id = t.id AND p.status IN (%(held)s, %(hidden)s, %(deleted)s)),
  (SELECT COUNT(*) FROM forums_post p
   WHERE p.topic_id = t.id AND p.author_id = %(reader)s AND p.status IN (%(held)s, %(hidden)s)),
  r.last_read_at,
  (SELECT COUNT(*) FROM forums_post p
   WHERE p.topic_id = t.id AND p.status = %(published)s AND p.published_at > r.last_read_at),
  (SELECT w.level FROM forums_subscription w WHERE w.user_id = %(reader)s AND w.topic_id = t.id),
  (SELECT w.level FROM forums_subscription w
   WHERE w.user_id = %(reader)s AND w.category_id = t.category_id),
  EXISTS (SELECT 1 FROM forums_notification n
          WHERE n.recipient_id = %(reader)s AND n.topic_id = t.id AND n.read_at IS NULL),
  EXISTS (SELECT 1 FROM forums_reaction x WHERE x.user_id = %(reader)s
          AND (SELECT p.topic_id FROM forums_post p WHERE p.id = x.post_id) = t.id)
FROM forums_topic t
LEFT JOIN forums_readstate r ON r.topic_id = t.id AND r.user_id = %(reader)s
WHERE t.id = %(topic)s
"""  # noqa: S608 (a fixed fragment of ours; values are parameters)


def topic_reading(*, pk: int, viewer) -> TopicReading:
    """The reader's place in the topic (one query), or 404 if they may not see it. For a
    signed-in reader it also answers, for the rest of the request, whether they are a forum
    moderator and their active suspension (``permissions.remember``)."""
    if not viewer.is_authenticated:
        row = (
            Topic.objects.published()
            .filter(pk=pk)
            .values_list("slug", "author_id", "reply_count")
            .first()
        )
        if row is None:
            raise Http404("No such topic.")
        slug, author_id, reply_count = row
        return TopicReading(
            pk=pk, slug=slug, author_id=author_id, posts_shown=reply_count + 1, unpublished_shown=0
        )
    with connection.cursor() as cursor:
        cursor.execute(
            _READING_SQL,
            {
                **_standing_params(viewer),
                "topic": pk,
                **{status: status for status in Status.values},
            },
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such topic.")
    (slug, author_id, status, reply_count, in_group, suspension_id, everyones_unpublished) = row[:7]
    (own_unpublished, last_read_at, new_count, topic_level) = row[7:11]
    (category_level, unread_notifications, reacted) = row[11:]
    _remember_standing(viewer, in_group=in_group, suspension_id=suspension_id)
    if not permissions.can_see_topic(viewer, Topic(pk=pk, status=status, author_id=author_id)):
        raise Http404("No such topic.")
    unpublished_shown = everyones_unpublished if is_forum_moderator(viewer) else own_unpublished
    return TopicReading(
        pk=pk,
        slug=slug,
        author_id=author_id,
        posts_shown=reply_count + int(status == Status.PUBLISHED) + unpublished_shown,
        unpublished_shown=unpublished_shown,
        last_read_at=_from_db(ReadState._meta.get_field("last_read_at"), last_read_at),
        new_count=new_count or 0,
        topic_level=topic_level,
        watch_level=topic_level or category_level or Subscription.Level.NORMAL,
        unread_notifications=bool(unread_notifications),
        reacted=bool(reacted),
    )


def _from_db(model_field, value):
    """A value read by hand as the ORM would read it for this field (a date and time is text
    on SQLite)."""
    if value is None:
        return None
    column = model_field.get_col(model_field.model._meta.db_table)
    for converter in connection.ops.get_db_converters(column) + column.get_db_converters(
        connection
    ):
        value = converter(value, column, connection)
    return value


def topic_page_number(number, *, posts: int) -> int:
    """Which page of a topic with ``posts`` posts the address's ``?page=`` stands for, read as
    Paginator.get_page reads it: the first page for anything but a number, the last for a
    number past the end."""
    paginator = _KnownCountPaginator((), POSTS_PER_PAGE, count=posts)
    try:
        return paginator.validate_number(number)
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return paginator.num_pages


def _posts_shown(topic: Topic) -> int:
    """How many of the topic's posts the viewer sees: the published replies (the count kept
    by ``services.topic_stats_refresh``), the opening post when published (a topic's status is
    its opening post's), and the others they may see (counted by ``topic_for_viewer``)."""
    return topic.reply_count + int(topic.is_published) + topic.unpublished_shown


def author_badges(authors: list[User], *, moderators: set[int]) -> dict[int, list[Badge]]:
    """Badges for each author (forum moderator, staff, new to the site, verified Twitch login,
    the guide tracks they completed, the roles they play), the moderators given: two
    queries."""
    ids = {a.pk for a in authors}
    if not ids:
        return {}
    roles: dict[int, list[str]] = {}
    for user_id, name in (
        Role.objects.filter(profiles__user_id__in=ids)
        .order_by("order")
        .values_list("profiles__user_id", "name")
    ):
        roles.setdefault(user_id, []).append(name)
    guides: dict[int, list[str]] = {}
    for user_id, title in (
        GuideBadge.objects.filter(user_id__in=ids)
        .order_by("track__order")
        .values_list("user_id", "track__title")
    ):
        guides.setdefault(user_id, []).append(title)
    badges: dict[int, list[Badge]] = {}
    for author in authors:
        if author.pk in badges:
            continue
        found = []
        if author.pk in moderators or author.is_superuser:
            found.append(Badge("Forum moderator", "moderator"))
        if author.is_staff:
            found.append(Badge("Staff", "staff"))
        if is_new_account(author):
            found.append(Badge("New here", "new"))
        if author.profile.twitch_login_verified:
            found.append(Badge("Verified Twitch", "verified"))
        found += [Badge(f"{title} guide", "guide") for title in guides.get(author.pk, [])]
        found += [Badge(name, "role") for name in roles.get(author.pk, [])]
        badges[author.pk] = found
    return badges


class _PageBadges:
    """The badges of a page's authors, read the first time a post's cached block is rendered
    (templates/forums/topic.html): when every post comes from the cache, never."""

    def __init__(self, posts: list[Post]) -> None:
        self.posts = posts

    @cached_property
    def by_author(self) -> dict[int, list[Badge]]:
        moderators = {post.author_id for post in self.posts if post.author_moderates}
        return author_badges([post.author for post in self.posts], moderators=moderators)

    def of(self, author_id: int) -> SimpleLazyObject:
        return SimpleLazyObject(lambda: self.by_author.get(author_id, []))


def _author_stamp(post: Post) -> str:
    """What a post's cached block shows of its author, as a part of its key: their profile's
    ``updated_at`` (their name, roles and verified login are saved with it) and the facts
    behind the badges that live elsewhere (staff, moderator, new here, guide badges)."""
    author = post.author
    flags = (author.is_superuser, author.is_staff, post.author_moderates, post.author_is_new)
    facts = "".join(str(int(flag)) for flag in flags)
    return f"{author.profile.updated_at.timestamp()}-{facts}-{post.author_guides}"


@dataclass(frozen=True)
class ShownReaction:
    kind: str
    label: str
    count: int
    mine: bool  # the reader's own: their button shows pressed


@dataclass
class TopicView:
    """A page of a topic as one reader sees it: the posts, each with what the reader may do
    with it and their own reactions, and the accepted answer. A post's own part (its author,
    badges and body) is cached in the template under its version; the rest is the reader's."""

    topic: Topic
    page: Page
    posts: list[Post]
    accepted: Post | None = None
    can_unaccept: bool = False
    reply_refusal: str | None = None
    # How far a reader of this page has read: its last published post.
    seen_until: datetime | None = None


def reactions_of(*, viewer, post_ids) -> set[tuple[int, str]]:
    """The (post, kind) pairs the viewer reacted with among these posts (one query)."""
    if not viewer.is_authenticated or not post_ids:
        return set()
    return set(
        Reaction.objects.filter(user=viewer, post_id__in=post_ids).values_list("post_id", "kind")
    )


# What a topic page reads of each post (templates/forums/topic.html, the permission checks,
# the badges and the post's cache key).
SHOWN_POST_COLUMNS = (
    *("topic", "author", "is_opening", "body_html", "status", "created_at", "published_at"),
    *("edited_at", "edit_count", "moderation_reason", "version"),
    *(f"{kind}_count" for kind in Reaction.Kind.values),
    *("author__username", "author__is_superuser", "author__is_staff", "author__is_active"),
    *("author__date_joined", "author__profile__display_name"),
    *("author__profile__twitch_login_verified", "author__profile__updated_at"),
)


# What a topic page reads of its topic, its category and its accepted answer.
SHOWN_TOPIC_COLUMNS = (
    *("category", "author", "title", "slug", "status", "reply_count", "created_at"),
    *("is_pinned", "is_locked", "is_closed", "accepted_answer", "version"),
    *("category__name", "category__slug", "category__is_qa", "category__staff_only_posting"),
    *("accepted_answer__topic", "accepted_answer__author", "accepted_answer__is_opening"),
    *("accepted_answer__status", "accepted_answer__body_html"),
    *("accepted_answer__author__username", "accepted_answer__author__profile__display_name"),
)


# What a post's cache key needs to know of its author beyond their profile (``_author_stamp``):
# whether they are a forum moderator and how many guide badges they hold, as two columns of
# the page's post query. Written out: composed with the ORM (an Exists over the groups' join
# table, a grouped Count subquery) they added 1.0 ms of Python to every topic page, against
# 0.1 ms written out (the page's post query: 2.3 ms bare, 3.3 ms with the ORM's, 2.4 ms with
# these; 20 posts, PostgreSQL, this machine, best of five runs of 200). Table names come
# from the models; the one value is a parameter.
_AUTHOR_MODERATES = RawSQL(  # noqa: S611 (fixed text of ours, above)
    f"""EXISTS (SELECT 1 FROM {User.groups.through._meta.db_table} m
                JOIN {Group._meta.db_table} g ON g.id = m.group_id
                WHERE m.user_id = {Post._meta.db_table}.author_id AND g.name = %s)""",  # noqa: S608
    [FORUM_MODERATORS],
    output_field=BooleanField(),
)
_AUTHOR_GUIDE_BADGES = RawSQL(  # noqa: S611 (fixed text of ours, above)
    f"""(SELECT COUNT(*) FROM {GuideBadge._meta.db_table} b
         WHERE b.user_id = {Post._meta.db_table}.author_id)""",  # noqa: S608
    [],
    output_field=IntegerField(),
)


def _page_topic(pk: int) -> Topic:
    """The topic a page shows, with its category and accepted answer (the reader's right to
    see it already checked by ``topic_reading``)."""
    topic = (
        Topic.objects.select_related("category", "accepted_answer__author__profile")
        .only(*SHOWN_TOPIC_COLUMNS)
        .filter(pk=pk)
        .first()
    )
    if topic is None:
        raise Http404("No such topic.")
    return topic


def topic_view(*, reading: TopicReading, viewer, number: int) -> TopicView:
    """Page ``number`` of the topic for the reader: two queries (the topic, the page's posts
    with what their cache keys need), one more for their own reactions when they reacted in
    the topic, and two more (the authors' guide badges and roles) only when a post's cached
    block has to be rendered."""
    topic = _page_topic(reading.pk)
    # The page's posts are chosen by id first (a walk down the topic's index), and only those
    # twenty are joined to their authors: joining every earlier post too made page 51 of a
    # 1,000-post topic sort 1,000 joined rows (13 ms against under 2).
    ids = Post.objects.visible_to(viewer).filter(topic=topic).in_order().values("pk")
    page = _paginate(ids, number, POSTS_PER_PAGE, count=reading.posts_shown)
    posts = list(
        Post.objects.filter(pk__in=page.object_list)
        .in_order()
        .select_related("author__profile")
        # What the page shows and the permission checks and badges read: not the author's
        # whole account and profile (bios included) twenty times over.
        .only(*SHOWN_POST_COLUMNS)
        .annotate(author_moderates=_AUTHOR_MODERATES, author_guides=_AUTHOR_GUIDE_BADGES)
    )
    page.object_list = posts
    view = TopicView(topic=topic, page=page, posts=posts)
    mine = reactions_of(viewer=viewer, post_ids=[p.pk for p in posts]) if reading.reacted else set()
    badges = _PageBadges(posts)
    moderator = is_forum_moderator(viewer)
    for post in posts:
        post.topic = topic  # the permission checks below read it; no query per post
        post.is_accepted = post.pk == topic.accepted_answer_id
        post.author_is_new = is_new_account(post.author)
        post.author_stamp = _author_stamp(post)
        post.author_badges = badges.of(post.author_id)
        post.reactions_shown = [
            ShownReaction(kind, label, post.reaction_count(kind), (post.pk, kind) in mine)
            for kind, label in Reaction.Kind.choices
        ]
        post.can_edit = permissions.edit_refusal(viewer, post) is None
        post.can_delete = permissions.delete_refusal(viewer, post) is None
        post.can_react = permissions.react_refusal(viewer, post) is None
        post.can_report = permissions.report_refusal(viewer, post) is None
        post.can_accept = (
            topic.category.is_qa
            and not post.is_accepted
            and permissions.accept_refusal(viewer, post) is None
        )
        post.can_moderate = moderator
    accepted = topic.accepted_answer
    if accepted is not None and permissions.can_see_post(viewer, _with_topic(accepted, topic)):
        view.accepted = accepted
        view.can_unaccept = permissions.accept_refusal(viewer, accepted) is None
    view.reply_refusal = permissions.reply_refusal(viewer, topic)
    published = [p.published_at for p in posts if p.published_at and p.is_published]
    view.seen_until = max(published, default=topic.created_at)
    return view


def _with_topic(post: Post, topic: Topic) -> Post:
    post.topic = topic
    return post


def post_for_viewer(*, pk: int, viewer) -> Post:
    """A post the viewer may see (with its topic and category), or 404."""
    post = (
        Post.objects.visible_to(viewer)
        .select_related("topic__category", "author__profile")
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    return post


def post_page_number(*, post: Post, viewer) -> int:
    """Which page of its topic the post is on, for this viewer (one query)."""
    before = (
        Post.objects.visible_to(viewer)
        .filter(topic_id=post.topic_id)
        .filter(Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk))
        .count()
    )
    return before // POSTS_PER_PAGE + 1


def last_page_number(*, topic: Topic) -> int:
    """The topic's last page for the viewer it was read for (``topic_for_viewer``)."""
    return max(1, -(-_posts_shown(topic) // POSTS_PER_PAGE))


def first_unread_post(*, topic: Topic, viewer) -> Post | None:
    """The first post published since the viewer's last visit (None: nothing new)."""
    if not viewer.is_authenticated:
        return None
    last_read = (
        ReadState.objects.filter(user=viewer, topic=topic)
        .values_list("last_read_at", flat=True)
        .first()
    )
    posts = Post.objects.visible_to(viewer).filter(topic=topic, status=Status.PUBLISHED)
    if last_read is not None:
        posts = posts.filter(published_at__gt=last_read)
    return posts.in_order().first()


# --- Notifications ----------------------------------------------------------------------------


def unread_notification_count(user: User) -> int:
    """The header's count; cached per person and forgotten on every change (unread_count)."""
    return unread_count.count(user)


def notifications_page(*, user: User, number=1) -> Page:
    notifications = (
        Notification.objects.for_reader(user)
        .select_related("actor", "topic")
        .order_by("-created_at", "-pk")
    )
    return _paginate(notifications, number, NOTIFICATIONS_PER_PAGE)


# --- Search -----------------------------------------------------------------------------------

# Markers the highlighted snippet is built with; they cannot occur in what people type
# (control characters), so the text around them can be escaped safely.
_START, _STOP = "\x02", "\x03"


def _safe_snippet(text: str) -> SafeString:
    escaped = html.escape(text, quote=False)
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


@dataclass(frozen=True)
class SearchResult:
    """A post found, as the results show it: read as plain values (no post, topic, category,
    person and profile objects for each of twenty results)."""

    pk: int
    url: str
    title: str
    category_name: str
    author_name: str
    created_at: datetime
    status: str
    snippet_html: str

    @property
    def status_label(self) -> str:
        return Status(self.status).label


# What a result shows, read in the same order as SearchResult's fields after ``pk``.
_RESULT_COLUMNS = (
    *("pk", "topic__title", "topic__category__name", "author__username"),
    *("author__profile__display_name", "created_at", "status", "body"),
)


def _results(rows, snippet_of) -> list[SearchResult]:
    """``rows`` of _RESULT_COLUMNS (and maybe a snippet after them) as results."""
    return [
        SearchResult(
            pk=pk,
            url=reverse("forums:post", kwargs={"pk": pk}),
            title=title,
            category_name=category_name,
            author_name=display_name or username,
            created_at=created_at,
            status=status,
            snippet_html=snippet_of(body, rest),
        )
        for pk, title, category_name, username, display_name, created_at, status, body, *rest in (
            rows
        )
    ]


def search_posts(*, viewer, query: str, number=1) -> Page:
    """Posts matching the words, best first on PostgreSQL (full-text search with ranking, the
    title counting more than the body), newest first on SQLite (each word as a substring).
    Only what the viewer may see; nothing deleted. The page's results are ``SearchResult``s."""
    posts = (
        Post.objects.visible_to(viewer)
        .exclude(status=Status.DELETED)
        .exclude(topic__status=Status.DELETED)
    )
    if settings.IS_POSTGRES:
        return _ranked_search(posts, query=query, number=number)
    # Every word somewhere in the post (or, for an opening post, its title).
    for word in query.split()[:MAX_FALLBACK_WORDS]:
        posts = posts.filter(
            Q(body__icontains=word) | Q(is_opening=True, topic__title__icontains=word)
        )
    posts = posts.order_by("-created_at", "-pk").values_list(*_RESULT_COLUMNS)
    page = _paginate(posts, number, SEARCH_PER_PAGE)
    page.capped = False
    page.object_list = _results(page.object_list, lambda body, _: Truncator(body).words(35))
    return page


def _ranked_search(visible: QuerySet, *, query: str, number) -> Page:
    """Full-text search on PostgreSQL, in two queries whatever the number of matches.

    Only the newest SEARCH_CANDIDATES matches are ranked: ranking every match of a common
    word ("first" is in a quarter of all posts) read and scored every matching row, twice
    (count and page), 0.2 to 2 s a search on large data. The candidates are found newest
    first (down the post_newest index for a common word, from the GIN index for a rare one)
    and ranked in the same statement, which returns only their ids; the page's 20 posts are
    then read with their topics, people and highlighted snippets. The page says when the
    cap was reached, so people know to add words."""
    words = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    newest = (
        visible.filter(search_vector=words)
        .order_by("-created_at", "-pk")
        .values("pk")[:SEARCH_CANDIDATES]
    )
    ranked = list(
        Post.objects.filter(pk__in=Subquery(newest))
        .annotate(rank=SearchRank(F("search_vector"), words))
        .order_by("-rank", "-created_at", "-pk")
        .values_list("pk", flat=True)
    )
    page = Paginator(ranked, SEARCH_PER_PAGE).get_page(number)
    page.capped = len(ranked) == SEARCH_CANDIDATES
    rows = (
        Post.objects.filter(pk__in=page.object_list)
        .annotate(
            snippet=SearchHeadline(
                "body",
                words,
                config=SEARCH_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=35,
                min_words=15,
            )
        )
        .values_list(*_RESULT_COLUMNS, "snippet")
    )
    found = {
        result.pk: result
        for result in _results(
            rows,
            lambda body, rest: _safe_snippet(rest[0]) if rest[0] else Truncator(body).words(35),
        )
    }
    page.object_list = [found[pk] for pk in page.object_list]
    return page


# --- Moderation -------------------------------------------------------------------------------


def review_queue(*, number=1) -> Page:
    """Held posts and reports together, oldest first."""
    flags = (
        Flag.objects.open()
        .select_related("post__topic__category", "post__author__profile", "reporter")
        .defer("post__search_vector")
        .order_by("created_at", "pk")
    )
    return _paginate(flags, number, QUEUE_PER_PAGE)


def moderation_log(*, number=1, person: User | None = None) -> Page:
    actions = ModerationAction.objects.select_related("moderator", "topic", "person").order_by(
        "-created_at", "-pk"
    )
    if person is not None:
        actions = actions.filter(person=person)
    return _paginate(actions, number, LOG_PER_PAGE)


def person_for_moderation(*, username: str) -> User:
    person = User.objects.select_related("profile").filter(username=username).first()
    if person is None:
        raise Http404("No such person.")
    return person
