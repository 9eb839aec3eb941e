"""Accepted answers in Q&A categories."""

from __future__ import annotations

from django.db import transaction

from portal.accounts.models import User
from portal.forums import permissions
from portal.forums.models import Notification, Post, Subscription, Topic
from portal.forums.permissions import require
from portal.forums.services.notifications import effective_level, notify, watch_levels
from portal.forums.services.versions import save_changed

Level = Subscription.Level


@transaction.atomic
def answer_accept(*, post: Post, actor: User) -> None:
    """Mark the post as its topic's accepted answer and tell its author, once: the same click
    sent twice at once takes turns on the topic's row, and the second finds it done."""
    require(permissions.accept_refusal(actor, post))
    topic = post.topic
    topic.accepted_answer_id = (
        Topic.objects.select_for_update(no_key=True)
        .values_list("accepted_answer_id", flat=True)
        .get(pk=topic.pk)
    )
    if topic.accepted_answer_id == post.pk:
        return
    topic.accepted_answer = post
    save_changed(topic, "accepted_answer")
    if (
        post.author_id != actor.pk
        and effective_level(post.author_id, watch_levels(topic)) != Level.MUTED
    ):
        notify(
            [
                Notification(
                    recipient_id=post.author_id,
                    kind=Notification.Kind.ACCEPTED,
                    actor=actor,
                    topic=topic,
                    post=post,
                )
            ]
        )


@transaction.atomic
def answer_unaccept(*, topic: Topic, actor: User) -> None:
    if topic.accepted_answer is None:
        return
    require(permissions.accept_refusal(actor, topic.accepted_answer))
    topic.accepted_answer = None
    save_changed(topic, "accepted_answer")
