"""Every write in the forums, one function per action, in one module per sub-domain:
posting, reactions, accepted answers, read state, subscriptions, notifications, moderation,
the holding rules, counts, search and guide lessons.

Each runs in a transaction, asks permissions.py first (raising PermissionDenied with the
reason), validates (ValidationError, shown beside the field by the view), and enqueues email
only after commit. Each that changes a category, topic or post moves its version in the same
statement (versions.py), so pages render afresh exactly what it changed.

The actions are imported here so callers say ``services.post_create``.
"""

from portal.forums.services.answers import answer_accept, answer_unaccept
from portal.forums.services.conversations import (
    conversation_add_message,
    conversation_leave,
    conversation_observer_add,
    conversation_read,
    conversation_start,
    message_delete,
)
from portal.forums.services.counts import category_stats_refresh, topic_stats_refresh
from portal.forums.services.holding import (
    filter_term_add,
    filter_term_change,
    filter_term_remove,
    hold_levels_set,
)
from portal.forums.services.lessons import LESSON_FALLBACK_CATEGORY, lesson_discussion_open
from portal.forums.services.moderation import (
    TOPIC_SWITCHES,
    conversation_read_log,
    flag_dismiss,
    person_suspend,
    post_approve,
    post_delete,
    post_deny,
    post_hide,
    post_report,
    post_unhide,
    suspension_lift,
    topic_moderate,
    topic_move,
)
from portal.forums.services.notifications import (
    EMAILED_KINDS,
    notification_mark_emailed,
    notifications_mark_all_read,
)
from portal.forums.services.posting import (
    FIRST_LINK_POSTS_HELD,
    LINK_HOLD_REASON,
    post_create,
    post_edit,
    topic_create,
)
from portal.forums.services.reactions import (
    reaction_counts_refresh,
    reaction_give,
    reaction_take_back,
)
from portal.forums.services.reading import topic_read
from portal.forums.services.search import SEARCH_CONFIG, post_search_index, search_index_rebuild
from portal.forums.services.subscriptions import subscription_set

__all__ = [
    "EMAILED_KINDS",
    "FIRST_LINK_POSTS_HELD",
    "LESSON_FALLBACK_CATEGORY",
    "LINK_HOLD_REASON",
    "SEARCH_CONFIG",
    "TOPIC_SWITCHES",
    "answer_accept",
    "answer_unaccept",
    "category_stats_refresh",
    "conversation_add_message",
    "conversation_leave",
    "conversation_observer_add",
    "conversation_read",
    "conversation_read_log",
    "conversation_start",
    "filter_term_add",
    "filter_term_change",
    "filter_term_remove",
    "flag_dismiss",
    "hold_levels_set",
    "lesson_discussion_open",
    "message_delete",
    "notification_mark_emailed",
    "notifications_mark_all_read",
    "person_suspend",
    "post_approve",
    "post_create",
    "post_delete",
    "post_deny",
    "post_edit",
    "post_hide",
    "post_report",
    "post_search_index",
    "post_unhide",
    "reaction_counts_refresh",
    "reaction_give",
    "reaction_take_back",
    "search_index_rebuild",
    "subscription_set",
    "suspension_lift",
    "topic_create",
    "topic_moderate",
    "topic_move",
    "topic_read",
    "topic_stats_refresh",
]
