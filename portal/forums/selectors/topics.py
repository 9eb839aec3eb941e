"""One topic or post for a reader: whether they may see it, their place in it (read point, watch
level, new posts) and how its pages are numbered for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from portal.core.text import whole_number
from portal.forums import permissions
from portal.forums.models import POSTS_PER_PAGE, Post, ReadState, Status, Subscription, Topic
from portal.forums.permissions import is_forum_moderator
from portal.forums.selectors.paging import KnownCountPaginator
from portal.forums.selectors.standing import STANDING_COLUMNS, remember_standing, standing_params


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
    # The reader blocks someone: their posts are folded away for them (one more query, for
    # those readers only).
    blocks_someone: bool = False

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
{STANDING_COLUMNS},
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
          AND (SELECT p.topic_id FROM forums_post p WHERE p.id = x.post_id) = t.id),
  EXISTS (SELECT 1 FROM accounts_block b WHERE b.blocker_id = %(reader)s)
FROM forums_topic t
LEFT JOIN forums_readstate r ON r.topic_id = t.id AND r.user_id = %(reader)s
WHERE t.id = %(topic)s AND NOT t.is_private
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
                **standing_params(viewer),
                "topic": pk,
                **{status: status for status in Status.values},
            },
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such topic.")
    (slug, author_id, status, reply_count, in_group, suspension_id, everyones_unpublished) = row[:7]
    (own_unpublished, last_read_at, new_count, topic_level) = row[7:11]
    (category_level, unread_notifications, reacted, blocks_someone) = row[11:]
    remember_standing(viewer, in_group=in_group, suspension_id=suspension_id)
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
        blocks_someone=bool(blocks_someone),
    )


# New replies are asked about with the moment the reader's page was read up to, as a whole
# number of microseconds since 1970 in the address: exact, so the last post shown is never
# counted as new (an ISO date in a query string loses its "+" and, in some formats, its
# microseconds).
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def seen_until_mark(moment: datetime) -> int:
    """The moment a page was read up to (``TopicView.seen_until``), as the new-replies
    address carries it."""
    return (moment - _EPOCH) // _MICROSECOND


def seen_until_from_mark(mark: str) -> datetime | None:
    """The moment a new-replies address carries, or None for anything but one."""
    moment = whole_number(mark, most_digits=17)  # past the year 4000: not a mark of ours
    if moment is None:
        return None
    return _EPOCH + moment * _MICROSECOND


def new_replies_count(*, pk: int, viewer, after: datetime) -> int:
    """How many posts of the topic were published after ``after``, for a reader who may see
    the topic (else 404): one query, counted on the post_published index (topic, status,
    published_at). Only published posts count, so nothing held or hidden is announced, and
    nothing is marked read."""
    published = (
        Post.objects.filter(topic=OuterRef("pk"), status=Status.PUBLISHED, published_at__gt=after)
        .order_by()
        .values("topic")
        .annotate(n=Count("pk"))
        .values("n")
    )
    row = (
        Topic.objects.filter(pk=pk, is_private=False)
        .annotate(new=Coalesce(Subquery(published), 0))
        .values_list("status", "author_id", "new")
        .first()
    )
    if row is None:
        raise Http404("No such topic.")
    status, author_id, new = row
    # The same check as the topic page's (a moderator asking about a topic not published is
    # the one case that costs a second query: whether they are one).
    if not permissions.can_see_topic(viewer, Topic(pk=pk, status=status, author_id=author_id)):
        raise Http404("No such topic.")
    return new


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
    paginator = KnownCountPaginator((), POSTS_PER_PAGE, count=posts)
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
