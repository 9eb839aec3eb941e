"""Watching and muting topics and categories."""

from __future__ import annotations

from django.db import transaction

from portal.accounts.models import User
from portal.forums import permissions
from portal.forums.models import Category, Subscription, Topic
from portal.forums.permissions import require

Level = Subscription.Level


def watch_by_default(*, user: User, topic: Topic) -> None:
    """You watch the topics you start or reply to, unless you already chose otherwise."""
    Subscription.objects.get_or_create(user=user, topic=topic, defaults={"level": Level.WATCHING})


@transaction.atomic
def subscription_set(
    *, user: User, level: str, topic: Topic | None = None, category: Category | None = None
) -> Subscription:
    require(permissions.watch_refusal(user))
    subscription, _ = Subscription.objects.update_or_create(
        user=user, topic=topic, category=category, defaults={"level": Level(level)}
    )
    return subscription
