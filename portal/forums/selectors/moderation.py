"""The forum moderators' pages: the review queue, the log, a person's record."""

from __future__ import annotations

from django.core.paginator import Page
from django.http import Http404

from portal.accounts.models import User
from portal.forums.models import ConversationRead, Flag, ModerationAction
from portal.forums.selectors.paging import paginate

QUEUE_PER_PAGE = 20


LOG_PER_PAGE = 50


def _queue_flags():
    return Flag.objects.select_related(
        "post__topic__category", "post__author__profile", "reporter"
    ).defer("post__search_vector")


def review_queue(*, number=1) -> Page:
    """Held posts and reports together, oldest first."""
    flags = _queue_flags().open().order_by("created_at", "pk")
    return paginate(flags, number, QUEUE_PER_PAGE)


def queue_item(*, pk: int) -> Flag:
    """One held post or report as the queue shows it, open or just decided (or 404)."""
    flag = _queue_flags().filter(pk=pk).first()
    if flag is None:
        raise Http404("No such report.")
    return flag


def moderation_log(*, number=1, person: User | None = None) -> Page:
    actions = ModerationAction.objects.select_related("moderator", "topic", "person").order_by(
        "-created_at", "-pk"
    )
    if person is not None:
        actions = actions.filter(person=person)
    return paginate(actions, number, LOG_PER_PAGE)


def conversation_reads(*, number=1) -> Page:
    """The log of conversations read through reports, newest first: two queries (the count,
    the page with its reader and report)."""
    reads = ConversationRead.objects.select_related("reader", "report__reporter").order_by(
        "-created_at", "-pk"
    )
    return paginate(reads, number, LOG_PER_PAGE)


def person_for_moderation(*, username: str) -> User:
    person = User.objects.select_related("profile").filter(username=username).first()
    if person is None:
        raise Http404("No such person.")
    return person
