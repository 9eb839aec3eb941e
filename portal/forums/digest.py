"""The forums' part of a digest (see portal/digests/content.py): watched topics with posts the
person has not read, including new topics in categories they watch.

Three queries for a whole chunk of people, whatever its size: their watch settings, the
published topics that moved within the widest window in the chunk among those watched by
anyone in it (the newest MAX_CANDIDATES), and their read state for those topics. Each
person's part is then picked in Python: topics they watch (a topic's own setting wins over
its category's, as for notifications), that moved within their own window, by someone else,
since they last read them.
"""

from __future__ import annotations

from django.db.models import F, Q
from django.urls import reverse

from portal.accounts.leaving.deletion import FORMER_MEMBER
from portal.digests.content import DigestItem, DigestSection, Target
from portal.digests.mail import absolute_url
from portal.forums.models import Participant, ReadState, Subscription, Topic

MAX_ITEMS = 5
# Topics considered per chunk: the newest this many that moved in the window. Bounded, so a
# chunk stays cheap after a busy week.
MAX_CANDIDATES = 500

WATCHING = Subscription.Level.WATCHING


def digest_sections(targets: list[Target]) -> dict[int, list[DigestSection]]:
    result = _topic_sections(targets)
    for user_id, section in _message_sections(targets).items():
        result.setdefault(user_id, []).append(section)
    return result


def _message_sections(targets: list[Target]) -> dict[int, DigestSection]:
    """One line for people with private conversations holding messages they have not read
    (how many, and a link to their messages; never who wrote or what): two queries for the
    chunk."""
    wanted = {t.user_id: t for t in targets if t.preferences.digest_messages}
    if not wanted:
        return {}
    places = (
        Participant.objects.present()
        .filter(
            user_id__in=wanted,
            topic__is_private=True,
            topic__last_posted_at__gt=min(t.window_start for t in wanted.values()),
        )
        .exclude(topic__last_post_by_id=F("user_id"))
    )
    rows = list(places.values_list("user_id", "topic_id", "topic__last_posted_at"))
    read = {
        (user_id, topic_id): last_read
        for user_id, topic_id, last_read in ReadState.objects.filter(
            user_id__in=wanted, topic_id__in={topic_id for _, topic_id, _ in rows}
        ).values_list("user_id", "topic_id", "last_read_at")
    }
    unread: dict[int, int] = {}
    for user_id, topic_id, last_posted_at in rows:
        target = wanted[user_id]
        last_read = read.get((user_id, topic_id))
        if not target.window_start < last_posted_at <= target.window_end:
            continue
        if last_read is not None and last_read >= last_posted_at:
            continue
        unread[user_id] = unread.get(user_id, 0) + 1
    link = absolute_url(reverse("conversations:index"))
    return {
        user_id: DigestSection(
            key="messages",
            title="Private messages",
            items=[
                DigestItem(
                    title=f"{count} conversation{'s' if count != 1 else ''} with messages "
                    "you have not read",
                    url=link,
                )
            ],
        )
        for user_id, count in unread.items()
    }


def _topic_sections(targets: list[Target]) -> dict[int, list[DigestSection]]:
    wanted = [t for t in targets if t.preferences.digest_forums]
    if not wanted:
        return {}
    user_ids = [t.user_id for t in wanted]
    topic_levels: dict[int, dict[int, str]] = {}
    category_levels: dict[int, dict[int, str]] = {}
    for user_id, topic_id, category_id, level in Subscription.objects.filter(
        user_id__in=user_ids
    ).values_list("user_id", "topic_id", "category_id", "level"):
        if topic_id:
            topic_levels.setdefault(user_id, {})[topic_id] = level
        else:
            category_levels.setdefault(user_id, {})[category_id] = level
    watched_topics = {
        t for levels in topic_levels.values() for t, lv in levels.items() if lv == WATCHING
    }
    watched_categories = {
        c for levels in category_levels.values() for c, lv in levels.items() if lv == WATCHING
    }
    if not watched_topics and not watched_categories:
        return {}
    since = min(t.window_start for t in wanted)
    until = max(t.window_end for t in wanted)
    topics = list(
        Topic.objects.published()
        .filter(last_posted_at__gt=since, last_posted_at__lte=until)
        .filter(Q(pk__in=watched_topics) | Q(category_id__in=watched_categories))
        .select_related("category", "last_post_by")
        .order_by("-last_posted_at")[:MAX_CANDIDATES]
    )
    read = {
        (user_id, topic_id): last_read
        for user_id, topic_id, last_read in ReadState.objects.filter(
            user_id__in=user_ids, topic__in=topics
        ).values_list("user_id", "topic_id", "last_read_at")
    }
    result: dict[int, list[DigestSection]] = {}
    for target in wanted:
        mine_topics = topic_levels.get(target.user_id, {})
        mine_categories = category_levels.get(target.user_id, {})
        items = []
        for topic in topics:
            level = mine_topics.get(topic.pk) or mine_categories.get(topic.category_id)
            last_read = read.get((target.user_id, topic.pk))
            if (
                level != WATCHING
                or not target.window_start < topic.last_posted_at <= target.window_end
                or topic.last_post_by_id == target.user_id
                or (last_read is not None and last_read >= topic.last_posted_at)
            ):
                continue
            last = topic.last_post_by
            # An inactive account is a deleted or deactivated one: it is not named.
            who = "someone" if last is None else last.username if last.is_active else FORMER_MEMBER
            items.append(
                DigestItem(
                    title=topic.title,
                    url=absolute_url(reverse("forums:topic_unread", kwargs={"pk": topic.pk})),
                    note=f"{topic.category.name} · latest from {who} · "
                    f"{topic.reply_count} repl{'y' if topic.reply_count == 1 else 'ies'}",
                )
            )
            if len(items) == MAX_ITEMS:
                break
        result[target.user_id] = [
            DigestSection(key="forums", title="Forum topics you watch", items=items)
        ]
    return result
