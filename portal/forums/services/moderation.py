"""Reports and what forum moderators do: approve, deny, hide and restore posts, delete them
(authors delete their own too), pin, lock, close and move topics, suspend people.

Every moderator's action writes a ModerationAction row (the log) and tells the person
affected, in-app and by email if they want it."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone

from portal.accounts.models import User
from portal.core.once import AlreadyDone, insert_once
from portal.forums import limits, permissions
from portal.forums.models import (
    Category,
    ConversationRead,
    Flag,
    ModerationAction,
    Notification,
    Post,
    Status,
    Suspension,
    Topic,
)
from portal.forums.permissions import require
from portal.forums.services.counts import category_stats_refresh, topic_stats_refresh
from portal.forums.services.notifications import (
    READERS,
    notify,
    on_publish,
    tell_author,
    your_post,
)
from portal.forums.services.posting import lock_person
from portal.forums.services.unread import recount_unread_in_topic
from portal.forums.services.versions import save_changed


def _take_down(*, post: Post, status: str, reason: str) -> Topic:
    """Hide or delete a post (and its topic with it, for an opening post); clears it as the
    accepted answer and recounts the topic."""
    post.status = status
    post.moderation_reason = reason
    save_changed(post, "status", "moderation_reason")
    recount_unread_in_topic(post.topic_id)
    topic = post.topic
    if post.is_opening:
        topic.status = status
    if topic.accepted_answer_id == post.pk:
        topic.accepted_answer = None
    save_changed(topic, "status", "accepted_answer")
    topic_stats_refresh(topic=topic)
    return topic


def _resolve_flags(*, post: Post, by: User, resolution: str) -> int:
    return (
        Flag.objects.open()
        .filter(post=post)
        .update(resolved_at=timezone.now(), resolved_by=by, resolution=resolution)
    )


def _locked_post(post: Post) -> Post:
    return (
        Post.objects.select_for_update(no_key=True)
        .select_related("topic__category")
        .get(pk=post.pk)
    )


@transaction.atomic
def post_delete(*, post: Post, actor: User, reason: str = "") -> None:
    """Soft delete: the post stays in the database (and in the moderation log) but nobody
    except forum moderators sees it. Deleting an opening post deletes its topic."""
    post = _locked_post(post)
    require(permissions.delete_refusal(actor, post))
    _take_down(post=post, status=Status.DELETED, reason=reason)
    _resolve_flags(post=post, by=actor, resolution=Flag.Resolution.DELETED)
    if actor.pk != post.author_id:
        _log(
            moderator=actor,
            action=ModerationAction.Action.DELETE,
            post=post,
            person_id=post.author_id,
            reason=reason,
        )
        tell_author(
            post=post,
            moderator=actor,
            message=f"A forum moderator deleted {your_post(post)}. "
            f"Reason: {reason or 'none given'}",
        )


def _log(*, moderator: User, action: str, post: Post | None = None, **fields) -> ModerationAction:
    if post is not None:
        fields.setdefault("topic", post.topic)
    return ModerationAction.objects.create(moderator=moderator, action=action, post=post, **fields)


@transaction.atomic
def post_report(*, post: Post, reporter: User, reason: str, details: str = "") -> Flag:
    lock_person(reporter)
    require(permissions.report_refusal(reporter, post))
    limits.check_reporting(user=reporter)
    already = AlreadyDone(
        "You have already reported this post; the forum moderators will look at it.",
        code="already_reported",
    )
    if Flag.objects.open().filter(post=post, reporter=reporter).exists():
        raise already
    if reason == Flag.Reason.FILTER:
        raise ValidationError("Choose a reason.", code="bad_reason")
    flag = Flag(post=post, kind=Flag.Kind.REPORT, reason=reason, details=details, reporter=reporter)
    # Its one constraint is one open report per person and post: the insert decides it.
    flag.full_clean(validate_constraints=False)
    if not insert_once(flag):
        raise already
    return flag


def conversation_read_log(
    *, reader: User, topic: Topic, report: Flag, page: int
) -> ConversationRead:
    """Log that ``reader``, who is not in the conversation, was shown a page of it through
    ``report``. Called before the page is drawn: no row, no page."""
    if report.resolved_at is not None or report.post.topic_id != topic.pk:
        raise ValidationError("A conversation is read only through an open report on it.")
    return ConversationRead.objects.create(reader=reader, topic=topic, report=report, page=page)


def _not_waiting(post: Post, expected: str) -> ValidationError:
    return ValidationError(
        f"This post is {post.get_status_display()} now, not {Status(expected).label}: another "
        "moderator may have acted on it already.",
        code="stale",
    )


@transaction.atomic
def post_approve(*, post: Post, moderator: User) -> Post:
    require(permissions.moderate_refusal(moderator))
    post = _locked_post(post)
    if post.status != Status.HELD:
        raise _not_waiting(post, Status.HELD)
    now = timezone.now()
    post.status, post.published_at = Status.PUBLISHED, now
    save_changed(post, "status", "published_at")
    recount_unread_in_topic(post.topic_id)
    topic = post.topic
    if post.is_opening:
        topic.status = Status.PUBLISHED
        save_changed(topic, "status")
    _resolve_flags(post=post, by=moderator, resolution=Flag.Resolution.APPROVED)
    _log(
        moderator=moderator,
        action=ModerationAction.Action.APPROVE,
        post=post,
        person_id=post.author_id,
    )
    tell_author(
        post=post,
        moderator=moderator,
        message=f"A forum moderator approved {your_post(post)}: "
        f"{READERS[topic.place]} can see it now.",
    )
    on_publish(post, now=now)
    return post


@transaction.atomic
def post_deny(*, post: Post, moderator: User, reason: str) -> Post:
    """A held post stays hidden; its author is told why."""
    return _post_refuse(
        post=post,
        moderator=moderator,
        reason=reason,
        expected=Status.HELD,
        resolution=Flag.Resolution.DENIED,
        action=ModerationAction.Action.DENY,
        message=f"A forum moderator reviewed {your_post(post)} and it will not be published. "
        f"Reason: {reason}",
    )


@transaction.atomic
def post_hide(*, post: Post, moderator: User, reason: str) -> Post:
    """Take a published post down (its topic too, for an opening post); the author sees it
    marked, with the reason, and nobody else does."""
    return _post_refuse(
        post=post,
        moderator=moderator,
        reason=reason,
        expected=Status.PUBLISHED,
        resolution=Flag.Resolution.HIDDEN,
        action=ModerationAction.Action.HIDE,
        message=f"A forum moderator hid {your_post(post)}. Reason: {reason}",
    )


def _post_refuse(
    *,
    post: Post,
    moderator: User,
    reason: str,
    expected: str,
    resolution: str,
    action: str,
    message: str,
) -> Post:
    """Deny and hide differ only in the state they start from and what they say."""
    require(permissions.moderate_refusal(moderator))
    post = _locked_post(post)
    if post.status != expected:
        raise _not_waiting(post, expected)
    _take_down(post=post, status=Status.HIDDEN, reason=reason)
    _resolve_flags(post=post, by=moderator, resolution=resolution)
    _log(moderator=moderator, action=action, post=post, person_id=post.author_id, reason=reason)
    tell_author(post=post, moderator=moderator, message=message)
    return post


@transaction.atomic
def post_unhide(*, post: Post, moderator: User, reason: str = "") -> Post:
    require(permissions.moderate_refusal(moderator))
    post = _locked_post(post)
    if post.status != Status.HIDDEN:
        raise _not_waiting(post, Status.HIDDEN)
    post.status, post.moderation_reason = Status.PUBLISHED, ""
    post.published_at = post.published_at or timezone.now()
    save_changed(post, "status", "moderation_reason", "published_at")
    recount_unread_in_topic(post.topic_id)
    topic = post.topic
    if post.is_opening:
        topic.status = Status.PUBLISHED
        save_changed(topic, "status")
    topic_stats_refresh(topic=topic)
    _log(
        moderator=moderator,
        action=ModerationAction.Action.UNHIDE,
        post=post,
        person_id=post.author_id,
        reason=reason,
    )
    return post


@transaction.atomic
def flag_dismiss(*, flag: Flag, moderator: User, note: str = "") -> Flag:
    """A report that needs no action: the post stays as it is."""
    require(permissions.moderate_refusal(moderator))
    flag = Flag.objects.select_for_update().select_related("post__topic").get(pk=flag.pk)
    if flag.resolved_at is not None or flag.kind != Flag.Kind.REPORT:
        raise ValidationError("This report is already dealt with.", code="stale")
    flag.resolved_at, flag.resolved_by = timezone.now(), moderator
    flag.resolution = Flag.Resolution.DISMISSED
    flag.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    _log(
        moderator=moderator,
        action=ModerationAction.Action.DISMISS,
        post=flag.post,
        person_id=flag.post.author_id,
        reason=note,
        details={"report": flag.reason, "reporter": flag.reporter_id},
    )
    return flag


# One switch per topic action: (field, value).
TOPIC_SWITCHES: dict[str, tuple[str, bool]] = {
    ModerationAction.Action.PIN: ("is_pinned", True),
    ModerationAction.Action.UNPIN: ("is_pinned", False),
    ModerationAction.Action.LOCK: ("is_locked", True),
    ModerationAction.Action.UNLOCK: ("is_locked", False),
    ModerationAction.Action.CLOSE: ("is_closed", True),
    ModerationAction.Action.REOPEN: ("is_closed", False),
}


@transaction.atomic
def topic_moderate(*, topic: Topic, moderator: User, action: str, reason: str = "") -> Topic:
    """Pin, unpin, lock, unlock, close or reopen a topic. Doing what is already done is a
    no-op and is not logged."""
    require(permissions.moderate_refusal(moderator))
    field, value = TOPIC_SWITCHES[action]
    topic = Topic.objects.select_for_update(no_key=True).get(pk=topic.pk)
    if getattr(topic, field) == value:
        return topic
    setattr(topic, field, value)
    save_changed(topic, field)
    _log(moderator=moderator, action=action, topic=topic, person_id=topic.author_id, reason=reason)
    return topic


@transaction.atomic
def topic_move(*, topic: Topic, moderator: User, category: Category, reason: str = "") -> Topic:
    require(permissions.moderate_refusal(moderator))
    topic = Topic.objects.select_for_update(no_key=True).select_related("category").get(pk=topic.pk)
    if topic.category_id == category.pk:
        return topic
    before = topic.category
    topic.category = category
    save_changed(topic, "category")
    category_stats_refresh(category_ids=[before.pk, category.pk])
    _log(
        moderator=moderator,
        action=ModerationAction.Action.MOVE,
        topic=topic,
        person_id=topic.author_id,
        reason=reason,
        details={"from": before.name, "to": category.name},
    )
    return topic


@transaction.atomic
def person_suspend(*, person: User, moderator: User, until: datetime, reason: str) -> Suspension:
    require(permissions.suspend_refusal(moderator, person))
    suspension = Suspension(user=person, until=until, reason=reason, created_by=moderator)
    suspension.full_clean()
    suspension.save()
    _log(
        moderator=moderator,
        action=ModerationAction.Action.SUSPEND,
        person=person,
        reason=reason,
        details={"until": until.isoformat()},
    )
    until_text = formats.date_format(until, "j F Y, H:i")
    notify(
        [
            Notification(
                recipient=person,
                kind=Notification.Kind.MODERATION,
                actor=moderator,
                message=f"A forum moderator suspended you from posting until {until_text} "
                f"(UTC). Reason: {reason}",
            )
        ]
    )
    permissions.forget(person)
    return suspension


@transaction.atomic
def suspension_lift(*, suspension: Suspension, moderator: User, reason: str = "") -> Suspension:
    require(permissions.moderate_refusal(moderator))
    suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.lifted_at is not None:
        return suspension
    suspension.lift(by=moderator)
    suspension.save(update_fields=["lifted_at", "lifted_by"])
    _log(
        moderator=moderator,
        action=ModerationAction.Action.LIFT,
        person_id=suspension.user_id,
        reason=reason,
    )
    return suspension
