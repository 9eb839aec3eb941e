"""Every write in the forums, one function per action.

Each runs in a transaction, asks permissions.py first (raising PermissionDenied with the
reason), validates (ValidationError, shown beside the field by the view), and enqueues email
only after commit. Posting, in order: lock the person's row (so their rate limit counts one
post at a time), check the limits and duplicates, render the Markdown once, run the hold
filter, save, watch the topic for its author, then either hold (a review-queue flag) or
publish (topic counts, then notifications for mentions and watchers).

Moderation actions write a ModerationAction row (the log) and tell the person affected,
in-app and by email if they want it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import formats, timezone
from django.utils.text import slugify

from portal.accounts.models import User
from portal.core.outbox import enqueue_on_commit
from portal.forums import limits, permissions, unread_count
from portal.forums.hold import Verdict, rules_for
from portal.forums.models import (
    Category,
    Flag,
    ModerationAction,
    Notification,
    Post,
    PostRevision,
    Reaction,
    ReadState,
    Status,
    Subscription,
    Suspension,
    Topic,
)
from portal.forums.permissions import is_forum_moderator, require
from portal.forums.tasks import send_notification_email
from portal.forums.text import body_hash, has_links, mentioned_people, render_post

# A person's first posts with links wait for a moderator: link spam is the commonest abuse
# of a new forum account, and three approved posts show the person is real.
FIRST_LINK_POSTS_HELD = 3
LINK_HOLD_REASON = f"one of the person's first {FIRST_LINK_POSTS_HELD} posts with links"
# The text search configuration (stemming, stop words); the forums are in English.
SEARCH_CONFIG = "english"
# The in-app notifications that also go out by email straight away (if the person wants).
# Lessons of the common foundation (no role) are discussed here.
LESSON_FALLBACK_CATEGORY = "new-moderators-questions"
EMAILED_KINDS = {
    Notification.Kind.REPLY,
    Notification.Kind.MENTION,
    Notification.Kind.MODERATION,
}

Level = Subscription.Level


def _lock_person(user: User) -> None:
    # Serialises one person's posts on PostgreSQL, so the rate limit and the duplicate check
    # see the post sent a millisecond earlier. (SQLite writes one at a time anyway.) NO KEY:
    # a FOR UPDATE lock would also stop other writers from adding rows that point at the
    # person (a notification to them), which deadlocked two replies in one category under
    # load; every take-turns lock in the forums and the board is a NO KEY one for that
    # reason (tests/forums/test_locks.py).
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).values_list(
        "pk", flat=True
    ).first()


def _save_changed(row: Category | Topic | Post, *fields: str) -> None:
    """Save the changed fields and move the row's version in the same UPDATE: the fragments
    pages cached of this row get new keys, and no other row's do (models.py)."""
    row.version = F("version") + 1
    # Django reads the new version back in the same statement (RETURNING).
    row.save(update_fields=[*fields, "version"])


def _slug(title: str) -> str:
    return slugify(title)[:80].strip("-") or "topic"


def _hold_verdict(*, author: User, category: Category, text: str, new_links: bool) -> Verdict:
    """Whether a post waits for review. Forum moderators are never held (as on the platform,
    where AutoMod does not hold moderators' own messages)."""
    if is_forum_moderator(author):
        return Verdict()
    verdict = rules_for(category.hold_levels).check(text)
    if new_links:
        approved = Post.objects.filter(
            author=author, has_links=True, status=Status.PUBLISHED
        ).count()
        if approved < FIRST_LINK_POSTS_HELD:
            verdict.reasons.append(LINK_HOLD_REASON)
    return verdict


def _check_limits(*, author: User, body: str, starting_topic: bool, now: datetime) -> str:
    digest = body_hash(body)
    if not is_forum_moderator(author):
        limits.check_posting(user=author, starting_topic=starting_topic, now=now)
        limits.check_duplicate(user=author, body_hash=digest, now=now)
    return digest


def _hold(post: Post, verdict: Verdict) -> Flag:
    flag = Flag(
        post=post,
        kind=Flag.Kind.HOLD,
        reason=Flag.Reason.FILTER,
        details="; ".join(verdict.reasons),
        created_at=post.edited_at or post.created_at,
    )
    flag.full_clean()
    flag.save()
    return flag


