"""Starting topics, replying and editing.

Posting, in order: lock the person's row (so their rate limit counts one post at a time),
check the limits and duplicates, render the Markdown once, run the hold filter, save, watch
the topic for its author, then either hold (a review-queue flag) or publish (topic counts,
then notifications for mentions and watchers)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from portal.accounts.models import User
from portal.forums import limits, permissions
from portal.forums.hold import Verdict, rules_for
from portal.forums.models import (
    Category,
    Flag,
    Notification,
    Post,
    PostRevision,
    Status,
    Subscription,
    Topic,
)
from portal.forums.permissions import is_forum_moderator, require
from portal.forums.services.counts import topic_stats_refresh
from portal.forums.services.notifications import (
    area_readers,
    effective_level,
    mentions,
    notice_path,
    notify,
    on_publish,
    watch_levels,
)
from portal.forums.services.search import post_search_index
from portal.forums.services.subscriptions import watch_by_default
from portal.forums.services.unread import recount_unread_in_topic
from portal.forums.services.versions import save_changed
from portal.forums.text import body_hash, has_links, render_post

# A person's first posts with links wait for a moderator: link spam is the commonest abuse
# of a new forum account, and three approved posts show the person is real.
FIRST_LINK_POSTS_HELD = 3
LINK_HOLD_REASON = f"one of the person's first {FIRST_LINK_POSTS_HELD} posts with links"


Level = Subscription.Level


def lock_person(user: User) -> None:
    # Serialises one person's posts on PostgreSQL, so the rate limit and the duplicate check
    # see the post sent a millisecond earlier. (SQLite writes one at a time anyway.) NO KEY:
    # a FOR UPDATE lock would also stop other writers from adding rows that point at the
    # person (a notification to them), which deadlocked two replies in one category under
    # load; every take-turns lock in the forums and the board is a NO KEY one for that
    # reason (tests/forums/test_locks.py).
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).values_list(
        "pk", flat=True
    ).first()


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


@transaction.atomic
def topic_create(*, author: User, category: Category, title: str, body: str) -> Topic:
    lock_person(author)
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
        # A private area's topics carry its mark, which every public read leaves out.
        is_private=category.is_private,
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
    lock_person(author)
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
    watch_by_default(user=author, topic=topic)
    if verdict.held:
        _hold(post, verdict)
    else:
        on_publish(post, now=now)
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
    old_mentions = {person.pk for person in mentions(post)}
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
        recount_unread_in_topic(post.topic_id)
    post.full_clean()
    save_changed(
        post, "body", "body_html", "has_links", "body_hash", "edited_at", "edit_count", "status"
    )
    if post.is_opening:
        topic.title, topic.slug = new_title, _slug(new_title)
        if held_now:
            topic.status = Status.HELD
        topic.full_clean()
        save_changed(topic, "title", "slug", "status")
    post_search_index(post_ids=[post.pk])
    if held_now:
        _hold(post, verdict)
        topic_stats_refresh(topic=topic)
    elif post.is_published and topic.is_published:
        # People newly mentioned by the edit hear about it; the others already did.
        levels = watch_levels(topic)
        readers = area_readers(topic)
        notify(
            [
                Notification(
                    recipient=person,
                    kind=Notification.Kind.MENTION,
                    actor=editor,
                    topic=topic,
                    post=post,
                    path=notice_path(topic, post),
                )
                for person in mentions(post)
                if (readers is None or person.pk in readers)
                and person.pk not in old_mentions
                and person.pk != editor.pk
                and effective_level(person.pk, levels) != Level.MUTED
            ]
        )
    return post
