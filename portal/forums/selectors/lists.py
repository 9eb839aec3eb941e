"""The topic lists (latest, unanswered, a category's) and the forum index, with each reader's
read state of the listed topics and their standing in a category.

Lists page with Django's Paginator (a count kept on a row where there is one, and a slice),
then decorate the page's rows in bulk; nothing runs a query per row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce

from portal.accounts.models import User
from portal.forums.models import (
    TOPICS_PER_PAGE,
    Category,
    ReadState,
    Status,
    Subscription,
    Topic,
)
from portal.forums.selectors.paging import paginate
from portal.forums.selectors.standing import STANDING_COLUMNS, remember_standing, standing_params


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


# What a list page asks about its reader (read state, standing in a category) is written out
# as SQL: it runs for every reader on every list page, and the ORM spent several times longer
# building these statements (an IN list of thirty ids, correlated subqueries) than the
# database took to answer them.


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
    page = paginate(queryset, number, TOPICS_PER_PAGE, count=count)
    page.object_list = list(page.object_list)
    return page


_MUTES_SQL = f"""
SELECT EXISTS (SELECT 1 FROM {Subscription._meta.db_table} WHERE user_id = %s AND level = %s)
"""  # noqa: S608 (a table name from the model; values are parameters)


def mutes_anything(viewer) -> bool:
    """Whether the viewer muted a topic or a category. Most readers mute nothing, and for them
    the latest list is everyone's: asking first (a statement written out for the reason
    ``attach_read_marks`` gives) spares building the list's and its count's exclusions, 2 to
    3 ms of the ORM's Python on every view."""
    if not viewer.is_authenticated:
        return False
    return bool(_one_row(_MUTES_SQL, [viewer.pk, Subscription.Level.MUTED])[0])


def latest_topics(*, muted_by=None, number=1, unanswered: bool = False) -> Page:
    """The latest (or unanswered) published topics, less those ``muted_by`` muted (None or a
    visitor: all of them)."""
    viewer = muted_by if muted_by is not None and mutes_anything(muted_by) else AnonymousUser()
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


def categories_for_index(*, viewer=None) -> list[Category]:
    """The categories with their kept activity (one query) and, for a signed-in reader, how
    many topics in each hold posts they have not read (``category.unread``: one more)."""
    categories = list(Category.objects.with_activity())
    unread = unread_by_category(viewer) if viewer is not None else {}
    for category in categories:
        category.unread = unread.get(category.pk, 0)
    return categories


_UNREAD_BY_CATEGORY_SQL = f"""
SELECT topic.category_id, COUNT(*)
FROM {Topic._meta.db_table} topic
LEFT JOIN {ReadState._meta.db_table} state
  ON state.topic_id = topic.id AND state.user_id = %(reader)s
WHERE topic.status = %(published)s AND NOT topic.is_private
  AND topic.last_posted_at > %(joined)s
  AND (state.id IS NULL OR topic.last_posted_at > state.last_read_at)
  AND NOT EXISTS (SELECT 1 FROM {Subscription._meta.db_table} muted
                  WHERE muted.user_id = %(reader)s AND muted.topic_id = topic.id
                    AND muted.level = %(muted)s)
  AND NOT (EXISTS (SELECT 1 FROM {Subscription._meta.db_table} muted
                   WHERE muted.user_id = %(reader)s AND muted.category_id = topic.category_id
                     AND muted.level = %(muted)s)
           AND NOT EXISTS (SELECT 1 FROM {Subscription._meta.db_table} watched
                           WHERE watched.user_id = %(reader)s AND watched.topic_id = topic.id))
GROUP BY topic.category_id
"""  # noqa: S608 (table names from the models; values are parameters)


def unread_by_category(viewer) -> dict[int, int]:
    """How many published public topics (``published()``) in each category had activity the
    reader has not read: one grouped query, whatever the number of categories or topics.
    Unread means what the topic lists mark (``attach_read_marks``): posted in after the
    reader's read point in it, or, for a topic never opened, after they joined. No read point
    can be older than the reader's joining, so "after they joined" also bounds the scan on
    the topic list's index (status, latest activity) to the topics active since. Muted
    topics are not counted, as ``TopicQuerySet.not_muted_by`` leaves them out: a muted topic,
    and a topic in a muted category unless the reader set a level on the topic itself.

    Written out: composed through the ORM (a FilteredRelation for the reader's read state,
    three Exists for the mutes) it cost 3.4 ms of Python on every signed-in view of the forum
    index, about a third of the page (large data, 200 runs)."""
    if not viewer.is_authenticated:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            _UNREAD_BY_CATEGORY_SQL,
            {
                "reader": viewer.pk,
                "published": Status.PUBLISHED,
                "joined": viewer.date_joined,
                "muted": Subscription.Level.MUTED,
            },
        )
        return dict(cursor.fetchall())


_STANDING_SQL = f"""
SELECT
  (SELECT level FROM forums_subscription WHERE user_id = %(reader)s AND category_id = %(category)s),
  EXISTS (SELECT 1 FROM forums_topic WHERE author_id = %(reader)s AND category_id = %(category)s
          AND status IN (%(held)s, %(hidden)s)),
{STANDING_COLUMNS}
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
            **standing_params(viewer),
            "category": category.pk,
            "held": Status.HELD,
            "hidden": Status.HIDDEN,
        },
    )
    remember_standing(viewer, in_group=in_group, suspension_id=suspension_id)
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
