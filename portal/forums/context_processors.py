"""The header's count of unread forum notifications.

The count is a callable the template calls only where it shows it (inside the signed-in part
of the header), memoised on the request: at most one query a page, none for anonymous
visitors, and none on pages that never show the header.
"""

from __future__ import annotations

from django.http import HttpRequest


def notifications(request: HttpRequest) -> dict:
    def unread() -> int:
        if not hasattr(request, "_forum_unread"):
            from portal.forums.selectors import unread_notification_count

            user = getattr(request, "user", None)
            request._forum_unread = (
                unread_notification_count(user) if user is not None and user.is_authenticated else 0
            )
        return request._forum_unread

    return {"forum_unread_notifications": unread}
