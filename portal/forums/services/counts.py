"""The counts pages read from rows instead of counting: a topic's replies and latest activity,
a category's published topics and latest topic. Recounted from the posts and topics on every
change, whatever path changed them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from portal.forums.models import Category, Post, Status, Topic
from portal.forums.services.versions import save_changed


def topic_stats_refresh(*, topic: Topic) -> None:
    """Recompute the topic's reply count and latest activity from its published posts, then
    its category's (the topic may now be, or no longer be, the category's latest)."""
    published = Post.objects.filter(topic=topic, status=Status.PUBLISHED)
    latest = published.order_by("-published_at", "-pk").values("published_at", "author").first()
    topic.reply_count = published.filter(is_opening=False).count()
    if latest is not None:
        topic.last_posted_at = latest["published_at"]
        topic.last_post_by_id = latest["author"]
    save_changed(topic, "reply_count", "last_posted_at", "last_post_by")
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
