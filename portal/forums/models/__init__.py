"""The forums: categories, topics and posts, what readers do with them (reactions, read state,
watching, notifications) and what forum moderators do (review, reports, the log, suspensions).

Visibility is decided in one place, the querysets' ``visible_to`` (with the rules spelled out
in permissions.py): a post is published, held (awaiting review), hidden by a moderator, or
deleted. Everyone sees published posts in published topics; authors also see their own held
and hidden posts, marked; forum moderators see everything. A topic's status is always its
opening post's, so a held opening post holds the whole topic.

Counts shown in lists (replies, latest activity) are kept on the topic by the services and
recomputed from the posts on every change (``services.topic_stats_refresh``), so a list of
10,000 topics never counts posts per row; a post keeps its reaction counts the same way.

Categories, topics and posts carry a ``version``: every service that changes the row moves it
(``F("version") + 1``, in the same UPDATE; a category's kept count and latest topic are the
exception, see ``Category.version``). Pages cache what they render of a row under a key that
holds its version (``{% cache … post.pk post.version … %}`` in templates/forums/), so a write
gets exactly the fragments of the rows it changed rendered afresh, and nothing is ever
deleted from the cache by hand: an entry under an old version simply ages out.
"""

from portal.forums.models.moderation import (
    ConversationRead,
    FilterTerm,
    Flag,
    ModerationAction,
    Suspension,
)
from portal.forums.models.posts import Post, PostRevision
from portal.forums.models.private import CategoryMember, Participant
from portal.forums.models.readers import Notification, Reaction, ReadState, Subscription
from portal.forums.models.topics import (
    LISTED_COLUMNS,
    POSTS_PER_PAGE,
    TOPICS_PER_PAGE,
    Category,
    CategoryColour,
    Status,
    Topic,
)

__all__ = [
    "LISTED_COLUMNS",
    "POSTS_PER_PAGE",
    "TOPICS_PER_PAGE",
    "Category",
    "CategoryColour",
    "CategoryMember",
    "ConversationRead",
    "FilterTerm",
    "Flag",
    "ModerationAction",
    "Notification",
    "Participant",
    "Post",
    "PostRevision",
    "Reaction",
    "ReadState",
    "Status",
    "Subscription",
    "Suspension",
    "Topic",
]
