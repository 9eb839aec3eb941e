"""What the author of a held post is told when it is sent: why it waits for a moderator and
what happens next, so a first post that does not appear reads as a step, not a failure
(the forum-moderator side of the hold is in portal/forums/services/posting.py)."""

from __future__ import annotations

from portal.forums.models import Flag, Post, Topic
from portal.forums.services.posting import FIRST_LINK_POSTS_HELD, LINK_HOLD_REASON


def held_notice(*, reply: Post | None = None, topic: Topic | None = None) -> str:
    """For a held reply, or a held topic (its opening post). One query, on held posts only:
    the hold's reasons."""
    held = (
        {"post": reply} if reply is not None else {"post__topic": topic, "post__is_opening": True}
    )
    what = "reply" if reply is not None else "topic"
    details = (
        Flag.objects.filter(kind=Flag.Kind.HOLD, **held)
        .order_by("-pk")
        .values_list("details", flat=True)
        .first()
    ) or ""
    reasons = [reason for reason in details.split("; ") if reason]
    why = []
    if LINK_HOLD_REASON in reasons:
        why.append(
            f"a member's first {FIRST_LINK_POSTS_HELD} posts with links are read by a "
            "moderator first, since link spam is the commonest abuse of new accounts"
        )
    if any(reason != LINK_HOLD_REASON for reason in reasons):
        # Which words matched stays unsaid: naming them would teach a spammer to spell around.
        why.append("it uses words this category asks a moderator to read first")
    because = f", because {' and '.join(why)}" if why else ""
    return (
        f"Your {what} is awaiting review by a forum moderator{because}. Until then only you and "
        "the moderators can see it. A moderator will either publish it for everyone or tell you "
        "why not; you get a notification either way."
    )
