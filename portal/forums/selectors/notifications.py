"""A person's notifications. (The header's count of the unread ones is kept in their row:
portal/forums/services/unread.py.)"""

from __future__ import annotations

from django.core.paginator import Page

from portal.accounts.models import User
from portal.forums.models import Notification
from portal.forums.selectors.paging import paginate

NOTIFICATIONS_PER_PAGE = 30


def notifications_page(*, user: User, number=1) -> Page:
    notifications = (
        Notification.objects.for_reader(user)
        # The topic's category too: a moderation notice's link names where its post was
        # written (``Topic.place`` reads a private topic's category), in this one query.
        .select_related("actor", "topic__category")
        .order_by("-created_at", "-pk")
    )
    return paginate(notifications, number, NOTIFICATIONS_PER_PAGE)
