"""Reads for a private area's pages (a mod team's discussion): its topic list, one of its
topics with a page of posts, and where a post falls. Each at a fixed number of queries
whatever the number of topics or posts (tests/teams/test_discussion.py counts them).

An area is a private category with pages of its own (``Category.page_path``); its members
are its ``CategoryMember`` rows, which the owning app keeps in step with its own members.
Every read here asks for the viewer's membership in the same statement as the rows, through
``Topic.objects.private_for``: a person taken off the team reads nothing more from the next
request on, whatever page of the area they ask for. Nothing here widens the public reads
(``published()``, ``visible_to()``), which go on leaving every private topic out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page
from django.db.models import Q
from django.http import Http404

from portal.core.text import whole_number
from portal.forums.models import (
    POSTS_PER_PAGE,
    TOPICS_PER_PAGE,
    Category,
    Flag,
    Post,
    ReadState,
    Status,
    Topic,
)
from portal.forums.permissions import is_forum_moderator
from portal.forums.selectors.lists import attach_read_marks
from portal.forums.selectors.paging import paginate


def _area_topics(category: Category, viewer):
    """The area's topics the viewer reads (none unless they are a member): published ones,
    and their own held or hidden ones."""
    shown = Q(status=Status.PUBLISHED)
    if viewer.is_authenticated:
        shown |= Q(author=viewer, status__in=[Status.HELD, Status.HIDDEN])
    return Topic.objects.private_for(viewer).filter(shown, category=category)


def area_topics(*, category: Category, viewer, number=1) -> Page:
    """A page of the area's topics, pinned then latest activity first, each with the
    viewer's read mark (``topic.mark``): three queries (the count, the page, the marks)."""
    topics = (
        _area_topics(category, viewer).listed().order_by("-is_pinned", "-last_posted_at", "-pk")
    )
    page = paginate(topics, number, TOPICS_PER_PAGE)
    page.object_list = list(page.object_list)
    attach_read_marks(page.object_list, viewer)
    return page


def area_topic(*, category: Category, pk: int, viewer) -> Topic:
    """One topic of the area, for a member (404 for anyone else). One query."""
    topic = _area_topics(category, viewer).select_related("category").filter(pk=pk).first()
    if topic is None:
        raise Http404("No such topic.")
    return topic


def reported_topic(*, category: Category, pk: int, viewer) -> Topic | None:
    """The area's topic for staff or a forum moderator, while a post of it waits in the
    review queue as a report or a hold: the only way anyone outside the area reads it, as
    for a private conversation. None otherwise."""
    if not (viewer.is_authenticated and (viewer.is_staff or is_forum_moderator(viewer))):
        return None
    flagged = Flag.objects.open().filter(post__topic_id=pk)
    return (
        Topic.objects.filter(pk=pk, category=category, is_private=True)
        .filter(pk__in=flagged.values("post__topic_id"))
        .select_related("category")
        .first()
    )


@dataclass
class AreaTopicView:
    topic: Topic
    page: Page
    last_read_at: datetime | None
    seen_until: datetime


def area_topic_view(*, topic: Topic, viewer, number, by_report: bool = False) -> AreaTopicView:
    """A page of the topic's posts as the viewer sees them (published ones, and their own
    held or hidden ones; for a reader through a report, the published and the flagged ones),
    with their read point: three queries (the count, the page, the read point)."""
    shown = Q(status=Status.PUBLISHED)
    if by_report:
        shown |= Q(pk__in=Flag.objects.open().filter(post__topic=topic).values("post_id"))
    elif viewer.is_authenticated:
        shown |= Q(author=viewer, status__in=[Status.HELD, Status.HIDDEN])
    posts = (
        Post.objects.filter(shown, topic=topic)
        .select_related("author__profile")
        .defer("search_vector")
        .in_order()
    )
    page = paginate(posts, number, POSTS_PER_PAGE)
    page.object_list = list(page.object_list)
    last_read_at = (
        None
        if by_report
        else ReadState.objects.filter(user=viewer, topic=topic)
        .values_list("last_read_at", flat=True)
        .first()
    )
    published = [p.published_at for p in page.object_list if p.published_at]
    seen_until = max(published, default=topic.last_posted_at)
    for post in page.object_list:
        post.is_new = (
            last_read_at is not None
            and post.author_id != viewer.pk
            and post.published_at is not None
            and post.published_at > last_read_at
        )
    return AreaTopicView(topic=topic, page=page, last_read_at=last_read_at, seen_until=seen_until)


def area_post_page_number(*, topic: Topic, post_id: str, viewer) -> tuple[int, int] | None:
    """The page of the topic a post of it is on, and its id, for the viewer (two queries); None
    for anything else in the address."""
    pk = whole_number(post_id)
    if pk is None:
        return None
    post = Post.objects.filter(pk=pk, topic=topic).values("pk", "created_at", "status").first()
    if post is None:
        return None
    shown = Q(status=Status.PUBLISHED)
    if viewer.is_authenticated:
        shown |= Q(author=viewer, status__in=[Status.HELD, Status.HIDDEN])
    before = (
        Post.objects.filter(shown, topic=topic)
        .filter(
            Q(created_at__lt=post["created_at"])
            | Q(created_at=post["created_at"], pk__lt=post["pk"])
        )
        .count()
    )
    return before // POSTS_PER_PAGE + 1, post["pk"]
