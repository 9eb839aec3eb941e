"""A topic's page, split for the reader cache (portal/core/reader_cache.py).

Forty people on a busy topic see the same posts with the same links and differ in a few
places, so the page is built in two parts:

* the **shared part** (``TopicPart``): a page of posts as a *class* of reader sees it, built
  for a stand-in of the class (``_stand_in``: the class's facts and nobody's identity), so
  nothing about one person can reach it. The class (``ReaderClass``): signed in or not; forum
  moderator or not (unpublished posts, moderation, delete and accept links); staff or not
  (the reply form in staff-only categories); suspended or not (no reply form or quote links);
* the reader's **own pieces**, filled into its holes on every request (``fill``): the "new
  posts since your last visit" notice, whether each reaction button is pressed, the watch
  form at their level, the terms of their suspension, the CSRF field.

Someone who took part in the topic (wrote any post in it, the opening post included, in any
state) sees more than the holes: edit and delete links on their posts, no reaction or report
buttons there, perhaps their posts awaiting review, which also change how the pages are
numbered. They are served alone: the page is built for them, by the same code, with their own
account. Knowing it costs nothing more: the query that reads the reader's place in the topic
(``selectors.topic_reading``) says so.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import UTC, datetime

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from portal.accounts.models import User
from portal.core import reader_cache
from portal.forums import fragments, selectors
from portal.forums.forms import ReplyForm
from portal.forums.models import Reaction, Suspension
from portal.forums.permissions import active_suspension, is_forum_moderator, suspension_text

# A reaction button's state (its hole in forums/includes/post.html).
PRESSED = mark_safe('class="reaction reaction-mine" aria-pressed="true"')
NOT_PRESSED = mark_safe('class="reaction" aria-pressed="false"')


@dataclass(frozen=True)
class ReaderClass:
    """What about a reader changes a topic page beyond its holes, for someone who took no
    part in the topic."""

    signed_in: bool
    moderator: bool = False
    staff: bool = False
    suspended: bool = False


def reader_class(user) -> ReaderClass:
    """The reader's class; both answers are cached on the user for the request
    (portal/forums/permissions.py)."""
    if not user.is_authenticated:
        return ReaderClass(signed_in=False)
    return ReaderClass(
        signed_in=True,
        moderator=is_forum_moderator(user),
        staff=user.is_staff,
        suspended=active_suspension(user) is not None,
    )


def _stand_in(reader: ReaderClass):
    """A reader with the class's facts and nobody's identity, for the permission checks and
    the queries that build the shared part."""
    if not reader.signed_in:
        return AnonymousUser()
    # Id 0 belongs to nobody (ids start at 1): "is this theirs?" is no for every post and
    # topic, and a query about their own rows finds none.
    someone = User(id=0, username="", is_active=True, is_staff=reader.staff)
    someone._forum_moderator = reader.moderator  # what is_forum_moderator caches
    # The checks only ask whether there is a suspension; its terms are the reader's own and
    # go in the "reply-refusal" hole.
    someone._forum_suspension = (
        Suspension(until=datetime(2000, 1, 1, tzinfo=UTC), reason="") if reader.suspended else None
    )
    return someone


@dataclass(frozen=True)
class TopicPart:
    """The shared part of a page of a topic, and what the page needs to fill its holes."""

    html: str
    title: str
    # How far a reader of this page has read (its last published post).
    seen_until: datetime
    # The reaction buttons shown, each with a hole for its state: (post, kind).
    reactions: tuple[tuple[int, str], ...]
    # The watch form at each level, with a CSRF hole; the "watch" hole takes the reader's.
    watch_forms: tuple[tuple[str, str], ...]
    unread_url: str


def part(*, reading: selectors.TopicReading, number: int, viewer) -> TopicPart:
    """The page ``number`` of the topic for this reader: the shared part of their class, or
    theirs alone if they took part in the topic."""
    if viewer.is_authenticated and (reading.took_part or reading.author_id == viewer.pk):
        return _build(pk=reading.pk, number=number, viewer=viewer)
    reader = reader_class(viewer)
    return reader_cache.shared(
        f"forum-topic:{reading.pk}:{number}",
        vary=astuple(reader),
        build=lambda: _build(pk=reading.pk, number=number, viewer=_stand_in(reader)),
    )


def _build(*, pk: int, number: int, viewer) -> TopicPart:
    view = selectors.topic_view(pk=pk, viewer=viewer, number=number)
    fragments.attach_post_html(view, viewer=viewer)
    topic = view.topic
    signed_in = viewer.is_authenticated
    suspended = active_suspension(viewer) is not None
    html = render_to_string(
        "forums/topic_content.html",
        {
            "view": view,
            "topic": topic,
            "page": view.page,
            "reply_form": ReplyForm() if view.reply_refusal is None else None,
            "signed_in": signed_in,
            "suspended": suspended,
            "is_moderator": is_forum_moderator(viewer),
        },
    )
    watch_forms = ()
    if signed_in:
        action = reverse("forums:topic_watch", kwargs={"pk": pk})
        watch_forms = fragments.watch_forms(action=action, legend="Notifications for this topic")
    return TopicPart(
        html=html,
        title=topic.title,
        seen_until=view.seen_until,
        reactions=tuple(
            (post.pk, kind)
            for post in view.posts
            if post.can_react
            for kind in Reaction.Kind.values
        ),
        watch_forms=watch_forms,
        unread_url=reverse("forums:topic_unread", kwargs={"pk": pk}),
    )


def fill(
    topic_part: TopicPart, *, reading: selectors.TopicReading, request: HttpRequest
) -> SafeString:
    """The page's HTML with the reader's own pieces in its holes: one query for their
    reactions on the page, when they reacted to any post of the topic and the page has
    reaction buttons; none otherwise."""
    viewer = request.user
    if not viewer.is_authenticated:
        return reader_cache.fill(topic_part.html, {}, request=request)
    mine = (
        selectors.reactions_of(
            viewer=viewer, post_ids={post_pk for post_pk, _ in topic_part.reactions}
        )
        if reading.reacted
        else set()
    )
    holes: dict[str, str] = {
        fragments.reaction_hole_name(post_pk, kind): (
            PRESSED if (post_pk, kind) in mine else NOT_PRESSED
        )
        for post_pk, kind in topic_part.reactions
    }
    holes["new-posts"] = (
        format_html(
            '<p class="notice">{} new post{} since your last visit. '
            '<a href="{}">Jump to the first unread</a></p>',
            reading.new_count,
            pluralize(reading.new_count),
            topic_part.unread_url,
        )
        if reading.new_count
        else ""
    )
    holes["watch"] = fragments.watch_piece(
        topic_part.watch_forms, reading.watch_level, request=request
    )
    suspension = active_suspension(viewer)
    holes["reply-refusal"] = conditional_escape(suspension_text(suspension)) if suspension else ""
    return reader_cache.fill(topic_part.html, holes, request=request)
