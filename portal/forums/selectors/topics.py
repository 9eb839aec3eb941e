"""One topic or post for a reader: whether they may see it, their place in it (read point, watch
level, new posts) and how its pages are numbered for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from portal.core.text import whole_number
from portal.forums import permissions
from portal.forums.models import (
    POSTS_PER_PAGE,
    CategoryMember,
    Flag,
    Post,
    ReadState,
    Status,
    Subscription,
    Topic,
)
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
    # A private area's topic (a mod team's discussion): read by its members (``area_member``)
    # and, while a post of it is reported or held, by staff and forum moderators, who only
    # read (``by_report``). ``area_path``: the area's pages, where the topic is shown.
    category_id: int | None = None
    is_private: bool = False
    area_member: bool = False
    by_report: bool = False
    area_path: str = ""

    def get_absolute_url(self) -> str:
        if self.is_private:
            return f"{self.area_path}{self.pk}/"
        return reverse("forums:topic", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def unread_url(self) -> str:
        """Where "jump to the first unread" leads: the forums' own jump, or for an area's
        topic the area's page, which jumps the same way (the forum's addresses are for public
        topics only)."""
        if self.is_private:
            return f"{self.get_absolute_url()}?unread=1"
        return reverse("forums:topic_unread", kwargs={"pk": self.pk})


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
    """The topic (with its category and accepted answer), or 404 if the viewer may not see it:
    a public one as ``visible_to`` says, or a private area's they are a member of
    (``Topic.objects.readable_by``, which marks it ``area_member``). It carries how many
    unpublished posts the viewer sees in it (``_posts_shown``)."""
    topics = (
        Topic.objects.readable_by(viewer)
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
# a long topic for it. A private topic's row comes back too, with whether the reader is a
# member of its area and whether a post of it waits in the review queue (and how many of
# its unpublished posts do): ``topic_reading`` decides from those, and a private topic of
# no area (a conversation) is refused there.
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
  EXISTS (SELECT 1 FROM accounts_block b WHERE b.blocker_id = %(reader)s),
  t.category_id, t.is_private, c.page_path,
  CASE WHEN t.is_private THEN EXISTS (SELECT 1 FROM forums_categorymember m
                                      WHERE m.category_id = t.category_id
                                      AND m.user_id = %(reader)s) ELSE FALSE END,
  CASE WHEN t.is_private THEN EXISTS (SELECT 1 FROM forums_flag f
                                      JOIN forums_post p ON p.id = f.post_id
                                      WHERE p.topic_id = t.id AND f.resolved_at IS NULL)
       ELSE FALSE END,
  CASE WHEN t.is_private THEN (SELECT COUNT(DISTINCT p.id) FROM forums_flag f
                               JOIN forums_post p ON p.id = f.post_id
                               WHERE p.topic_id = t.id AND f.resolved_at IS NULL
                               AND p.status <> %(published)s) ELSE 0 END
FROM forums_topic t
JOIN forums_category c ON c.id = t.category_id
LEFT JOIN forums_readstate r ON r.topic_id = t.id AND r.user_id = %(reader)s
WHERE t.id = %(topic)s
"""  # noqa: S608 (a fixed fragment of ours; values are parameters)

# What a reader through a report is told in place of the reply box.
BY_REPORT = "You read this topic through a report; you don't write in it."


