"""The header's count of unread notifications, kept in the person's row.

Every signed-in page shows the count, and the person's row is read on every signed-in
request anyway, so the count lives there (``User.unread_notifications``) and costs no query
of its own. The services that change what it counts call ``recount_unread``: notifications
created or read, and a post or topic taken down, restored or approved (a notification about
a post one may no longer see does not count).

The count is worked out again from the notifications, never added to, so it cannot drift.
It is recounted after the change commits, in a short transaction that first locks the
people's rows in id order: two replies that notify the same person at once are counted one
after the other, each seeing the other's notification once committed; and the writing
transaction itself never waits on a recipient's row, which its own locks (the author, the
category) could otherwise deadlock against.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from portal.accounts.models import User
from portal.forums.models import Notification


def recount_unread(user_ids: Iterable[int]) -> None:
    """Recount these people's unread notifications once the current transaction commits."""
    ids = sorted(set(user_ids))
    if ids:
        transaction.on_commit(lambda: _recount(ids))


def recount_unread_in_topic(topic_id: int) -> None:
    """A post or topic changed visibility: recount everyone told about the topic."""
    recount_unread(
        Notification.objects.filter(topic_id=topic_id)
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def _recount(ids: list[int]) -> None:
    unread = (
        Notification.objects.for_reader(OuterRef("pk"))
        .unread()
        .order_by()
        .values("recipient")
        .annotate(number=Count("pk"))
        .values("number")
    )
    with transaction.atomic():
        list(
            User.objects.select_for_update(no_key=True)
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        User.objects.filter(pk__in=ids).update(unread_notifications=Coalesce(Subquery(unread), 0))


def recount_unread_conversations(user_ids: Iterable[int]) -> None:
    """Recount these people's conversations with a message they have not read (the header's
    "Messages" count), once the current transaction commits, the same way."""
    ids = sorted(set(user_ids))
    if ids:
        transaction.on_commit(lambda: _recount_conversations(ids))


def _recount_conversations(ids: list[int]) -> None:
    from portal.forums.models import Participant, ReadState

    # Unread: the latest message is someone else's, and the person never opened the
    # conversation since it came (or never opened it at all).
    read_since = ReadState.objects.filter(
        user=OuterRef("user"),
        topic=OuterRef("topic"),
        last_read_at__gte=OuterRef("topic__last_posted_at"),
    )
    unread = (
        Participant.objects.present()
        .filter(user=OuterRef("pk"))
        .exclude(topic__last_post_by=OuterRef("pk"))
        .exclude(Exists(read_since))
        .order_by()
        .values("user")
        .annotate(number=Count("pk"))
        .values("number")
    )
    with transaction.atomic():
        list(
            User.objects.select_for_update(no_key=True)
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        User.objects.filter(pk__in=ids).update(unread_conversations=Coalesce(Subquery(unread), 0))
