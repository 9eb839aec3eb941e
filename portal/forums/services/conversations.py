"""Private conversations: one-to-one and small-group topics between members, as Discourse's
private messages are, on the forums' own machinery (topics, posts, the one renderer, read
state, notifications, the limiter), not a second messaging system.

A conversation is a topic of the one private category (``conversations_category``), marked
``is_private``, so every public read leaves it out (models/private.py); who reads it is its
``Participant`` rows. Its messages are never held for review: the review queue is read by
forum moderators, and staff read a conversation only through a message someone reported.
What the queue would have caught is met here instead: a new account's first contacts are
few (limits.py), messages with links wait until the person is no longer new, and readers
see the anti-scam warning on a message that asks for a password, a stream key, a login code
or money (the board's detector, board/rules.py).

Safeguarding: an adult and someone under 18 (or who did not say: that counts as under 18)
never start a private conversation with each other, except a mentorship's conversation,
which its observer reads (``purpose="mentorship"`` with an observer). Blocks either way keep
two people out of one conversation, with a refusal that does not say why.

``conversation_start`` and ``conversation_add_message`` are the seam other apps (mentoring's
check-ins) call; they are re-exported by ``portal.forums.services``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from portal.accounts.models import Block, User
from portal.core.limits import is_new_account
from portal.forums import limits
from portal.forums.models import (
    Category,
    Notification,
    Participant,
    Post,
    ReadState,
    Status,
    Topic,
)
from portal.forums.permissions import active_suspension, require, suspension_text
from portal.forums.services.posting import FIRST_LINK_POSTS_HELD, _slug, lock_person
from portal.forums.services.reading import topic_read
from portal.forums.services.unread import recount_unread, recount_unread_conversations
from portal.forums.services.versions import save_changed
from portal.forums.text import body_hash, has_links, render_post

CONVERSATIONS_SLUG = "private-conversations"
# Participants, the starter included ("small-group conversations, up to 10 people").
MAX_PEOPLE = 10
MAX_OBSERVERS = 3
# Purposes whose conversation may cross the adult/under-18 line, because an observer reads
# it (the mentorship's own conversation).
OBSERVED_PURPOSES = frozenset({"mentorship"})

REMOVED_MESSAGE = "_Deleted by its author._"
LINKS_WAIT = (
    "Links in private messages open up once your account is a week old and "
    f"{FIRST_LINK_POSTS_HELD} of your forum posts with links are published: a stranger's link "
    "in a private message is the commonest way scams begin. Send it without the link for now."
)
# Said alike of a closed conversation and of one a block stopped: the blocked person is not
# told of the block.
STOPPED = "This conversation takes no new messages."
AGE_LINE = (
    "Members under 18 and adults don't start private conversations with each other on "
    "Modhall (a mentorship's conversation, which its observer can read, is the exception). "
    "Talk in the forums instead."
)


def conversations_category() -> Category:
    """The one private category every conversation is a topic of (made on first use)."""
    category, _ = Category.objects.get_or_create(
        slug=CONVERSATIONS_SLUG,
        defaults={
            "name": "Private conversations",
            "description": "Conversations between members; never listed.",
            "is_private": True,
            "order": 32767,
        },
    )
    return category


def _distinct(people: Sequence[User], *, leaving_out: set[int]) -> list[User]:
    seen = set(leaving_out)
    result = []
    for person in people:
        if person.pk not in seen:
            seen.add(person.pk)
            result.append(person)
    return result


def _is_adult(person: User) -> bool:
    profile = getattr(person, "profile", None)
    return bool(profile and profile.is_adult)


def start_refusal(
    *, starter: User, others: Sequence[User], observers: Sequence[User] = (), purpose: str = ""
) -> str | None:
    """Why ``starter`` may not start this conversation, or None. A block is refused in the
    same words as an account that cannot take conversations: the blocked person is not
    told."""
    if not starter.is_authenticated or not starter.is_active:
        return "Log in to start a conversation."
    suspension = active_suspension(starter)
    if suspension is not None:
        return suspension_text(suspension)
    if not others:
        return "Name at least one member to talk with."
    if len(others) + 1 > MAX_PEOPLE:
        return f"A conversation has at most {MAX_PEOPLE} people, you included."
    if len(observers) > MAX_OBSERVERS:
        return f"A conversation has at most {MAX_OBSERVERS} observers."
    everyone = [starter, *others, *observers]
    for person in [*others, *observers]:
        if not person.is_active:
            return f"You can't start a conversation with {person.username}."
    ids = [person.pk for person in everyone]
    blocked = set(
        Block.objects.filter(blocker_id__in=ids, blocked_id__in=ids).values_list(
            "blocker_id", "blocked_id"
        )
    )
    if blocked:
        # Name the other person in a pair with the starter; otherwise say only that these
        # people can't be in one conversation.
        for person in [*others, *observers]:
            if (starter.pk, person.pk) in blocked or (person.pk, starter.pk) in blocked:
                return f"You can't start a conversation with {person.username}."
        return "These members can't be in one conversation together."
    observed = purpose in OBSERVED_PURPOSES and bool(observers)
    if not observed and any(_is_adult(person) != _is_adult(starter) for person in others):
        return AGE_LINE
    return None


def _links_refusal(author: User, *, now: datetime) -> str | None:
    if is_new_account(author, now):
        return LINKS_WAIT
    published = Post.objects.filter(
        author=author, has_links=True, status=Status.PUBLISHED, topic__is_private=False
    ).count()
    return LINKS_WAIT if published < FIRST_LINK_POSTS_HELD else None


def _checked_body(*, author: User, body: str, now: datetime) -> tuple[str, str, bool]:
    """The message's stored HTML, hash and links, after the limits (a RateLimited error, a
    429 on the page) and the duplicate check."""
    digest = body_hash(body)
    limits.check_posting(user=author, starting_topic=False, now=now)
    limits.check_duplicate(user=author, body_hash=digest, now=now)
    html, _ = render_post(body)
    links = has_links(body, html)
    if links:
        refusal = _links_refusal(author, now=now)
        if refusal:
            raise ValidationError({"body": refusal}, code="links_wait")
    return html, digest, links


@transaction.atomic
def conversation_start(
    *,
    starter: User,
    others: Sequence[User],
    title: str,
    body: str,
    observers: Sequence[User] = (),
    purpose: str = "",
) -> Topic:
    """Start a private conversation between ``starter`` and ``others`` (at most nine), read
    also by ``observers``, who are named to everyone in it. ``purpose`` ("mentorship") marks
    a conversation started for a reason; with an observer, a mentorship's conversation may
    join an adult and someone under 18."""
    lock_person(starter)
    others = _distinct(others, leaving_out={starter.pk})
    observers = _distinct(observers, leaving_out={starter.pk, *(p.pk for p in others)})
    require(start_refusal(starter=starter, others=others, observers=observers, purpose=purpose))
    now = timezone.now()
    if not purpose:
        # A conversation something else started for a reason (a mentorship) is no first
        # contact by the person, so it counts against no limit of theirs.
        limits.check_conversation_start(user=starter, now=now)
    title = " ".join(title.split())
    html, digest, links = _checked_body(author=starter, body=body, now=now)
    topic = Topic(
        category=conversations_category(),
        author=starter,
        title=title,
        slug=_slug(title),
        status=Status.PUBLISHED,
        is_private=True,
        purpose=purpose,
        created_at=now,
        last_posted_at=now,
        last_post_by=starter,
    )
    topic.full_clean()
    topic.save()
    Participant.objects.bulk_create(
        [Participant(topic=topic, user=starter, joined_at=now)]
        + [Participant(topic=topic, user=person, joined_at=now) for person in others]
        + [
            Participant(topic=topic, user=person, kind=Participant.Kind.OBSERVER, joined_at=now)
            for person in observers
        ]
    )
    _message_add(
        topic=topic, author=starter, body=body, html=html, digest=digest, links=links, now=now,
        is_opening=True,
    )  # fmt: skip
    return topic


@transaction.atomic
def conversation_observer_add(*, conversation: Topic, observer: User) -> Participant:
    """Someone who reads a conversation without writing in it, added after it began (a
    mentorship's observer named later). Named to everyone in it, as observers are from the
    start, and refused where a start with them would be: an account that is gone, a block
    either way with someone in it, too many observers. Someone who had left it comes back as
    an observer; someone taking part in it stays as they are."""
    topic = (
        Topic.objects.select_for_update(no_key=True)
        .filter(pk=conversation.pk, is_private=True, category__slug=CONVERSATIONS_SLUG)
        .first()
    )
    if topic is None:
        raise PermissionDenied("No such conversation.")
    places = list(Participant.objects.filter(topic=topic))
    mine = next((place for place in places if place.user_id == observer.pk), None)
    if mine is not None and mine.left_at is None:
        if mine.is_observer:
            return mine
        raise ValidationError("They take part in this conversation already.")
    present = [place for place in places if place.left_at is None]
    if not observer.is_active:
        raise ValidationError(f"{observer.username} can't read this conversation.")
    if sum(place.is_observer for place in present) >= MAX_OBSERVERS:
        raise ValidationError(f"A conversation has at most {MAX_OBSERVERS} observers.")
    others = [place.user_id for place in present]
    if Block.objects.filter(
        Q(blocker=observer, blocked_id__in=others) | Q(blocked=observer, blocker_id__in=others)
    ).exists():
        raise ValidationError("These members can't be in one conversation together.")
    now = timezone.now()
    if mine is None:
        mine = Participant(topic=topic, user=observer)
    mine.kind, mine.joined_at, mine.left_at = Participant.Kind.OBSERVER, now, None
    mine.save()
    recount_unread_conversations([observer.pk])
    return mine


def message_refusal(person: User, topic: Topic, place: Participant | None) -> str | None:
    """Why ``person`` (whose place in the conversation is ``place``) may not write in it."""
    if place is None or place.left_at is not None:
        return "You are not in this conversation."
    if place.is_observer:
        return "Observers read this conversation; they don't write in it."
    suspension = active_suspension(person)
    if suspension is not None:
        return suspension_text(suspension)
    if topic.is_locked or topic.is_closed:
        return STOPPED
    return None


def _blocked_one_to_one(topic: Topic, author: User) -> bool:
    """In a conversation of two, a block either way (made since it began) stops it, in the
    same neutral words as a closed one."""
    others = list(
        Participant.objects.present()
        .filter(topic=topic, kind=Participant.Kind.PARTICIPANT)
        .exclude(user=author)
        .values_list("user_id", flat=True)[:2]
    )
    return len(others) == 1 and Block.objects.between(author.pk, others[0]).exists()


@transaction.atomic
def conversation_add_message(*, conversation: Topic, author: User, body: str) -> Post:
    """Write a message in a conversation the author takes part in (not as an observer)."""
    lock_person(author)
    # The conversation's row, locked: its messages are counted one after another.
    topic = (
        Topic.objects.select_for_update(no_key=True)
        .filter(pk=conversation.pk, is_private=True, category__slug=CONVERSATIONS_SLUG)
        .first()
    )
    if topic is None:
        raise PermissionDenied("You are not in this conversation.")
    place = Participant.objects.filter(topic=topic, user=author).first()
    require(message_refusal(author, topic, place))
    if _blocked_one_to_one(topic, author):
        raise PermissionDenied(STOPPED)
    now = timezone.now()
    html, digest, links = _checked_body(author=author, body=body, now=now)
    return _message_add(
        topic=topic, author=author, body=body, html=html, digest=digest, links=links, now=now,
        is_opening=False,
    )  # fmt: skip


def _counts_refresh(topic: Topic) -> None:
    """The conversation's kept counts (replies, latest message), from its published messages.
    Not the category's: it is never listed, and recounting it would make every conversation
    on the site take turns on one row."""
    published = Post.objects.filter(topic=topic, status=Status.PUBLISHED)
    latest = published.order_by("-published_at", "-pk").values("published_at", "author").first()
    topic.reply_count = published.filter(is_opening=False).count()
    if latest is not None:
        topic.last_posted_at, topic.last_post_by_id = latest["published_at"], latest["author"]
    save_changed(topic, "reply_count", "last_posted_at", "last_post_by")


def _message_add(
    *, topic: Topic, author: User, body: str, html: str, digest: str, links: bool,
    now: datetime, is_opening: bool,
) -> Post:  # fmt: skip
    post = Post(
        topic=topic,
        author=author,
        is_opening=is_opening,
        body=body,
        body_html=html,
        body_hash=digest,
        has_links=links,
        status=Status.PUBLISHED,
        created_at=now,
        published_at=now,
    )
    post.full_clean()
    post.save()
    _counts_refresh(topic)
    _tell_participants(post, now=now)
    return post


def _tell_participants(post: Post, *, now: datetime) -> None:
    """Everyone else taking part hears of the message (observers read it without being
    told of each one), except someone who blocks its author; an unread notice about the
    conversation is gathered ("3 new messages") rather than repeated, as for watched topics."""
    from portal.forums.services.notifications import notify

    topic = post.topic
    places = list(Participant.objects.present().filter(topic=topic).values_list("user_id", "kind"))
    everyone = [user_id for user_id, _ in places]
    blockers = set(
        Block.objects.filter(blocker_id__in=everyone, blocked_id=post.author_id).values_list(
            "blocker_id", flat=True
        )
    )
    told = {
        user_id
        for user_id, kind in places
        if kind == Participant.Kind.PARTICIPANT
        and user_id != post.author_id
        and user_id not in blockers
    }
    unread = Notification.objects.unread().filter(
        kind=Notification.Kind.MESSAGE, topic=topic, recipient_id__in=told
    )
    gathered = set(unread.values_list("recipient_id", flat=True))
    if gathered:
        unread.update(count=F("count") + 1, actor=post.author, post=post, created_at=now)
    notify(
        [
            Notification(
                recipient_id=user_id,
                kind=Notification.Kind.MESSAGE,
                actor=post.author,
                topic=topic,
                post=post,
                created_at=now,
            )
            for user_id in sorted(told - gathered)
        ]
    )
    recount_unread_conversations(everyone)


def conversation_read(*, reader: User, topic: Topic) -> None:
    """The reader saw the conversation to its latest message: move their read point, clear
    their notices about it and recount their header's counts. Nothing is written when they
    had already read it all."""
    last_read_at = (
        ReadState.objects.filter(user=reader, topic=topic)
        .values_list("last_read_at", flat=True)
        .first()
    )
    if last_read_at is not None and last_read_at >= topic.last_posted_at:
        return
    topic_read(
        reader=reader,
        topic_id=topic.pk,
        seen_until=topic.last_posted_at,
        last_read_at=last_read_at,
        unread_notifications=True,
    )
    recount_unread_conversations([reader.pk])


@transaction.atomic
def conversation_leave(*, conversation: Topic, person: User) -> None:
    """Leave a conversation: it leaves the person's list, and they can no longer read it.
    The others see they left; what they wrote stays."""
    now = timezone.now()
    left = Participant.objects.present().filter(topic=conversation, user=person).update(left_at=now)
    if not left:
        raise PermissionDenied("You are not in this conversation.")
    if Notification.objects.filter(
        recipient=person, topic=conversation, read_at__isnull=True
    ).update(read_at=now):
        recount_unread([person.pk])
    recount_unread_conversations([person.pk])


@transaction.atomic
def message_delete(*, message: Post, person: User) -> Post:
    """Delete one's own message: the others see "deleted" in its place, and its text is gone
    from the database too, not only hidden."""
    post = (
        Post.objects.select_for_update(no_key=True)
        .select_related("topic")
        .filter(pk=message.pk, topic__is_private=True)
        .first()
    )
    if post is None or post.author_id != person.pk:
        raise PermissionDenied("Only its author deletes a message.")
    if post.status == Status.DELETED:
        return post
    if not Participant.objects.present().filter(topic=post.topic, user=person).exists():
        raise PermissionDenied("You are not in this conversation.")
    post.status = Status.DELETED
    post.body, post.body_html, post.has_links = REMOVED_MESSAGE, "", False
    post.body_hash = body_hash(REMOVED_MESSAGE)
    save_changed(post, "status", "body", "body_html", "has_links", "body_hash")
    post.revisions.all().delete()
    _counts_refresh(post.topic)
    # A notice pointing at the message now points at nothing: it no longer counts.
    Notification.objects.filter(post=post, read_at__isnull=True).update(read_at=timezone.now())
    recount_unread(Notification.objects.filter(post=post).values_list("recipient_id", flat=True))
    recount_unread_conversations(
        Participant.objects.present().filter(topic=post.topic).values_list("user_id", flat=True)
    )
    return post
