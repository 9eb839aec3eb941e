"""The forums' cached pieces (a post, a row of a topic list, a row of the forum index): the
plain values each shows, rendered through portal.core.fragments, which keys each piece on
everything it shows.

What differs per reader on a post (the links they may use) is in the context too, so readers
who see a piece alike (most members, most of the time) share it. A post's piece is part of the
topic page's shared part (portal/forums/topic_page.py): what differs per request there (the
reader's own reactions, the CSRF field) is a hole the page fills in. A topic row holds holes
for the reader's read state, filled by the list pages (``read_state_pieces``), so every reader
shares it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timesince import timesince

from portal.core import reader_cache
from portal.core.fragments import render_cached
from portal.forums.forms import WatchForm
from portal.forums.models import Subscription

if TYPE_CHECKING:
    from portal.forums.models import Category, Post, Topic
    from portal.forums.selectors import ReadMark, TopicView

# A post's piece changes only when the post, its reactions or the reader's position do: a day
# covers a busy evening's readers, and an old version costs only memory until then.
POST_LIFETIME_SECONDS = 24 * 60 * 60
# A row's piece carries "5 minutes ago", so it changes every minute or so and is shared only
# within that time: kept briefly, not to fill the cache.
ROW_LIFETIME_SECONDS = 5 * 60


def reaction_hole_name(post_pk: int, kind: str) -> str:
    """The hole for a reaction button's state: pressed or not is the reader's own."""
    return f"react-{post_pk}-{kind}"


def reaction_hole(post_pk: int, kind: str) -> SafeString:
    return reader_cache.hole(reaction_hole_name(post_pk, kind))


def post_context(post: Post, *, topic: Topic, viewer, can_reply: bool) -> dict:
    """Everything templates/forums/includes/post.html shows for a post and this reader (the
    selector's decorations: badges, reaction counts, permissions), with holes for the
    reader's own reactions and the CSRF field."""
    return {
        "pk": post.pk,
        "topic_pk": topic.pk,
        "status": post.status,
        "is_accepted": post.pk == topic.accepted_answer_id,
        "username": post.author.username,
        "author_name": post.author.display_name,
        "badges": [(badge.kind, badge.label) for badge in post.author_badges],
        "created_at": post.created_at,
        "edit_count": post.edit_count,
        "moderation_reason": post.moderation_reason,
        "body_html": post.body_html,
        "reactions": [
            (shown["kind"], shown["label"], shown["count"], reaction_hole(post.pk, shown["kind"]))
            for shown in post.reactions_shown
        ],
        "can_react": post.can_react,
        "show_quote": can_reply and post.is_published,
        "show_accept": post.can_accept and post.pk != topic.accepted_answer_id,
        "can_edit": post.can_edit,
        "can_delete": post.can_delete,
        "can_report": post.can_report,
        "can_moderate": post.can_moderate,
        "show_suspend": post.author_id != viewer.pk,
        "csrf_input": reader_cache.hole(reader_cache.CSRF),
    }


def attach_post_html(view: TopicView, *, viewer) -> None:
    """Set ``html`` on each post of the topic page, as ``viewer`` (a reader, or one standing
    for a class of them) sees it: one cache read for the page."""
    can_reply = view.reply_refusal is None
    contexts = [
        post_context(post, topic=view.topic, viewer=viewer, can_reply=can_reply)
        for post in view.posts
    ]
    for post, html in zip(
        view.posts,
        render_cached("forums/includes/post.html", contexts, lifetime=POST_LIFETIME_SECONDS),
        strict=True,
    ):
        post.html = html


def topic_row_context(topic: Topic, *, show_category: bool) -> dict:
    """Everything templates/forums/includes/topic_row.html shows for a topic. The reader's
    read state goes in the row's two holes (``read_state_pieces``), so every reader shares
    the row."""
    return {
        "pk": topic.pk,
        "slug": topic.slug,
        "title": topic.title,
        "row_hole": f"topic-{topic.pk}.row",
        "new_hole": f"topic-{topic.pk}.new",
        "is_pinned": topic.is_pinned,
        "is_locked": topic.is_locked,
        "is_closed": topic.is_closed,
        "answered": topic.accepted_answer_id is not None,
        "status": topic.status,
        "show_category": show_category,
        "category_slug": topic.category.slug if show_category else "",
        "category_name": topic.category.name if show_category else "",
        "author_name": topic.author.display_name,
        "reply_count": topic.reply_count,
        "last_posted_at": topic.last_posted_at,
        # "3 hours ago" moves with the clock, so it is part of what the row shows.
        "ago": timesince(topic.last_posted_at),
        "last_post_by_name": topic.last_post_by.display_name if topic.last_post_by_id else "",
    }


def attach_topic_rows(topics: Sequence[Topic], *, show_category: bool = False) -> None:
    """Set ``row_html`` on each topic of a list page: one cache read for the page."""
    contexts = [topic_row_context(topic, show_category=show_category) for topic in topics]
    for topic, html in zip(
        topics,
        render_cached("forums/includes/topic_row.html", contexts, lifetime=ROW_LIFETIME_SECONDS),
        strict=True,
    ):
        topic.row_html = html


def read_state_pieces(marks: Mapping[int, ReadMark]) -> dict[str, str]:
    """What fills each listed topic's holes for this reader: the row's class, and the "new"
    or "3 new" badge. Written here rather than in a template: thirty small renderings a page
    cost more than the rest of the personal part."""
    pieces = {}
    for pk, mark in marks.items():
        pieces[f"topic-{pk}.row"] = "is-unread" if mark.is_unread else ""
        badges = []
        if mark.is_unread and not mark.was_read:
            badges.append('<span class="badge badge-new">new</span>')
        if mark.new_count:
            badges.append(
                format_html(
                    '<a class="badge badge-new" href="{}">{} new<span class="forum-sr-only">'
                    " post{}: jump to the first</span></a>",
                    reverse("forums:topic_unread", kwargs={"pk": pk}),
                    mark.new_count,
                    pluralize(mark.new_count),
                )
            )
        pieces[f"topic-{pk}.new"] = " ".join(badges)
    return pieces


def category_row_context(category: Category) -> dict:
    """Everything templates/forums/includes/category_row.html shows for a category (its kept
    topic count and latest topic: ``Category.objects.with_activity``)."""
    latest = category.latest_topic
    return {
        "slug": category.slug,
        "name": category.name,
        "is_qa": category.is_qa,
        "staff_only_posting": category.staff_only_posting,
        "description": category.description,
        "topic_count": category.topic_count,
        "latest_pk": latest.pk if latest else None,
        "latest_slug": latest.slug if latest else "",
        "latest_title": latest.title if latest else "",
        "latest_posted_at": latest.last_posted_at if latest else None,
        "latest_ago": timesince(latest.last_posted_at) if latest else "",
    }


def attach_category_rows(categories: Sequence[Category]) -> None:
    """Set ``row_html`` on each category of the forum index: one cache read for the page."""
    contexts = [category_row_context(category) for category in categories]
    for category, html in zip(
        categories,
        render_cached("forums/includes/category_row.html", contexts, lifetime=ROW_LIFETIME_SECONDS),
        strict=True,
    ):
        category.row_html = html


def watch_forms(*, action: str, legend: str) -> tuple[tuple[str, str], ...]:
    """The watch form (a topic's or a category's) drawn at each level, with a hole for the
    CSRF field: a shared part keeps all of them, and each reader is given theirs
    (``watch_piece``)."""
    return tuple(
        (
            level,
            render_to_string(
                "forums/includes/watch_form.html",
                {
                    "form": WatchForm(initial={"level": level}),
                    "action": action,
                    "legend": legend,
                    "csrf_field": reader_cache.hole(reader_cache.CSRF),
                },
            ),
        )
        for level in Subscription.Level.values
    )


def watch_piece(
    forms: tuple[tuple[str, str], ...], level: str, *, request: HttpRequest
) -> SafeString:
    """The reader's watch form at their level (the normal one for a level no longer
    offered), with this request's CSRF field."""
    by_level = dict(forms)
    form = by_level.get(level, by_level[Subscription.Level.NORMAL])
    return reader_cache.fill(form, {}, request=request)
