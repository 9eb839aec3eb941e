"""The pages a benchmark measures, found in whatever data the database holds.

Run inside Django (bench/run.py calls ``python -m bench.pages``): prints a JSON list of
[name, path] pairs. Each app's key pages are included when the app has data.
"""

from __future__ import annotations

import json
import os

import django

from bench.search_words import NEW_WORDS


def sample_pages() -> list[tuple[str, str]]:
    pages: list[tuple[str, str]] = [
        ("trivial view", "/bench/trivial/"),
        ("layout only (floor)", "/bench/floor/"),
        ("home", "/"),
    ]

    from portal.guides.models import Lesson

    pages.append(("guides index", "/guides/"))
    lesson = Lesson.objects.active().select_related("track").in_order().first()
    if lesson is not None:
        pages.append(("a lesson", lesson.get_absolute_url()))

    pages += _board_pages()
    pages += _forum_pages()
    # The header's search: every kind at once (guides, forums, openings; people signed in).
    pages.append(("header search", "/search/?q=timeout"))
    pages.append(("header search, new words", f"/search/?q={NEW_WORDS}"))
    return pages


def _board_pages() -> list[tuple[str, str]]:
    try:
        from portal.board.models import Opening
    except ImportError:
        return []
    from django.db.models import Count

    # The role most visible openings ask for, soonest closing first: the filtered list then
    # shows a page of cards at both sizes (18 on the small data, 20 on the large), where a
    # filter matching few small-data openings would measure a shorter page there.
    role = (
        Opening.objects.visible()
        .exclude(roles__slug=None)
        .values("roles__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "roles__slug")
        .values_list("roles__slug", flat=True)
        .first()
    )
    pages = [("board list", "/board/")]
    if role is not None:
        pages.append(("board list, filtered", f"/board/?role={role}&sort=closing"))
    opening = Opening.objects.visible().order_by("-published_at").first()
    if opening is not None:
        pages.append(("an opening", opening.get_absolute_url()))
    return pages


def _forum_pages() -> list[tuple[str, str]]:
    try:
        from django.db.models import Count

        from portal.forums.models import Category, Topic
    except ImportError:
        return []
    pages = [("forum index", "/forums/")]
    category = Category.objects.annotate(n=Count("topics")).order_by("-n").first()
    if category is not None:
        pages.append(("a category", category.get_absolute_url()))
    topic = Topic.objects.order_by("-reply_count").first()
    if topic is not None:
        url = topic.get_absolute_url()
        pages.append(("a topic, first page", url))
        last_page = topic.reply_count // 20 + 1
        pages.append(("a topic, last page", f"{url}?page={last_page}"))
    pages.append(("latest", "/forums/latest/"))
    # The same word again and again (what the caches make of it), and new words on every
    # request (what people do; bench/search_words.py), which issue 16's target is about.
    pages.append(("search", "/forums/search/?q=timeout"))
    pages.append(("search, new words", f"/forums/search/?q={NEW_WORDS}"))
    return pages


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    print(json.dumps(sample_pages()))
