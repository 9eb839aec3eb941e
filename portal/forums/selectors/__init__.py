"""Reads for the forum pages, each at a fixed number of queries whatever the data size, in one
module per sub-domain: the topic lists and index, one topic, a page of its posts, search,
notifications and moderation. tests/forums/test_queries.py holds the counts.

The reads are imported here so callers say ``selectors.topic_view``.
"""

from portal.forums.selectors.lists import (
    NOT_READ,
    ReadMark,
    attach_read_marks,
    awaiting_review,
    categories_for_index,
    category_standing,
    category_topics,
    latest_topics,
    recent_topics,
    unread_by_category,
)
from portal.forums.selectors.moderation import (
    LOG_PER_PAGE,
    QUEUE_PER_PAGE,
    moderation_log,
    person_for_moderation,
    queue_item,
    review_queue,
)
from portal.forums.selectors.notifications import (
    NOTIFICATIONS_PER_PAGE,
    notifications_page,
)
from portal.forums.selectors.posts import (
    SHOWN_POST_COLUMNS,
    SHOWN_TOPIC_COLUMNS,
    Badge,
    ShownReaction,
    TopicView,
    author_badges,
    reactions_of,
    topic_view,
)
from portal.forums.selectors.search import (
    SEARCH_CANDIDATES,
    SEARCH_PER_PAGE,
    SearchHelp,
    SearchResult,
    search_help,
    search_posts,
)
from portal.forums.selectors.topics import (
    TopicReading,
    first_unread_post,
    last_page_number,
    new_replies_count,
    post_for_viewer,
    post_page_number,
    seen_until_from_mark,
    seen_until_mark,
    topic_for_viewer,
    topic_page_number,
    topic_reading,
)

__all__ = [
    "LOG_PER_PAGE",
    "NOTIFICATIONS_PER_PAGE",
    "NOT_READ",
    "QUEUE_PER_PAGE",
    "SEARCH_CANDIDATES",
    "SEARCH_PER_PAGE",
    "SHOWN_POST_COLUMNS",
    "SHOWN_TOPIC_COLUMNS",
    "Badge",
    "ReadMark",
    "SearchHelp",
    "SearchResult",
    "ShownReaction",
    "TopicReading",
    "TopicView",
    "attach_read_marks",
    "author_badges",
    "awaiting_review",
    "categories_for_index",
    "category_standing",
    "category_topics",
    "first_unread_post",
    "last_page_number",
    "latest_topics",
    "moderation_log",
    "new_replies_count",
    "notifications_page",
    "person_for_moderation",
    "post_for_viewer",
    "post_page_number",
    "queue_item",
    "reactions_of",
    "recent_topics",
    "review_queue",
    "search_help",
    "search_posts",
    "seen_until_from_mark",
    "seen_until_mark",
    "topic_for_viewer",
    "topic_page_number",
    "topic_reading",
    "topic_view",
    "unread_by_category",
]
