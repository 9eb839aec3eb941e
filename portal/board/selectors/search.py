"""Searching the board for the header's search: open openings, and people in the moderator
directory. A simple word match on every database (these lists are short next to the forums:
every word, roughly stemmed, somewhere in the row; rows whose title holds them all first)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper
from django.utils.safestring import SafeString

from portal.accounts.models import Profile, User
from portal.board.models import Channel, Opening
from portal.core.search import highlight, html_to_text, parse_query, snippet, words_filter

# Where the words are looked for (core.search.words_filter): the row's lower-case stored text
# (title and description; name, bio and Twitch login), the related names it shows, and the
# field whose hits come first.
OPENING_SEARCH = {
    "title": "title",
    "stored_text": "search_text",
    "related": (("channel_id", Channel.objects.all(), "name"),),
}
PERSON_SEARCH = {
    "title": "display_name",
    "stored_text": "search_text",
    "related": (("user_id", User.objects.all(), "username"),),
}


@dataclass(frozen=True)
class Found:
    """One row found, as the header's search shows it."""

    url: str
    title_html: SafeString
    detail: str
    snippet_html: SafeString


def openings_search(*, query: str, limit: int) -> tuple[list[Found], bool]:
    """Open openings matching the words (open and not past their closing date: never a
    draft, a held, removed or expired one), titles first, then the newest; and whether there
    are more than ``limit``. One query."""
    terms = parse_query(query)
    if not terms:
        return [], False
    everywhere, in_title = words_filter(terms, **OPENING_SEARCH)
    rows = list(
        Opening.objects.visible()
        .filter(everywhere)
        .annotate(title_hit=ExpressionWrapper(in_title, output_field=BooleanField()))
        .select_related("channel")
        .only("pk", "title", "description_html", "channel__name", "published_at")
        .order_by("-title_hit", "-published_at", "-pk")[: limit + 1]
    )
    found = [
        Found(
            url=opening.get_absolute_url(),
            title_html=highlight(opening.title, terms),
            detail=opening.channel.name,
            snippet_html=snippet(html_to_text(opening.description_html), terms, chars=160),
        )
        for opening in rows[:limit]
    ]
    return found, len(rows) > limit


def moderators_search(*, query: str, limit: int) -> tuple[list[Found], bool]:
    """Public profiles of people open to moderating whose name or bio holds the words (the
    directory's own rule: a private profile is never found), and whether there are more than
    ``limit``. One query."""
    terms = parse_query(query)
    if not terms:
        return [], False
    everywhere, in_name = words_filter(terms, **PERSON_SEARCH)
    rows = list(
        Profile.objects.open_to_moderating()
        .filter(everywhere)
        .annotate(name_hit=ExpressionWrapper(in_name, output_field=BooleanField()))
        .select_related("user")
        .only("pk", "display_name", "bio_html", "user__username")
        .order_by("-name_hit", "-updated_at", "-pk")[: limit + 1]
    )
    found = [
        Found(
            url=profile.get_absolute_url(),
            title_html=highlight(profile.display_name or profile.user.username, terms),
            detail=f"@{profile.user.username}",
            snippet_html=snippet(html_to_text(profile.bio_html), terms, chars=160),
        )
        for profile in rows[:limit]
    ]
    return found, len(rows) > limit
