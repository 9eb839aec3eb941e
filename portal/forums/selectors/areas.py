"""Reads for a private area's own pages (a mod team's discussion): its topic list, at a fixed
number of queries whatever the number of topics (tests/teams/test_discussion.py counts it).
A topic of the area is the forums' topic page, read by ``selectors.topic_reading``, which
admits the area's members (and staff while a post of it is in the review queue).

An area is a private category with pages of its own (``Category.page_path``); its members
are its ``CategoryMember`` rows, which the owning app keeps in step with its own members.
Every read here asks for the viewer's membership in the same statement as the rows, through
``Topic.objects.private_for``: a person taken off the team reads nothing more from the next
request on, whatever page of the area they ask for. Nothing here widens the public reads
(``published()``, ``visible_to()``), which go on leaving every private topic out.
"""

from __future__ import annotations

from django.core.paginator import Page
from django.db.models import Q

from portal.forums.models import (
    TOPICS_PER_PAGE,
    Category,
    Status,
    Topic,
)
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
