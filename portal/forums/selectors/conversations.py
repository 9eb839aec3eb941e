"""Reads for the private conversation pages, each at a fixed number of queries whatever the
number of conversations or messages (tests/forums/test_conversation_queries.py).

Who reads a conversation: its participants and observers while they are in it; forum
moderators and staff only through a message someone reported, and then only while the report
is open (``ConversationAccess.by_report``). Everyone else gets a 404, as for anything private.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from portal.accounts.models import Block
from portal.accounts.second_factor import require_second_factor
from portal.board.rules import safety_concerns
from portal.forums.models import POSTS_PER_PAGE, Flag, Participant, Post, ReadState, Status, Topic
from portal.forums.permissions import reads_through_reports
from portal.forums.selectors.paging import paginate
from portal.forums.services.conversations import CONVERSATIONS_SLUG

CONVERSATIONS_PER_PAGE = 30


def _conversations() -> Topic:
    return Topic.objects.filter(is_private=True, category__slug=CONVERSATIONS_SLUG)


def conversations_page(*, viewer, number=1) -> Page:
    """The viewer's conversations, latest activity first, each with its people and whether
    it holds a message they have not read: three queries (the count, the page, its people)."""
    read_since = ReadState.objects.filter(
        user=viewer, topic=OuterRef("pk"), last_read_at__gte=OuterRef("last_posted_at")
    )
    topics = (
        _conversations()
        .filter(Exists(Participant.objects.present().filter(topic=OuterRef("pk"), user=viewer)))
        .select_related("last_post_by__profile")
        .annotate(is_read=Exists(read_since))
        .order_by("-last_posted_at", "-pk")
    )
    page = paginate(topics, number, CONVERSATIONS_PER_PAGE)
    page.object_list = list(page.object_list)
    people: dict[int, list[Participant]] = {}
    for place in (
        Participant.objects.present()
        .filter(topic__in=[topic.pk for topic in page.object_list])
        .select_related("user__profile")
        .order_by("joined_at", "pk")
    ):
        people.setdefault(place.topic_id, []).append(place)
    for topic in page.object_list:
        topic.people = [p for p in people.get(topic.pk, []) if p.user_id != viewer.pk]
        topic.is_unread = not topic.is_read and topic.last_post_by_id != viewer.pk
    return page


@dataclass
class ConversationAccess:
    """How the viewer reads a conversation: their own place in it, or an open report on one
    of its messages (every page read that way is logged: services.conversation_read_log)."""

    topic: Topic
    place: Participant | None
    report: Flag | None = None

    @property
    def by_report(self) -> bool:
        return self.report is not None

    @property
    def can_write(self) -> bool:
        return self.place is not None and not self.place.is_observer


def conversation_for_reader(*, pk: int, viewer) -> ConversationAccess:
    """The conversation and the viewer's place in it (one query; a second for a forum
    moderator who is not in it: whether a message of it is reported), or 404."""
    if not viewer.is_authenticated:
        raise Http404("No such conversation.")
    topic = _conversations().filter(pk=pk).first()
    if topic is None:
        raise Http404("No such conversation.")
    place = Participant.objects.present().filter(topic=topic, user=viewer).first()
    if place is not None:
        return ConversationAccess(topic=topic, place=place)
    if reads_through_reports(viewer):
        report = open_report(topic)
        if report is not None:
            # Reading someone's private conversation is a moderator's power over them: with
            # a second factor only, as staff reading applications through a report.
            require_second_factor(viewer)
            return ConversationAccess(topic=topic, place=None, report=report)
    raise Http404("No such conversation.")


def open_report(topic: Topic) -> Flag | None:
    """The oldest report on a message of the conversation still waiting in the moderators'
    queue, or None."""
    return (
        Flag.objects.open()
        .filter(post__topic=topic, kind=Flag.Kind.REPORT)
        .select_related("post")
        .order_by("created_at", "pk")
        .first()
    )


@dataclass
class ConversationView:
    topic: Topic
    page: Page
    people: list[Participant]
    observers: list[Participant]
    left: list[Participant]
    last_read_at: object = None
    messages: list[Post] = field(default_factory=list)
    # A conversation of two in which either blocks the other: it takes no new messages
    # (services/conversations.py), so the page offers no form.
    stopped_by_block: bool = False


def conversation_view(*, access: ConversationAccess, viewer, number) -> ConversationView:
    """A page of the conversation's messages (deleted ones in their place, without their
    text; the reader's own messages a moderator hid, marked, as a forum post's author sees
    theirs), its people, and how each message is shown to this reader (the anti-scam
    warning, collapsed when its author is someone they block): five queries."""
    topic = access.topic
    messages = (
        Post.objects.filter(_shown_to(viewer), topic=topic)
        .select_related("author__profile")
        .in_order()
    )
    page = paginate(messages, number, POSTS_PER_PAGE)
    page.object_list = list(page.object_list)
    places = list(
        Participant.objects.filter(topic=topic)
        .select_related("user__profile")
        .order_by("joined_at", "pk")
    )
    # Blocks either way in one query: whom the viewer blocks folds their messages away; a
    # block either way with the one other person in it stops the conversation.
    pairs = list(
        Block.objects.filter(Q(blocker=viewer) | Q(blocked=viewer)).values_list(
            "blocker_id", "blocked_id"
        )
    )
    blocked = {b for a, b in pairs if a == viewer.pk}
    either_way = blocked | {a for a, b in pairs if b == viewer.pk}
    last_read_at = (
        ReadState.objects.filter(user=viewer, topic=topic)
        .values_list("last_read_at", flat=True)
        .first()
    )
    for message in page.object_list:
        message.is_deleted = message.status == Status.DELETED
        message.is_hidden = message.status == Status.HIDDEN
        message.is_mine = message.author_id == viewer.pk
        message.by_blocked = message.author_id in blocked
        message.concerns = (
            [] if message.is_mine or message.is_deleted else safety_concerns(message.body)
        )
        message.is_new = (
            last_read_at is not None
            and not message.is_mine
            and message.published_at is not None
            and message.published_at > last_read_at
        )
    people = [p for p in places if p.left_at is None and not p.is_observer]
    others = [p.user_id for p in people if p.user_id != viewer.pk]
    return ConversationView(
        topic=topic,
        page=page,
        people=people,
        stopped_by_block=len(others) == 1 and others[0] in either_way,
        observers=[p for p in places if p.left_at is None and p.is_observer],
        left=[p for p in places if p.left_at is not None],
        last_read_at=last_read_at,
        messages=page.object_list,
    )


def message_for_reader(*, pk: int, viewer) -> tuple[Post, ConversationAccess]:
    """A message of a conversation the viewer reads, or 404."""
    topic_id = (
        Post.objects.filter(pk=pk, topic__is_private=True, topic__category__slug=CONVERSATIONS_SLUG)
        .values_list("topic_id", flat=True)
        .first()
    )
    if topic_id is None:
        raise Http404("No such message.")
    access = conversation_for_reader(pk=topic_id, viewer=viewer)
    post = Post.objects.select_related("author__profile", "topic").get(pk=pk)
    return post, access


def _shown_to(viewer) -> Q:
    """The messages a conversation's page shows this reader (``conversation_view``)."""
    return Q(status__in=[Status.PUBLISHED, Status.DELETED]) | Q(
        status=Status.HIDDEN, author_id=viewer.pk
    )


def message_page_number(*, post: Post, viewer) -> int:
    """Which page of its conversation a message is on, as the viewer's pages show it (one
    query)."""
    before = (
        Post.objects.filter(_shown_to(viewer), topic_id=post.topic_id)
        .filter(Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk))
        .count()
    )
    return before // POSTS_PER_PAGE + 1
