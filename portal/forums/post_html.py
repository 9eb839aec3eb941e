"""The part of each post's HTML that every reader sees alike, rendered once per version of
the post and kept in the shared cache.

Between two changes to a post, a busy topic is read by many people, and each would render
the same permalink, date, edit link, moderation notice and body for every post of the page.
Each post's fragment is keyed on its id and a digest of everything it shows (status, edit
count and time, moderation reason, whether it is the accepted answer, the stored body HTML),
all read in the page's own query: an edit, a hide, an approval or a newly accepted answer
makes a new key, so the next reader sees the change at once and nothing has to be deleted
(old versions expire). One get_many and, after a change, one set_many per page.

What differs per reader (reactions and whether they are theirs, the links they may use) and
what changes outside the forums (names, badges) is rendered around the fragment on every
view, in templates/forums/topic.html.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from portal.forums.models import Post

# Bump when templates/forums/includes/post_meta.html or post_content.html change, so a
# deploy never serves fragments rendered by the old templates.
FRAGMENT_VERSION = 1
# A day covers a busy evening's readers; an unread old version costs only its memory until then.
LIFETIME_SECONDS = 24 * 60 * 60
_SEPARATOR = "\x00"  # cannot occur in rendered HTML; splits the cached meta from the content


def fragment_key(post: Post, *, accepted: bool) -> str:
    """The cache key of this version of the post's fragment."""
    version = hashlib.blake2b(digest_size=12)
    for part in (
        FRAGMENT_VERSION,
        post.status,
        post.edit_count,
        post.created_at.isoformat(),
        post.edited_at.isoformat() if post.edited_at else "",
        post.moderation_reason,
        accepted,
        timezone.get_current_timezone_name(),  # the dates are shown in it
        post.body_html,
    ):
        version.update(str(part).encode())
        version.update(b"\x00")
    return f"forums:post-html:{post.pk}:{version.hexdigest()}"


def attach_shared_html(posts: Iterable[Post], *, accepted_id: int | None) -> None:
    """Set ``meta_html`` (inside the post's header) and ``content_html`` (the moderation
    notice and the body) on each post, from the cache or rendered and cached."""
    posts = list(posts)
    keys = {post.pk: fragment_key(post, accepted=post.pk == accepted_id) for post in posts}
    found = cache.get_many(keys.values())
    missing = {}
    for post in posts:
        fragment = found.get(keys[post.pk])
        if fragment is None:
            context = {"post": post, "is_accepted": post.pk == accepted_id}
            fragment = (
                render_to_string("forums/includes/post_meta.html", context)
                + _SEPARATOR
                + render_to_string("forums/includes/post_content.html", context)
            )
            missing[keys[post.pk]] = fragment
        meta, content = fragment.split(_SEPARATOR)
        # Rendered by our own templates (bodies from portal/markup.py, stored as body_html),
        # so as safe as the template output it was.
        post.meta_html = mark_safe(meta)  # noqa: S308
        post.content_html = mark_safe(content)  # noqa: S308
    if missing:
        cache.set_many(missing, LIFETIME_SECONDS)
