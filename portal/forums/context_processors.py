"""The header's counts of unread forum notifications and private conversations.

The count is kept in the person's row (portal/forums/services/unread.py), which every
signed-in request reads anyway: showing it costs no query.
"""

from __future__ import annotations

from django.http import HttpRequest


def notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {"forum_unread_notifications": 0, "unread_conversations": 0}
    # Lazy: the user is read only if the page shows the header.
    return {
        "forum_unread_notifications": lambda: getattr(user, "unread_notifications", 0),
        # Private conversations with a message not yet read (the header's "Messages").
        "unread_conversations": lambda: getattr(user, "unread_conversations", 0),
    }
