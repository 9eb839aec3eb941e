"""The posts' full-text search vectors (PostgreSQL only: SQLite searches with icontains)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import OuterRef, Subquery

from portal.forums.models import Post, Topic

# The text search configuration (stemming, stop words); the forums are in English.
SEARCH_CONFIG = "english"


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
    # A private topic's posts are never indexed: no search, however written, can find them.
    public = Post.objects.filter(pk__in=post_ids, topic__is_private=False)
    public.filter(is_opening=True).update(search_vector=opening)
    public.filter(is_opening=False).update(search_vector=reply)


def search_index_rebuild() -> None:
    """Every post's search vector, in two statements (demo data; a change of SEARCH_CONFIG)."""
    if not settings.IS_POSTGRES:
        return
    with transaction.atomic():
        opening, reply = _search_vectors()
        public = Post.objects.filter(topic__is_private=False)
        public.filter(is_opening=True).update(search_vector=opening)
        public.filter(is_opening=False).update(search_vector=reply)
