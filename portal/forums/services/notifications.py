"""In-app notifications (and the emails some of them send, after commit): who hears about a
new post, a mention, a reaction, an accepted answer or a moderator's decision, respecting
everyone's watch levels."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.accounts.models import Block, User
from portal.core.outbox import enqueue_on_commit
from portal.forums.models import CategoryMember, Notification, Post, Subscription, Topic
from portal.forums.services.counts import topic_stats_refresh
from portal.forums.services.unread import recount_unread
from portal.forums.tasks import send_notification_email
from portal.forums.text import mentioned_people

# The in-app notifications that also go out by email straight away (if the person wants).
EMAILED_KINDS = {
    Notification.Kind.REPLY,
    Notification.Kind.MENTION,
    Notification.Kind.MODERATION,
    Notification.Kind.MESSAGE,
}


Level = Subscription.Level


def notify(notifications: list[Notification]) -> None:
    created = Notification.objects.bulk_create(notifications)
    recount_unread(n.recipient_id for n in created)
    emailed = [n.pk for n in created if n.kind in EMAILED_KINDS]
    for pk in emailed:
        enqueue_on_commit(send_notification_email, pk)


def watch_levels(topic: Topic) -> tuple[dict[int, str], dict[int, str]]:
    """Everyone's explicit watch levels for the topic and for its category (two queries)."""
    topic_levels = dict(Subscription.objects.filter(topic=topic).values_list("user", "level"))
    category_levels = dict(
        Subscription.objects.filter(category_id=topic.category_id).values_list("user", "level")
    )
    return topic_levels, category_levels


def effective_level(user_id: int, levels: tuple[dict[int, str], dict[int, str]]) -> str:
    topic_levels, category_levels = levels
    return topic_levels.get(user_id) or category_levels.get(user_id) or Level.NORMAL


def area_readers(topic: Topic) -> set[int] | None:
    """Who may hear of a private area's topic (a mod team's discussion): its members now, so
    a mention of an outsider or a watch left behind by a removed member tells nobody. None
    for a public topic (anyone may). One query, for private topics only."""
    if not topic.is_private:
        return None
    return set(
        CategoryMember.objects.filter(category_id=topic.category_id).values_list(
            "user_id", flat=True
        )
    )


def notice_path(topic: Topic, post: Post) -> str:
    """Where a notice about a post points: a private area's topic is read on the area's own
    page (the forum's post address would be a 404 for its members), anything else at the
    post's own address (the notification's default)."""
    if topic.is_private and topic.category.page_path:
        return topic.area_path(post.pk)
    return ""


def on_publish(post: Post, *, now: datetime) -> None:
    """A post became visible to everyone: update the topic and tell the people who want to
    know. Mentions first; watchers who were mentioned get only the mention. In a private
    area, only its members hear of it."""
    topic = post.topic
    topic_stats_refresh(topic=topic)
    levels = watch_levels(topic)
    readers = area_readers(topic)
    path = notice_path(topic, post)
    told = {post.author_id}
    notes: list[Notification] = []
    for person in mentions(post):
        if readers is not None and person.pk not in readers:
            continue
        if person.pk in told or effective_level(person.pk, levels) == Level.MUTED:
            continue
        told.add(person.pk)
        notes.append(
            Notification(
                recipient=person,
                kind=Notification.Kind.MENTION,
                actor=post.author,
                topic=topic,
                post=post,
                path=path,
                created_at=now,
            )
        )
    topic_levels, category_levels = levels
    watchers = {u for u, level in topic_levels.items() if level == Level.WATCHING} | {
        u
        for u, level in category_levels.items()
        if level == Level.WATCHING and u not in topic_levels
    }
    watchers -= told
    if readers is not None:
        watchers &= readers
    if post.is_opening:
        kind = Notification.Kind.NEW_TOPIC
        gathered: set[int] = set()
    else:
        kind = Notification.Kind.REPLY
        # A watcher with an unread reply notice for this topic gets it updated, not another
        # one (nor another email): "5 new replies" rather than five emails.
        unread = Notification.objects.unread().filter(
            kind=kind, topic=topic, recipient_id__in=watchers
        )
        gathered = set(unread.values_list("recipient_id", flat=True))
        if gathered:
            unread.update(count=F("count") + 1, actor=post.author, created_at=now)
    notes += [
        Notification(
            recipient_id=user_id,
            kind=kind,
            actor=post.author,
            topic=topic,
            post=post,
            path=path,
            created_at=now,
        )
        for user_id in sorted(watchers - gathered)
    ]
    notify(notes)


def mentions(post: Post) -> list[User]:
    """The people the post mentions who may hear of it: not those who block its author (a
    blocked person's mention reaches nobody, and they are not told so). The block query runs
    only for a post that mentions someone."""
    people = mentioned_people(post.body)
    if not people:
        return people
    blockers = set(
        Block.objects.filter(
            blocker_id__in=[person.pk for person in people], blocked_id=post.author_id
        ).values_list("blocker_id", flat=True)
    )
    return [person for person in people if person.pk not in blockers]


# What a moderation notice calls the post it is about, and who reads it once approved, by
# where it was written (Topic.place): a private message is no forum post, and a mod team's
# discussion is not for everyone to read.
YOUR_POST = {
    "forum": "your post",
    "conversation": "your private message",
    "area": "your post in your mod team's discussion",
}
READERS = {"forum": "everyone", "conversation": "everyone in the conversation", "area": "your team"}


def your_post(post: Post) -> str:
    """The post as its author's moderation notice names it ("your private message")."""
    return YOUR_POST[post.topic.place]


def tell_author(*, post: Post, moderator: User, message: str) -> None:
    notify(
        [
            Notification(
                recipient_id=post.author_id,
                kind=Notification.Kind.MODERATION,
                actor=moderator,
                topic=post.topic,
                post=post,
                message=message,
            )
        ]
    )


def notifications_mark_all_read(*, user: User) -> int:
    with transaction.atomic():
        marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        recount_unread([user.pk])
        return marked


def notification_mark_emailed(*, notification: Notification) -> None:
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