def topic_reading(*, pk: int, viewer) -> TopicReading:
    """The reader's place in the topic (one query), or 404 if they may not see it. For a
    signed-in reader it also answers, for the rest of the request, whether they are a forum
    moderator and their active suspension (``permissions.remember``).

    A private area's topic (a mod team's discussion) is read by the area's members, as a
    member reads it (published posts and their own held or hidden ones), and by staff and
    forum moderators only while a post of it waits in the review queue (a report or a hold),
    who then read the published posts and those in the queue and write nothing. Anyone else,
    a person taken off the team included, gets a 404 from the next request on: membership is
    asked in this same statement."""
    if not viewer.is_authenticated:
        row = (
            Topic.objects.published()
            .filter(pk=pk)
            .values_list("slug", "author_id", "reply_count", "category_id")
            .first()
        )
        if row is None:
            raise Http404("No such topic.")
        slug, author_id, reply_count, category_id = row
        return TopicReading(
            pk=pk,
            slug=slug,
            author_id=author_id,
            posts_shown=reply_count + 1,
            unpublished_shown=0,
            category_id=category_id,
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
    (category_level, unread_notifications, reacted, blocks_someone) = row[11:15]
    (category_id, is_private, area_path, area_member, in_queue, queued_unpublished) = row[15:]
    remember_standing(viewer, in_group=in_group, suspension_id=suspension_id)
    is_private, area_member = bool(is_private), bool(area_member)
    shown = Topic(pk=pk, status=status, author_id=author_id, is_private=is_private)
    shown.area_member = area_member
    by_report = False
    if is_private and not area_path:
        raise Http404("No such topic.")  # a conversation: its own pages
    if is_private and not area_member:
        # Staff (or a forum moderator) outside the area, while a post of it is in the queue.
        if not (in_queue and permissions.reads_through_reports(viewer)):
            raise Http404("No such topic.")
        # Whatever the topic's state: a held opening post is in the queue too.
        by_report = True
    elif not permissions.can_see_topic(viewer, shown):
        raise Http404("No such topic.")
    if by_report:
        unpublished_shown = queued_unpublished or 0
    elif is_forum_moderator(viewer) and not is_private:
        unpublished_shown = everyones_unpublished
    else:
        unpublished_shown = own_unpublished
    return TopicReading(
        pk=pk,
        slug=slug,
        author_id=author_id,
        posts_shown=reply_count + int(status == Status.PUBLISHED) + unpublished_shown,
        unpublished_shown=unpublished_shown,
        # A reader through a report is not in the area: no read point, notices or watch.
        last_read_at=None
        if by_report
        else _from_db(ReadState._meta.get_field("last_read_at"), last_read_at),
        new_count=0 if by_report else new_count or 0,
        topic_level=topic_level,
        watch_level=topic_level or category_level or Subscription.Level.NORMAL,
        unread_notifications=bool(unread_notifications) and not by_report,
        reacted=bool(reacted),
        blocks_someone=bool(blocks_someone),
        category_id=category_id,
        is_private=is_private,
        area_member=area_member,
        by_report=by_report,
        area_path=area_path if is_private else "",
    )


def posts_seen(*, reading: TopicReading, viewer) -> QuerySet[Post]:
    """The topic's posts the reader sees (the reading already says they may see the topic):
    in a public topic ``visible_to``'s; in an area's topic a member's (published, and their
    own held or hidden), or for a reader through a report the published ones and those in
    the review queue."""
    posts = Post.objects.filter(topic_id=reading.pk)
    if not reading.is_private:
        return posts.visible_in_seen_topic(viewer)
    if reading.by_report:
        queued = Flag.objects.open().filter(post__topic_id=reading.pk).values("post_id")
        return posts.filter(Q(status=Status.PUBLISHED) | Q(pk__in=queued))
    return posts.filter(_visible_post(viewer))


def _visible_post(viewer) -> Q:
    return Q(status=Status.PUBLISHED) | Q(author=viewer, status__in=[Status.HELD, Status.HIDDEN])


def page_of_post(*, reading: TopicReading, viewer, post_id: str) -> tuple[int, int] | None:
    """The page of the topic a post of it is on for the reader, and the post's id (two
    queries); None for anything else in the address (not a number, not a post they see)."""
    pk = whole_number(post_id)
    if pk is None:
        return None
    post = posts_seen(reading=reading, viewer=viewer).filter(pk=pk).first()
    if post is None:
        return None
    return post_page_number(post=post, viewer=viewer, reading=reading), post.pk


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


@dataclass(frozen=True)
class NewReplies:
    count: int
    unread_url: str  # where "show" leads (``TopicReading.unread_url``)
    is_private: bool  # an area's topic: the answer is for its members only


def new_replies_count(*, pk: int, viewer, after: datetime) -> NewReplies:
    """How many posts of the topic were published after ``after``, for a reader who may see
    the topic (else 404): one query, counted on the post_published index (topic, status,
    published_at). Only published posts count, so nothing held or hidden is announced, and
    nothing is marked read. An area's topic (a mod team's discussion) is asked about by its
    members only."""
    published = (
        Post.objects.filter(topic=OuterRef("pk"), status=Status.PUBLISHED, published_at__gt=after)
        .order_by()
        .values("topic")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # Whether the reader is a member of the topic's area, asked in the same statement (the
    # visibility check below reads it); not ``readable_by``, which would ask whether they
    # are a forum moderator of every reader, a query the poll does without.
    member = CategoryMember.objects.filter(category=OuterRef("category"), user=viewer.pk)
    row = (
        Topic.objects.filter(pk=pk)
        .annotate(
            new=Coalesce(Subquery(published), 0),
            area_member=Exists(member) if viewer.is_authenticated else Value(False),
        )
        .values_list(
            "status", "author_id", "new", "is_private", "area_member", "category__page_path"
        )
        .first()
    )
    if row is None:
        raise Http404("No such topic.")
    status, author_id, new, is_private, area_member, area_path = row
    # The same check as the topic page's (a moderator asking about a topic not published is
    # the one case that costs a second query: whether they are one). A conversation is
    # asked about on its own pages.
    shown = Topic(pk=pk, status=status, author_id=author_id, is_private=is_private)
    shown.area_member = area_member and bool(area_path)
    if not permissions.can_see_topic(viewer, shown):
        raise Http404("No such topic.")
    reading = TopicReading(
        pk=pk,
        slug="",
        author_id=author_id,
        posts_shown=0,
        unpublished_shown=0,
        is_private=is_private,
        area_path=area_path if is_private else "",
    )
    return NewReplies(count=new, unread_url=reading.unread_url, is_private=is_private)


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
    """A post the viewer may see (with its topic and category), or 404: a public one as
    ``visible_to`` says, or one of a private area they are a member of (``readable_by``; the
    post and its topic carry ``area_member``)."""
    post = (
        Post.objects.readable_by(viewer)
        .select_related("topic__category", "author__profile")
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    post.topic.area_member = post.area_member
    return post


def post_page_number(*, post: Post, viewer, reading: TopicReading | None = None) -> int:
    """Which page of its topic the post is on, for this viewer (one query). Given the
    reader's place in the topic (``topic_reading``), counted among the posts it says they see
    (an area's topic, read by a member or through a report)."""
    if reading is not None:
        seen = posts_seen(reading=reading, viewer=viewer)
    elif post.topic.is_private:  # an area's, its member's (``post_for_viewer``)
        seen = Post.objects.readable_by(viewer).filter(topic_id=post.topic_id)
    else:
        seen = Post.objects.visible_to(viewer).filter(topic_id=post.topic_id)
    before = seen.filter(
        Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk)
    ).count()
    return before // POSTS_PER_PAGE + 1


def last_page_number(*, topic: Topic) -> int:
    """The topic's last page for the viewer it was read for (``topic_for_viewer``)."""
    return max(1, -(-_posts_shown(topic) // POSTS_PER_PAGE))


def first_unread_post(*, topic: Topic | TopicReading, viewer) -> Post | None:
    """The first post published since the viewer's last visit (None: nothing new)."""
    if not viewer.is_authenticated:
        return None
    last_read = (
        ReadState.objects.filter(user=viewer, topic_id=topic.pk)
        .values_list("last_read_at", flat=True)
        .first()
    )
    # An area's topic (read by a member: ``topic_reading``) or a public one.
    posts = (
        Post.objects.readable_by(viewer) if topic.is_private else Post.objects.visible_to(viewer)
    )
    posts = posts.filter(topic_id=topic.pk, status=Status.PUBLISHED)
    if last_read is not None:
        posts = posts.filter(published_at__gt=last_read)
    return posts.in_order().first()
