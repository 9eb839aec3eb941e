"""Reactions to posts ("Helpful", "Thanks"), with the counts kept on the post."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest

from portal.accounts.models import User
from portal.forums import permissions
from portal.forums.models import Notification, Post, Reaction, Subscription
from portal.forums.permissions import require
from portal.forums.services.notifications import effective_level, notify, watch_levels

Level = Subscription.Level


@transaction.atomic
def reaction_toggle(*, post: Post, user: User, kind: str) -> bool:
    """Add the reaction, or take it back if already given. Returns whether it is now on."""
    require(permissions.react_refusal(user, post))
    kind = Reaction.Kind(kind)
    removed, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if removed:
        _count_reaction(post=post, kind=kind, change=-removed)
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=user, kind=kind)
    except IntegrityError:  # the same click twice at once: it is on either way
        return True
    _count_reaction(post=post, kind=kind, change=1)
    already_told = Notification.objects.filter(
        recipient_id=post.author_id,
        actor=user,
        post=post,
        kind=Notification.Kind.REACTION,
        message=kind.label,
    ).exists()
    if (
        not already_told
        and effective_level(post.author_id, watch_levels(post.topic)) != Level.MUTED
    ):
        notify(
            [
                Notification(
                    recipient_id=post.author_id,
                    kind=Notification.Kind.REACTION,
                    actor=user,
                    topic=post.topic,
                    post=post,
                    message=kind.label,
                )
            ]
        )
    return True


def _count_reaction(*, post: Post, kind: str, change: int) -> None:
    """Move the post's kept count (never below zero), and its version, in one UPDATE: F()
    counts right when two people react at once, where a recount could miss the other."""
    column = f"{kind}_count"
    Post.objects.filter(pk=post.pk).update(
        **{column: Greatest(F(column) + change, 0)}, version=F("version") + 1
    )


def reaction_counts_refresh(*, post_ids: Iterable[int] | None = None) -> None:
    """Recount the posts' kept reaction counts from their reactions (when None: every post
    that has any), for reactions written in bulk (demo data)."""
    posts = Post.objects.filter(
        pk__in=Reaction.objects.values("post") if post_ids is None else post_ids
    )
    counts = {}
    for kind in Reaction.Kind.values:
        given = (
            Reaction.objects.filter(post=OuterRef("pk"), kind=kind)
            .order_by()
            .values("post")
            .annotate(n=Count("pk"))
            .values("n")
        )
        counts[f"{kind}_count"] = Coalesce(Subquery(given), 0)
    posts.update(**counts, version=F("version") + 1)