def _watch_by_default(*, user: User, topic: Topic) -> None:
    """You watch the topics you start or reply to, unless you already chose otherwise."""
    Subscription.objects.get_or_create(user=user, topic=topic, defaults={"level": Level.WATCHING})


# --- Counts and search ----------------------------------------------------------------------


def topic_stats_refresh(*, topic: Topic) -> None:
    """Recompute the topic's reply count and latest activity from its published posts, then
    its category's (the topic may now be, or no longer be, the category's latest)."""
    published = Post.objects.filter(topic=topic, status=Status.PUBLISHED)
    latest = published.order_by("-published_at", "-pk").values("published_at", "author").first()
    topic.reply_count = published.filter(is_opening=False).count()
    if latest is not None:
        topic.last_posted_at = latest["published_at"]
        topic.last_post_by_id = latest["author"]
    _save_changed(topic, "reply_count", "last_posted_at", "last_post_by")
    category_stats_refresh(category_ids=[topic.category_id])


def category_stats_refresh(*, category_ids: Iterable[int]) -> None:
    """Recompute each category's published-topic count and latest published topic from its
    topics (what the forum index shows), in two statements whatever the number of categories.

    Recounting (an index-only scan of the category's topics, on a write) rather than adding
    and subtracting one keeps the numbers right whatever path changed a topic. The rows are
    locked first, in id order, so two writers in one category take turns and the second
    recounts after the first has committed (a single UPDATE would recount from the snapshot
    it started with); the lock is held to the end of the writer's transaction.

    It moves no version: the category's own version stands for what staff edit (its name,
    above every topic row of the latest list), and the forum index keys its row on these two
    kept values themselves (templates/forums/index.html)."""
    category_ids = sorted(set(category_ids))
    if not category_ids:
        return
    published = Topic.objects.published().filter(category=OuterRef("pk")).order_by()
    # No savepoint inside the writer's transaction (two statements saved); its own when called
    # outside one (demo data, the admin's bulk delete).
    with transaction.atomic(savepoint=False):
        list(
            Category.objects.select_for_update(no_key=True)
            .filter(pk__in=category_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Category.objects.filter(pk__in=category_ids).update(
            topic_count=Coalesce(
                Subquery(published.values("category").annotate(n=Count("pk")).values("n")), 0
            ),
            latest_topic=Subquery(published.order_by("-last_posted_at", "-pk").values("pk")[:1]),
        )


def _search_vectors() -> tuple[SearchVector, SearchVector]:
    """(opening post's vector: title and body; reply's vector: body)."""
    body = SearchVector("body", weight="B", config=SEARCH_CONFIG)
    title = SearchVector(
        Subquery(Topic.objects.filter(pk=OuterRef("topic_id")).values("title")[:1]),
        weight="A",
        config=SEARCH_CONFIG,
    )
    return title + body, body


def post_search_index(*, post_ids: Iterable[int]) -> None:
    """Store the posts' search vectors (PostgreSQL only: SQLite searches with icontains). An
    opening post carries its topic's title too, weighted above the body."""
    post_ids = list(post_ids)
    if not settings.IS_POSTGRES or not post_ids:
        return
    opening, reply = _search_vectors()
    Post.objects.filter(pk__in=post_ids, is_opening=True).update(search_vector=opening)
    Post.objects.filter(pk__in=post_ids, is_opening=False).update(search_vector=reply)


def search_index_rebuild() -> None:
    """Every post's search vector, in two statements (demo data; a change of SEARCH_CONFIG)."""
    if not settings.IS_POSTGRES:
        return
    with transaction.atomic():
        opening, reply = _search_vectors()
        Post.objects.filter(is_opening=True).update(search_vector=opening)
        Post.objects.filter(is_opening=False).update(search_vector=reply)


# --- Notifications ---------------------------------------------------------------------------


def _notify(notifications: list[Notification]) -> None:
    created = Notification.objects.bulk_create(notifications)
    unread_count.forget(n.recipient_id for n in created)
    emailed = [n.pk for n in created if n.kind in EMAILED_KINDS]
    for pk in emailed:
        enqueue_on_commit(send_notification_email, pk)


def _levels(topic: Topic) -> tuple[dict[int, str], dict[int, str]]:
    """Everyone's explicit watch levels for the topic and for its category (two queries)."""
    topic_levels = dict(Subscription.objects.filter(topic=topic).values_list("user", "level"))
    category_levels = dict(
        Subscription.objects.filter(category_id=topic.category_id).values_list("user", "level")
    )
    return topic_levels, category_levels


def _effective(user_id: int, levels: tuple[dict[int, str], dict[int, str]]) -> str:
    topic_levels, category_levels = levels
    return topic_levels.get(user_id) or category_levels.get(user_id) or Level.NORMAL


def _on_publish(post: Post, *, now: datetime) -> None:
    """A post became visible to everyone: update the topic and tell the people who want to
    know. Mentions first; watchers who were mentioned get only the mention."""
    topic = post.topic
    topic_stats_refresh(topic=topic)
    levels = _levels(topic)
    told = {post.author_id}
    notes: list[Notification] = []
    for person in _mentions(post):
        if person.pk in told or _effective(person.pk, levels) == Level.MUTED:
            continue
        told.add(person.pk)
        notes.append(
            Notification(
                recipient=person,
                kind=Notification.Kind.MENTION,
                actor=post.author,
                topic=topic,
                post=post,
                created_at=now,
            )
        )
    topic_levels, category_levels = levels
    watchers = {u for u, level in topic_levels.items() if level == Level.WATCHING} | {
        u
        for u, level in category_levels.items()
        if level == Level.WATCHING and u not in topic_levels
    }
    watchers -= told
    if post.is_opening:
        kind = Notification.Kind.NEW_TOPIC
        gathered: set[int] = set()
    else:
        kind = Notification.Kind.REPLY
        # A watcher with an unread reply notice for this topic gets it updated, not another
        # one (nor another email): "5 new replies" rather than five emails.
        unread = Notification.objects.unread().filter(
            kind=kind, topic=topic, recipient_id__in=watchers
        )
        gathered = set(unread.values_list("recipient_id", flat=True))
        if gathered:
            unread.update(count=F("count") + 1, actor=post.author, created_at=now)
    notes += [
        Notification(
            recipient_id=user_id,
            kind=kind,
            actor=post.author,
            topic=topic,
            post=post,
            created_at=now,
        )
        for user_id in sorted(watchers - gathered)
    ]
    _notify(notes)


def _mentions(post: Post) -> list[User]:
    return mentioned_people(post.body)


def _tell_author(*, post: Post, moderator: User, message: str) -> None:
    _notify(
        [
            Notification(
                recipient_id=post.author_id,
                kind=Notification.Kind.MODERATION,
                actor=moderator,
                topic=post.topic,
                post=post,
                message=message,
            )
        ]
    )


def notifications_mark_all_read(*, user: User) -> int:
    with transaction.atomic():
        marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        unread_count.forget([user.pk])
        return marked


def notification_mark_emailed(*, notification: Notification) -> None:
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


# --- Topics and posts ------------------------------------------------------------------------


@transaction.atomic
def topic_create(*, author: User, category: Category, title: str, body: str) -> Topic:
    _lock_person(author)
    require(permissions.topic_start_refusal(author, category))
    now = timezone.now()
    title = " ".join(title.split())
    digest = _check_limits(author=author, body=body, starting_topic=True, now=now)
    html, _ = render_post(body)
    links = has_links(body, html)
    verdict = _hold_verdict(
        author=author, category=category, text=f"{title}\n{body}", new_links=links
    )
    status = Status.HELD if verdict.held else Status.PUBLISHED
    topic = Topic(
        category=category,
        author=author,
        title=title,
        slug=_slug(title),
        status=status,
        created_at=now,
        last_posted_at=now,
        last_post_by=author,
    )
    topic.full_clean()
    topic.save()
    _post_add(
        topic=topic, author=author, body=body, html=html, digest=digest, links=links,
        verdict=verdict, now=now, is_opening=True,
    )  # fmt: skip
    return topic


@transaction.atomic
def post_create(*, author: User, topic: Topic, body: str) -> Post:
    _lock_person(author)
    topic = Topic.objects.select_related("category").get(pk=topic.pk)  # its state right now
    require(permissions.reply_refusal(author, topic))
    now = timezone.now()
    digest = _check_limits(author=author, body=body, starting_topic=False, now=now)
    html, _ = render_post(body)
    links = has_links(body, html)
    verdict = _hold_verdict(author=author, category=topic.category, text=body, new_links=links)
    return _post_add(
        topic=topic, author=author, body=body, html=html, digest=digest, links=links,
        verdict=verdict, now=now, is_opening=False,
    )  # fmt: skip


def _post_add(
    *, topic: Topic, author: User, body: str, html: str, digest: str, links: bool,
    verdict: Verdict, now: datetime, is_opening: bool,
) -> Post:  # fmt: skip
    """Write a checked post (a topic's opening post or a reply): held for review, or published
    with everything publishing sets off."""
    post = Post(
        topic=topic,
        author=author,
        is_opening=is_opening,
        body=body,
        body_html=html,
        body_hash=digest,
        has_links=links,
        status=Status.HELD if verdict.held else Status.PUBLISHED,
        created_at=now,
        published_at=None if verdict.held else now,
    )
    post.full_clean()
    post.save()
    post_search_index(post_ids=[post.pk])
    _watch_by_default(user=author, topic=topic)
    if verdict.held:
        _hold(post, verdict)
    else:
        _on_publish(post, now=now)
    return post


@transaction.atomic
def post_edit(*, post: Post, editor: User, body: str, title: str | None = None) -> Post:
    """Edit a post, keeping the earlier version in its revision history. The new text goes
    through the hold filter again: a clean post edited into abuse is held like a new one."""
    post = (
        Post.objects.select_for_update(no_key=True)
        .select_related("topic__category")
        .get(pk=post.pk)
    )
    require(permissions.edit_refusal(editor, post))
    topic = post.topic
    new_title = " ".join(title.split()) if title is not None and post.is_opening else topic.title
    if body == post.body and new_title == topic.title:
        return post
    now = timezone.now()
    PostRevision.objects.create(
        post=post,
        number=post.edit_count + 1,
        title=topic.title if post.is_opening else "",
        body=post.body,
        body_html=post.body_html,
        written_at=post.edited_at or post.created_at,
    )
    old_mentions = {person.pk for person in _mentions(post)}
    html, _ = render_post(body)
    links = has_links(body, html)
    verdict = _hold_verdict(
        author=editor,
        category=topic.category,
        text=f"{new_title}\n{body}" if post.is_opening else body,
        new_links=links and not post.has_links,
    )
    post.body, post.body_html, post.has_links = body, html, links
    post.body_hash = body_hash(body)
    post.edited_at, post.edit_count = now, post.edit_count + 1
    held_now = verdict.held and post.status == Status.PUBLISHED
    if held_now:
        post.status = Status.HELD
        unread_count.visibility_changed()
    post.full_clean()
    _save_changed(
        post, "body", "body_html", "has_links", "body_hash", "edited_at", "edit_count", "status"
    )
    if post.is_opening:
        topic.title, topic.slug = new_title, _slug(new_title)
        if held_now:
            topic.status = Status.HELD
        topic.full_clean()
        _save_changed(topic, "title", "slug", "status")
    post_search_index(post_ids=[post.pk])
    if held_now:
        _hold(post, verdict)
        topic_stats_refresh(topic=topic)
    elif post.is_published and topic.is_published:
        # People newly mentioned by the edit hear about it; the others already did.
        levels = _levels(topic)
        _notify(
            [
                Notification(
                    recipient=person,
                    kind=Notification.Kind.MENTION,
                    actor=editor,
                    topic=topic,
                    post=post,
                )
                for person in _mentions(post)
                if person.pk not in old_mentions
                and person.pk != editor.pk
                and _effective(person.pk, levels) != Level.MUTED
            ]
        )
    return post


def _take_down(*, post: Post, status: str, reason: str) -> Topic:
    """Hide or delete a post (and its topic with it, for an opening post); clears it as the
    accepted answer and recounts the topic."""
    post.status = status
    post.moderation_reason = reason
    _save_changed(post, "status", "moderation_reason")
    unread_count.visibility_changed()
    topic = post.topic
    if post.is_opening:
        topic.status = status
    if topic.accepted_answer_id == post.pk:
        topic.accepted_answer = None
    _save_changed(topic, "status", "accepted_answer")
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
        _tell_author(
            post=post,
            moderator=actor,
            message=f"A forum moderator deleted your post. Reason: {reason or 'none given'}",
        )


# --- Reactions, answers, reading, watching ---------------------------------------------------


@transaction.atomic
def reaction_toggle(*, post: Post, user: User, kind: str) -> bool:
    """Add the reaction, or take it back if already given. Returns whether it is now on."""
    require(permissions.react_refusal(user, post))
    kind = Reaction.Kind(kind)
    removed, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if removed:
        _count_reaction(post=post, kind=kind, change=-removed)
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=user, kind=kind)
    except IntegrityError:  # the same click twice at once: it is on either way
        return True
    _count_reaction(post=post, kind=kind, change=1)
    already_told = Notification.objects.filter(
        recipient_id=post.author_id,
        actor=user,
        post=post,
        kind=Notification.Kind.REACTION,
        message=kind.label,
    ).exists()
    if not already_told and _effective(post.author_id, _levels(post.topic)) != Level.MUTED:
        _notify(
            [
                Notification(
                    recipient_id=post.author_id,
                    kind=Notification.Kind.REACTION,
                    actor=user,
                    topic=post.topic,
                    post=post,
                    message=kind.label,
                )
            ]
        )
    return True


def _count_reaction(*, post: Post, kind: str, change: int) -> None:
    """Move the post's kept count (never below zero), and its version, in one UPDATE: F()
    counts right when two people react at once, where a recount could miss the other."""
    column = f"{kind}_count"
    Post.objects.filter(pk=post.pk).update(
        **{column: Greatest(F(column) + change, 0)}, version=F("version") + 1
    )


def reaction_counts_refresh(*, post_ids: Iterable[int] | None = None) -> None:
    """Recount the posts' kept reaction counts from their reactions (when None: every post
    that has any), for reactions written in bulk (demo data)."""
    posts = Post.objects.filter(
        pk__in=Reaction.objects.values("post") if post_ids is None else post_ids
    )
    counts = {}
    for kind in Reaction.Kind.values:
        given = (
            Reaction.objects.filter(post=OuterRef("pk"), kind=kind)
            .order_by()
            .values("post")
            .annotate(n=Count("pk"))
            .values("n")
        )
        counts[f"{kind}_count"] = Coalesce(Subquery(given), 0)
    posts.update(**counts, version=F("version") + 1)


@transaction.atomic
def answer_accept(*, post: Post, actor: User) -> None:
    require(permissions.accept_refusal(actor, post))
    topic = post.topic
    if topic.accepted_answer_id == post.pk:
        return
    topic.accepted_answer = post
    _save_changed(topic, "accepted_answer")
    if post.author_id != actor.pk and _effective(post.author_id, _levels(topic)) != Level.MUTED:
        _notify(
            [
                Notification(
                    recipient_id=post.author_id,
                    kind=Notification.Kind.ACCEPTED,
                    actor=actor,
                    topic=topic,
                    post=post,
                )
            ]
        )


@transaction.atomic
def answer_unaccept(*, topic: Topic, actor: User) -> None:
    if topic.accepted_answer is None:
        return
    require(permissions.accept_refusal(actor, topic.accepted_answer))
    topic.accepted_answer = None
    _save_changed(topic, "accepted_answer")


def topic_read(
    *,
    reader: User,
    topic_id: int,
    seen_until: datetime,
    last_read_at: datetime | None,
    unread_notifications: bool,
) -> None:
    """Remember how far the reader has read, and clear their notifications about the topic.

    The page says what it found when it read the reader's place (``selectors.topic_reading``),
    so a reader who saw it all before and has nothing unread about it (most views) costs no
    write at all; otherwise the read point is one statement (an insert the first time, then
    an update that only ever moves it forward), with no transaction around it. It writes the
    reader's own rows only and moves no version: what one person reads changes no fragment
    that others are served."""
    if last_read_at is None:
        ReadState.objects.bulk_create(
            [ReadState(user=reader, topic_id=topic_id, last_read_at=seen_until)],
            ignore_conflicts=True,
        )
    elif last_read_at < seen_until:
        ReadState.objects.filter(
            user=reader, topic_id=topic_id, last_read_at__lt=seen_until
        ).update(last_read_at=seen_until)
    # Rare (someone who watches the topic, or was mentioned in it): a second statement.
    if unread_notifications and Notification.objects.filter(
        recipient=reader, topic_id=topic_id, read_at__isnull=True
    ).update(read_at=timezone.now()):
        unread_count.forget([reader.pk])


@transaction.atomic
def subscription_set(
    *, user: User, level: str, topic: Topic | None = None, category: Category | None = None
) -> Subscription:
    require(permissions.watch_refusal(user))
    subscription, _ = Subscription.objects.update_or_create(
        user=user, topic=topic, category=category, defaults={"level": Level(level)}
    )
    return subscription


# --- Reports and moderation ------------------------------------------------------------------


def _log(*, moderator: User, action: str, post: Post | None = None, **fields) -> ModerationAction:
    if post is not None:
        fields.setdefault("topic", post.topic)
    return ModerationAction.objects.create(moderator=moderator, action=action, post=post, **fields)


@transaction.atomic
def post_report(*, post: Post, reporter: User, reason: str, details: str = "") -> Flag:
    _lock_person(reporter)
    require(permissions.report_refusal(reporter, post))
    limits.check_reporting(user=reporter)
    if Flag.objects.open().filter(post=post, reporter=reporter).exists():
        raise ValidationError(
            "You have already reported this post; the forum moderators will look at it.",
            code="already_reported",
        )
    if reason == Flag.Reason.FILTER:
        raise ValidationError("Choose a reason.", code="bad_reason")
    flag = Flag(post=post, kind=Flag.Kind.REPORT, reason=reason, details=details, reporter=reporter)
    flag.full_clean()
    flag.save()
    return flag


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
    _save_changed(post, "status", "published_at")
    unread_count.visibility_changed()
    topic = post.topic
    if post.is_opening:
        topic.status = Status.PUBLISHED
        _save_changed(topic, "status")
    _resolve_flags(post=post, by=moderator, resolution=Flag.Resolution.APPROVED)
    _log(
        moderator=moderator,
        action=ModerationAction.Action.APPROVE,
        post=post,
        person_id=post.author_id,
    )
    _tell_author(
        post=post,
        moderator=moderator,
        message="A forum moderator approved your post: everyone can see it now.",
    )
    _on_publish(post, now=now)
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
        message=f"A forum moderator reviewed your post and it will not be published. "
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
        message=f"A forum moderator hid your post. Reason: {reason}",
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
    _tell_author(post=post, moderator=moderator, message=message)
    return post


@transaction.atomic
def post_unhide(*, post: Post, moderator: User, reason: str = "") -> Post:
    require(permissions.moderate_refusal(moderator))
    post = _locked_post(post)
    if post.status != Status.HIDDEN:
        raise _not_waiting(post, Status.HIDDEN)
    post.status, post.moderation_reason = Status.PUBLISHED, ""
    post.published_at = post.published_at or timezone.now()
    _save_changed(post, "status", "moderation_reason", "published_at")
    unread_count.visibility_changed()
    topic = post.topic
    if post.is_opening:
        topic.status = Status.PUBLISHED
        _save_changed(topic, "status")
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
    _save_changed(topic, field)
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
    _save_changed(topic, "category")
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
    _notify(
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


# --- Guide lessons ---------------------------------------------------------------------------


@transaction.atomic
def lesson_discussion_open(*, lesson, author: User) -> str:
    """The lesson's discussion topic: started now (in the category of the lesson's role track,
    or New moderators' questions for the common foundation) unless it already has one.
    Returns its address; guides.Lesson.discussion_url keeps it."""
    from portal.guides.models import Lesson

    lesson = Lesson.objects.select_for_update(no_key=True).select_related("track").get(pk=lesson.pk)
    if lesson.discussion_url:
        return lesson.discussion_url
    category = (
        Category.objects.filter(role_id=lesson.track.role_id).first()
        if lesson.track.role_id
        else None
    ) or Category.objects.get(slug=LESSON_FALLBACK_CATEGORY)
    topic = topic_create(
        author=author,
        category=category,
        title=f"Discuss: {lesson.title}"[:140],
        body=f"A place to talk about the lesson **[{lesson.title}]({lesson.get_absolute_url()})**"
        f" from the {lesson.track.title} guide: questions, how it went when you tried it, and "
        "what you would add.",
    )
    lesson.discussion_url = topic.get_absolute_url()
    lesson.full_clean(exclude=[f.name for f in Lesson._meta.fields if f.name != "discussion_url"])
    lesson.save(update_fields=["discussion_url"])
    return lesson.discussion_url
