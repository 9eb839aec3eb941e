"""A person's notifications, and the header's count of the unread ones."""

from __future__ import annotations

from django.core.paginator import Page

from portal.accounts.models import User
from portal.forums import unread_count
from portal.forums.models import Notification
from portal.forums.selectors.paging import paginate

NOTIFICATIONS_PER_PAGE = 30


def unread_notification_count(user: User) -> int:
    """The header's count; cached per person and forgotten on every change (unread_count)."""
    return unread_count.count(user)


def notifications_page(*, user: User, number=1) -> Page:
    notifications = (
        Notification.objects.for_reader(user)
        .select_related("actor", "topic")
        .order_by("-created_at", "-pk")
    )
    return paginate(notifications, number, NOTIFICATIONS_PER_PAGE)
