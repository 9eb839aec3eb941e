"""Reactions to posts ("Helpful", "Thanks"), with the counts kept on the post."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest

from portal.accounts.models import User
from portal.core.once import insert_once
from portal.forums import permissions
from portal.forums.models import Notification, Post, Reaction, Subscription
from portal.forums.permissions import require
from portal.forums.services.notifications import effective_level, notify, watch_levels

Level = Subscription.Level


# A reaction button says what it wants (give, or take back), never "toggle": a toggle sent
# twice at once (a double click) would give the reaction and take it back again, or take it
# back and give it again, whichever request ran first. Give and take back are each the same
# however many times they run: a second give finds the reaction there (insert_once), a second
# take back finds nothing to delete, and the kept count moves only with the row.


@transaction.atomic
def reaction_give(*, post: Post, user: User, kind: str) -> bool:
    """Give the reaction, and tell the post's author the first time; whether it was given
    now (False: it was already there)."""
    require(permissions.react_refusal(user, post))
    kind = Reaction.Kind(kind)
    if not insert_once(Reaction(post=post, user=user, kind=kind)):
        return False
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


@transaction.atomic
def reaction_take_back(*, post: Post, user: User, kind: str) -> bool:
    """Take the reaction back; whether it was taken back now (False: it was not there)."""
    require(permissions.react_refusal(user, post))
    kind = Reaction.Kind(kind)
    removed, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if removed:
        _count_reaction(post=post, kind=kind, change=-removed)
    return bool(removed)


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
