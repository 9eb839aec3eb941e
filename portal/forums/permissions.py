"""Who may see and do what in the forums: the one place these rules live.

Every view and every service asks here. The ``*_refusal`` functions return None when the
action is allowed, or the reason it is not, in words the person can act on; views turn a
reason into a 403 page that shows it (the person knows the thing exists), and anything the
person may not *see* is a 404 instead, decided by the querysets' ``visible_to``.

Forum moderators are the members of the "Forum moderators" group, plus superusers. They see
everything, are never held for review or rate limited, and act through the review queue.

Checks never query the database beyond two answers cached on the user object for the
request: whether they are a forum moderator, and their active suspension. So a page can
ask about every post it shows at no extra cost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import formats

if TYPE_CHECKING:
    from portal.forums.models import Category, Post, Suspension, Topic

FORUM_MODERATORS = "Forum moderators"

_UNSET = object()


def is_forum_moderator(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_forum_moderator", None)
    if cached is None:
        cached = _in_group(user.pk, FORUM_MODERATORS)
        user._forum_moderator = cached
    return cached


def reads_through_reports(user) -> bool:
    """Whether the person may read a private place (a conversation, a mod team's discussion)
    while something in it is reported or waiting in the review queue: site staff and forum
    moderators. Each place's selector checks the report itself."""
    return user.is_authenticated and (user.is_staff or is_forum_moderator(user))


def _in_group(user_id: int, name: str) -> bool:
    """``user.groups.filter(name=name).exists()``, written out: most forum pages ask it for
    their reader, and the ORM took five times longer to build the statement (through the
    related manager) than the database took to answer it."""
    sql = """
        SELECT EXISTS (SELECT 1 FROM accounts_user_groups m JOIN auth_group g ON g.id = m.group_id
                       WHERE m.user_id = %s AND g.name = %s)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, name])
        return bool(cursor.fetchone()[0])


def active_suspension(user) -> Suspension | None:
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_forum_suspension", _UNSET)
    if cached is _UNSET:
        from portal.forums.models import Suspension

        cached = Suspension.objects.active().filter(user=user).order_by("-until").first()
        user._forum_suspension = cached
    return cached


def remember(user, *, moderator: bool, suspension: Suspension | None) -> None:
    """The two answers, read by a page's own query (``selectors.topic_reading``, a category
    page's ``selectors.category_standing``): whether the user is in the forum moderators'
    group, and their active suspension."""
    user._forum_moderator = moderator
    user._forum_suspension = suspension


def remember_moderator(user, *, moderator: bool) -> None:
    """The first answer alone, read by a statement that needs nothing else of the forums
    (the header's Review count, portal/review/selectors.py)."""
    user._forum_moderator = moderator


def forget(user) -> None:
    """Drop the cached answers (after a service changed them, in tests and long tasks)."""
    for name in ("_forum_moderator", "_forum_suspension"):
        if hasattr(user, name):
            delattr(user, name)


def require(refusal: str | None) -> None:
    if refusal is not None:
        raise PermissionDenied(refusal)


def suspension_text(suspension: Suspension) -> str:
    until = formats.date_format(suspension.until, "j F Y, H:i")
    return f"You are suspended from posting in the forums until {until} (UTC): {suspension.reason}"


def _posting_refusal(user) -> str | None:
    if not user.is_authenticated:
        return "Log in to post in the forums."
    suspension = active_suspension(user)
    if suspension is not None:
        return suspension_text(suspension)
    return None


def _staff_only_refusal(user, category: Category) -> str | None:
    if category.staff_only_posting and not (user.is_staff or is_forum_moderator(user)):
        return f"Only staff post in {category.name}."
    return None


# --- Seeing ------------------------------------------------------------------------------------


def _moderates(user, topic: Topic) -> bool:
    """A forum moderator's powers on a page (seeing others' held or taken-down posts,
    writing past a lock, deleting others' posts, marking answers) are the public forums'. In
    a private area (a mod team's discussion) a forum moderator who is a member is one member
    among others there, and moderates it through the review queue only."""
    return not topic.is_private and is_forum_moderator(user)


def can_see_topic(user, topic: Topic) -> bool:
    """A private area's topic is seen by its members only: the selectors that read a topic
    for a person ask, in the same statement, whether they are one (``area_member``, see
    ``TopicQuerySet.readable_by``). A conversation is never seen here (its own pages)."""
    from portal.forums.models import Status

    if topic.is_private and not getattr(topic, "area_member", False):
        return False
    if topic.status == Status.PUBLISHED or _moderates(user, topic):
        return True
    return (
        user.is_authenticated
        and topic.author_id == user.pk
        and topic.status in (Status.HELD, Status.HIDDEN)
    )


def can_see_post(user, post: Post) -> bool:
    from portal.forums.models import Status

    if not can_see_topic(user, post.topic):
        return False
    if post.status == Status.PUBLISHED or _moderates(user, post.topic):
        return True
    return (
        user.is_authenticated
        and post.author_id == user.pk
        and post.status in (Status.HELD, Status.HIDDEN)
    )


def reads_area(user, category: Category) -> bool:
    """Whether the person reads a private area (a private category with pages of its own, a
    mod team's discussion): a member of it now. One query; the owning app keeps the rows in
    step with its own members (portal/forums/models/private.py), so a person taken off the
    team is out of its discussion in the same transaction."""
    from portal.forums.models import CategoryMember

    if not (user.is_authenticated and user.is_active and category.is_private):
        return False
    if not category.page_path:
        return False  # the conversations' category: read through its Participant rows
    return CategoryMember.objects.filter(category=category, user=user).exists()


def _area_refusal(user, category: Category) -> str | None:
    """A private category is written in by its area's members only, from its own pages."""
    if not category.page_path:
        return "Private conversations are written in from their own pages."
    if not reads_area(user, category):
        return "Only the members of this private area write in it."
    return None


# --- Writing -----------------------------------------------------------------------------------


def topic_start_refusal(user, category: Category) -> str | None:
    if category.is_private:
        return _posting_refusal(user) or _area_refusal(user, category)
    return _posting_refusal(user) or _staff_only_refusal(user, category)


def reply_refusal(user, topic: Topic) -> str | None:
    if topic.is_private:
        refusal = _posting_refusal(user) or _area_refusal(user, topic.category)
    else:
        refusal = _posting_refusal(user) or _staff_only_refusal(user, topic.category)
    if refusal:
        return refusal
    if not topic.is_published:
        return "This topic is awaiting review; replies open once a moderator approves it."
    if _moderates(user, topic):
        return None
    if topic.is_locked:
        return "This topic is locked by the forum moderators: no replies for now."
    if topic.is_closed:
        return "This topic is closed: it takes no new replies."
    return None


def edit_refusal(user, post: Post) -> str | None:
    from portal.forums.models import Status

    refusal = _posting_refusal(user)
    if refusal:
        return refusal
    if post.author_id != user.pk:
        return "Only the author edits a post; forum moderators hide posts instead."
    if post.status in (Status.HIDDEN, Status.DELETED):
        return "This post was taken down, so it can no longer be edited."
    if post.topic.is_locked and not _moderates(user, post.topic):
        return "This topic is locked by the forum moderators: no edits for now."
    return None


def delete_refusal(user, post: Post) -> str | None:
    from portal.forums.models import Status

    if not user.is_authenticated:
        return "Log in to delete your posts."
    if post.status == Status.DELETED:
        return "This post is already deleted."
    if _moderates(user, post.topic):
        return None
    if post.author_id != user.pk:
        return "Only the author or a forum moderator deletes a post."
    if post.topic.is_locked:
        return "This topic is locked by the forum moderators."
    if post.is_opening and post.topic.reply_count:
        return (
            "Others have replied to this topic, so its opening post stays. Edit it instead, "
            "or ask a forum moderator."
        )
    return None


def react_refusal(user, post: Post) -> str | None:
    if not user.is_authenticated:
        return "Log in to react to posts."
    if post.author_id == user.pk:
        return "You can't react to your own post."
    if not post.is_published or not post.topic.is_published:
        return "Only published posts take reactions."
    if post.topic.is_locked:
        return "This topic is locked by the forum moderators."
    return None


def accept_refusal(user, post: Post) -> str | None:
    topic = post.topic
    if not user.is_authenticated:
        return "Log in to mark an answer."
    if not topic.category.is_qa:
        return f"{topic.category.name} is not a Q&A category: it has no accepted answers."
    if topic.author_id != user.pk and not _moderates(user, topic):
        return "Only the person who asked, or a forum moderator, marks the accepted answer."
    if post.is_opening or not post.is_published:
        return "Only a published reply can be the accepted answer."
    if topic.is_locked and not _moderates(user, topic):
        return "This topic is locked by the forum moderators."
    return None


def report_refusal(user, post: Post) -> str | None:
    if not user.is_authenticated:
        return "Log in to report a post."
    if post.author_id == user.pk:
        return "This is your own post: edit or delete it instead."
    if not post.is_published:
        return "Only published posts can be reported; this one is already with the moderators."
    return None


def watch_refusal(user) -> str | None:
    return None if user.is_authenticated else "Log in to watch topics and categories."


# --- Moderating --------------------------------------------------------------------------------


def moderate_refusal(user) -> str | None:
    if not is_forum_moderator(user):
        return "Only forum moderators can do this."
    return None


def suspend_refusal(moderator, person) -> str | None:
    refusal = moderate_refusal(moderator)
    if refusal:
        return refusal
    if person.pk == moderator.pk:
        return "You can't suspend yourself."
    if person.is_staff or is_forum_moderator(person):
        return "Staff and forum moderators can't be suspended here; ask a site administrator."
    return None
