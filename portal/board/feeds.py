"""RSS and Atom feeds of the board's open openings, filterable by role and language
(``?role=chat-enforcer&language=es``). They read through ``Opening.objects.visible()`` like
the board itself, so a draft, paused, filled or removed opening never reaches a feed reader."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from portal.board.models import Opening
from portal.board.selectors import feed_openings
from portal.core.text import cleaned, one_line


class OpeningsRssFeed(Feed):
    feed_type = Rss201rev2Feed
    description = "Moderator openings on Modhall, newest first."

    def get_object(self, request: HttpRequest) -> dict[str, str]:
        return {
            "role": request.GET.get("role", "")[:50],
            "language": request.GET.get("language", "")[:8],
        }

    def title(self, obj: dict[str, str]) -> str:
        parts = [v for v in (obj["role"], obj["language"]) if v]
        return "Modhall: moderator openings" + (f" ({', '.join(parts)})" if parts else "")

    def link(self, obj: dict[str, str]) -> str:
        query = urlencode({k: v for k, v in obj.items() if v})
        return reverse("board:index") + (f"?{query}" if query else "")

    def items(self, obj: dict[str, str]) -> list[Opening]:
        return feed_openings(role=obj["role"], language=obj["language"])

    def item_title(self, item: Opening) -> str:
        # An old row or an admin edit may still hold a control character, which XML cannot
        # carry: cleaned here, one bad opening can never take the feed down for everyone.
        return one_line(f"{item.title} · {item.channel.name}")

    def item_description(self, item: Opening) -> str:
        return cleaned(item.description_html)  # sanitized when saved (portal/markup.py)

    def item_link(self, item: Opening) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Opening):
        return item.published_at

    def item_updateddate(self, item: Opening):
        return item.updated_at

    def item_categories(self, item: Opening) -> list[str]:
        return [one_line(role.name) for role in item.roles.all()]


class OpeningsAtomFeed(OpeningsRssFeed):
    feed_type = Atom1Feed
    subtitle = OpeningsRssFeed.description
