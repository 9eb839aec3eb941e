"""How far each person has read each topic."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from portal.accounts.models import User
from portal.forums.models import Notification, ReadState
from portal.forums.services.unread import recount_unread


def topic_read(
    *,
    reader: User,
    topic_id: int,
    seen_until: datetime,
    last_read_at: datetime | None,
    unread_notifications: bool,
) -> None:
    """Remember how far the reader has read, and clear their notifications about the topic.

    The page says what it found when it read the reader's place (``selectors.topic_reading``),
    so a reader who saw it all before and has nothing unread about it (most views) costs no
    write at all; otherwise the read point is one statement (an insert the first time, then
    an update that only ever moves it forward), with no transaction around it. It writes the
    reader's own rows only and moves no version: what one person reads changes no fragment
    that others are served."""
    if last_read_at is None:
        ReadState.objects.bulk_create(
            [ReadState(user=reader, topic_id=topic_id, last_read_at=seen_until)],
            ignore_conflicts=True,
        )
    elif last_read_at < seen_until:
        ReadState.objects.filter(
            user=reader, topic_id=topic_id, last_read_at__lt=seen_until
        ).update(last_read_at=seen_until)
    # Rare (someone who watches the topic, or was mentioned in it): a second statement.
    if unread_notifications and Notification.objects.filter(
        recipient=reader, topic_id=topic_id, read_at__isnull=True
    ).update(read_at=timezone.now()):
        recount_unread([reader.pk])
